"""HTML pages. Each page ``/x`` has a JSON twin ``/x.json`` returning the data the page shows (as datasette does).

Handlers fetch the data with the same functions as the API and hand it to a Jinja2 template (autoescaped).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from ..model import LAYERS
from ..store.queries import Filters, claims, search
from . import queries
from .api import DOC_ID, TEXT, clusters_page, comparisons_page, filters_dependency, sources_page, timeline_page
from .highlight import LAYER_PREFIX, css_slug, document_marks, highlight_html, parse_span, technique_colour
from .schemas import ClaimsPage, DocumentsPage, PlacesPage, SearchPage, page_of
from .settings import WebSettings

READER_LAYERS = ("claims", "quotes", "events", "techniques", "places", "entities")


def build_pages(settings: WebSettings, templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    filters = Depends(filters_dependency(settings))

    def render(request: Request, name: str, json_url: str, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"json_url": json_url, **context})

    def twin(data) -> JSONResponse:
        return JSONResponse(data if isinstance(data, dict) else jsonable_encoder(data))

    def json_url(request: Request) -> str:
        path = request.url.path.rstrip("/") + ".json"
        return path + ("?" + request.url.query if request.url.query else "")

    @router.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/documents", status_code=307)

    # -- documents and search ----------------------------------------------------------------------------
    def documents_data(request: Request, f: Filters) -> DocumentsPage:
        return page_of(DocumentsPage, queries.list_documents(request.app.state.store, f), f.limit, f.offset)

    @router.get("/documents.json")
    def documents_json(request: Request, f: Filters = filters):
        return twin(documents_data(request, f))

    @router.get("/documents", response_class=HTMLResponse)
    def documents_html(request: Request, f: Filters = filters):
        return render(request, "documents.html", json_url(request), page=documents_data(request, f), f=f,
                      outlets=queries.outlets(request.app.state.store))

    def search_data(request: Request, q: str, f: Filters) -> SearchPage:
        hits = search(request.app.state.store, q, f) if q.strip() else []
        return page_of(SearchPage, hits, f.limit, f.offset, query=q)

    search_q = Query("", max_length=500, pattern=TEXT)

    @router.get("/search.json")
    def search_json(request: Request, q: str = search_q, f: Filters = filters):
        return twin(search_data(request, q, f))

    @router.get("/search", response_class=HTMLResponse)
    def search_html(request: Request, q: str = search_q, f: Filters = filters):
        return render(request, "search.html", json_url(request), page=search_data(request, q, f), f=f)

    # -- the reader --------------------------------------------------------------------------------------
    def load(request: Request, doc_id: str):
        doc = request.app.state.store.get_document(doc_id)
        if doc is None:
            raise HTTPException(404, f"no document {doc_id}")
        return doc

    doc_id_param = PathParam(..., pattern=DOC_ID)

    @router.get("/doc/{doc_id}.json")
    def reader_json(request: Request, doc_id: str = doc_id_param):
        return twin(load(request, doc_id).to_dict())

    @router.get("/doc/{doc_id}", response_class=HTMLResponse)
    def reader_html(request: Request, doc_id: str = doc_id_param,
                    span: str | None = Query(None, max_length=40, description="START-END to mark as the target")):
        doc = load(request, doc_id)
        target = parse_span(span, len(doc.text))
        body = highlight_html(doc.text, document_marks(doc, target))
        techniques = sorted({t.technique for t in doc.techniques})
        return render(request, "reader.html", f"/doc/{doc_id}.json", doc=doc, body=body, target=target,
                      layers=[(name, LAYER_PREFIX[name], len(getattr(doc, name))) for name in READER_LAYERS],
                      techniques=[(t, technique_colour(t)) for t in techniques])

    # -- the claim ledger --------------------------------------------------------------------------------
    def claims_data(request: Request, f: Filters) -> ClaimsPage:
        return page_of(ClaimsPage, claims(request.app.state.store, f), f.limit, f.offset)

    @router.get("/claims.json")
    def claims_json(request: Request, f: Filters = filters):
        return twin(claims_data(request, f))

    @router.get("/claims", response_class=HTMLResponse)
    def claims_html(request: Request, f: Filters = filters):
        store = request.app.state.store
        query = urlencode({k: v for k, v in request.query_params.items() if k not in ("limit", "offset")})
        return render(request, "claims.html", json_url(request), page=claims_data(request, f), f=f,
                      outlets=queries.outlets(store), types=queries.claim_types(store), export_query=query)

    # -- places ------------------------------------------------------------------------------------------
    def places_data(request: Request, f: Filters) -> PlacesPage:
        return page_of(PlacesPage, queries.places(request.app.state.store, f), f.limit, f.offset)

    @router.get("/places.json")
    def places_json(request: Request, f: Filters = filters):
        return twin(places_data(request, f))

    @router.get("/places", response_class=HTMLResponse)
    def places_html(request: Request, f: Filters = filters):
        return render(request, "places.html", json_url(request), page=places_data(request, f), f=f)

    @router.get("/place/{name}", response_class=HTMLResponse)
    def place_page(request: Request, name: str = PathParam(..., min_length=1, max_length=205, pattern=TEXT),
                   f: Filters = filters):
        if name.endswith(".json"):
            return twin(timeline_page(request.app.state.store, name[:-5], f))
        page = timeline_page(request.app.state.store, name, f)
        outlets = sorted({e.outlet for e in page.items})
        dates = sorted({e.date or "" for e in page.items})
        cells = {(e.date or "", e.outlet): [] for e in page.items}
        for e in page.items:
            cells[(e.date or "", e.outlet)].append(e)
        return render(request, "place.html", json_url(request), page=page, f=f, outlets=outlets, dates=dates,
                      cells=cells)

    # -- sources and comparisons -------------------------------------------------------------------------
    @router.get("/sources.json")
    def sources_json(request: Request, f: Filters = filters):
        return twin(sources_page(request.app.state.store, f))

    @router.get("/sources", response_class=HTMLResponse)
    def sources_html(request: Request, f: Filters = filters):
        page = sources_page(request.app.state.store, f)
        claim_types = sorted({t for p in page.items for t in p.claims_by_type})
        return render(request, "sources.html", json_url(request), page=page, f=f, claim_types=claim_types)

    kind_q = Query(None, pattern=r"^(contradiction|change|update|agreement)?$")
    aspect_q = Query(None, pattern=r"^(control|count|blame)?$")

    @router.get("/compare.json")
    def compare_json(request: Request, f: Filters = filters, kind: str | None = kind_q, aspect: str | None = aspect_q):
        return twin(comparisons_page(request.app.state.store, f, kind or None, aspect or None,
                                     request.app.state.compare))

    @router.get("/compare", response_class=HTMLResponse)
    def compare_html(request: Request, f: Filters = filters, kind: str | None = kind_q, aspect: str | None = aspect_q):
        page = comparisons_page(request.app.state.store, f, kind or None, aspect or None, request.app.state.compare)
        query = urlencode({k: v for k, v in request.query_params.items() if k not in ("limit", "offset")})
        return render(request, "compare.html", json_url(request), page=page, f=f, kind=kind or "",
                      aspect=aspect or "", csv_url="/api/export/findings.csv" + ("?" + query if query else ""))

    def clusters_data(request: Request, f: Filters, text: str | None, min_outlets: int):
        return clusters_page(request.app.state.store, f, text or None, min_outlets, request.app.state.compare)

    text_q = Query(None, max_length=200, pattern=TEXT)
    outlets_q = Query(1, ge=1, le=100)

    @router.get("/clusters.json")
    def clusters_json(request: Request, f: Filters = filters, text: str | None = text_q, min_outlets: int = outlets_q):
        return twin(clusters_data(request, f, text, min_outlets))

    @router.get("/clusters", response_class=HTMLResponse)
    def clusters_html(request: Request, f: Filters = filters, text: str | None = text_q,
                      min_outlets: int = outlets_q):
        return render(request, "clusters.html", json_url(request), page=clusters_data(request, f, text, min_outlets),
                      f=f, text=text or "", min_outlets=min_outlets)

    templates.env.globals.update(LAYERS=LAYERS, css_slug=css_slug)
    return router
