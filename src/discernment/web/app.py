"""The FastAPI application: the REST API, the HTML pages, the vendored static files and the defences around them.

``create_app`` takes the store (and optionally an analyzer factory) as arguments, so tests and embedders pass
their own; the analyzer is built on the first analyze/ingest request and reused.
"""

from __future__ import annotations

from importlib import resources
from typing import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..analysis.compare import Settings as CompareSettings
from ..config import Config
from ..errors import DiscernError
from ..ingest import ReadOptions
from ..store import Store
from .actions import LazyAnalyzer
from .api import build_api
from .pages import build_pages, friendly_errors
from .security import BodyLimitMiddleware, HostCheckMiddleware, SecurityHeadersMiddleware
from .settings import WebSettings

WEB = resources.files("discernment.web")


def create_app(store: Store, settings: WebSettings | None = None, config: Config | None = None,
               analyzer_factory: Callable[[], object] | None = None) -> FastAPI:
    config = config or Config.load()
    settings = settings or WebSettings.from_config(config)
    app = FastAPI(
        title="discernment",
        version=__version__,
        docs_url=None,
        redoc_url=None,  # their pages load scripts from a CDN
        openapi_url="/openapi.json",
        description="Who claims what, where, when and on whose authority: the claim ledger, "
        "documents with every annotation layer (exact character offsets), places, "
        "outlet profiles and exports.",
    )
    app.state.store = store
    app.state.settings = settings
    app.state.read_options = ReadOptions.from_config(config)
    app.state.compare = CompareSettings.from_config(config)  # [compare]: windows, sides table
    app.state.analyzer = LazyAnalyzer(analyzer_factory or _default_factory(config))

    templates = Jinja2Templates(directory=str(WEB / "templates"))  # autoescape is on for .html
    app.include_router(build_api(settings))
    app.include_router(build_pages(settings, templates))
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if _wants_html(request):
            return templates.TemplateResponse(request, "error.html", {"status": exc.status_code, "detail": exc.detail,
                                                                      "json_url": None},
                                              status_code=exc.status_code, headers=exc.headers)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(DiscernError)
    async def discern_error(request: Request, exc: DiscernError):
        # E0xx/E1xx and a date that is no date (E206): the request is at fault (422); anything else is the
        # server's (503).
        status = 422 if exc.code[:2] in ("E0", "E1") or exc.code in ("E206", "E207") else 503
        return JSONResponse({"detail": {"code": exc.code, "reason": exc.message}}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        if _wants_html(request):  # sentences for a person, never the pattern a value failed (pages.friendly_errors)
            return templates.TemplateResponse(request, "error.html", {"status": 422, "detail": None,
                                                                      "problems": friendly_errors(exc.errors()),
                                                                      "json_url": None}, status_code=422)
        return JSONResponse({"detail": errors}, status_code=422)

    # Outermost first: headers on everything (413/421 included), then the body limit, then the Host check.
    app.add_middleware(HostCheckMiddleware, settings=settings)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api/") or path.endswith(".json") or path == "/openapi.json") and \
        "text/html" in request.headers.get("accept", "")


def _default_factory(config: Config) -> Callable[[], object]:
    def build():
        from ..api import Analyzer

        return Analyzer(config)

    return build

