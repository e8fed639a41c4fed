"""The REST API under /api: thin handlers over the store queries, the analyzer and the exporters."""

from __future__ import annotations

import datetime
import importlib
import io
import json
import re
from typing import Any, Iterator

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse

from .. import __version__
from ..errors import DiscernError, ReadError
from ..ingest import ReadOptions
from ..ingest.base import normalise_date
from ..model import Document
from ..store.queries import Filters, claims, search, sources, timeline
from . import exports, queries
from .actions import (IngestResult, ingest_documents, read_error_dict, read_posted_text, read_upload, read_url)
from .schemas import (AnalyzedBatch, AnalyzeRequest, ClaimsPage, Deleted, DocumentsPage, Health, Page, PlacesPage,
                      SearchPage, SourcesPage, TimelinePage, page_of)
from .security import require_write_access
from .settings import WebSettings

DOC_ID = r"^[0-9a-f]{64}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
OPTIONAL_DATE = r"^(\d{4}-\d{2}-\d{2})?$"
TEXT = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL


def filter_date(name: str, value: str | None) -> str | None:
    """A since/until filter value: None for absent or empty (an HTML form sends ``since=``), else a real
    calendar date YYYY-MM-DD; anything else (``2024-13-45``, ``garbage``) is a 422 naming the parameter."""
    if value is None or value == "":
        return None
    if re.fullmatch(DATE, value, flags=re.ASCII):
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise RequestValidationError([{"type": "value_error", "loc": ("query", name),
                                   "msg": f"'{name}' is not a calendar date: {value[:40]!r} (expected YYYY-MM-DD, "
                                          "or empty for no limit)", "input": value}])


def filters_dependency(settings: WebSettings):
    """A FastAPI dependency reading the shared filter and pagination parameters, bounded by the settings."""

    def dependency(
        outlet: str | None = Query(None, max_length=200, pattern=TEXT, description="Only this outlet."),
        since: str | None = Query(None, max_length=40, description="From this date (YYYY-MM-DD), inclusive; "
                                  "empty (as an HTML form sends it) means any. Not a calendar date: 422.",
                                  json_schema_extra={"pattern": OPTIONAL_DATE}),
        until: str | None = Query(None, max_length=40, description="Up to this date (YYYY-MM-DD), inclusive.",
                                  json_schema_extra={"pattern": OPTIONAL_DATE}),
        place: str | None = Query(None, max_length=200, pattern=TEXT, description="Claims about this place."),
        technique: str | None = Query(None, max_length=64, pattern=TEXT),
        claimant: str | None = Query(None, max_length=200, pattern=TEXT, description="Claimant contains this."),
        claim_type: str | None = Query(None, alias="type", max_length=32, pattern=TEXT),
        limit: int = Query(settings.page_size, ge=1, le=settings.max_page_size),
        offset: int = Query(0, ge=0, le=10_000_000),
    ) -> Filters:
        since, until = filter_date("since", since), filter_date("until", until)
        return Filters(outlet or None, since, until, place or None, technique or None, claimant or None,
                       claim_type or None, limit, offset)

    return dependency


def _store(request: Request):
    return request.app.state.store


def _options(request: Request, **meta: str | None) -> ReadOptions:
    settings: WebSettings = request.app.state.settings
    base: ReadOptions = request.app.state.read_options
    from dataclasses import replace

    return replace(base, max_bytes=settings.max_body_bytes, url_timeout=settings.url_timeout,
                   url_max_bytes=settings.url_max_bytes, url_allow_private=False,
                   defaults={k: v for k, v in meta.items() if v})


def _request_document(request: Request, body: AnalyzeRequest) -> Document:
    """The Document a JSON analyze/ingest request describes (text or a fetched public URL)."""
    if (body.text is None) == (body.fetch is None):
        raise HTTPException(422, "give exactly one of 'text' or 'fetch'")
    published = None
    if body.published:
        published = normalise_date(body.published)
        if published is None:
            raise HTTPException(422, f"'published' is not a date: {body.published[:40]!r} (expected YYYY-MM-DD)")
    meta = {"title": body.title, "outlet": body.outlet, "url": body.url, "published": published,
            "author": body.author}
    options = _options(request)
    try:
        if body.text is not None:  # read like a file: a NUL becomes U+FFFD, as on every back end
            return read_posted_text(body.text, options, **meta)
        return read_url(body.fetch, options, **meta)
    except ReadError as err:
        raise HTTPException(422, {"code": err.code, "reason": err.reason}) from None


def build_api(settings: WebSettings) -> APIRouter:
    router = APIRouter(prefix="/api")
    filters = Depends(filters_dependency(settings))

    @router.get("/health", response_model=Health, tags=["meta"])
    def health(request: Request) -> Health:
        """Liveness, the number of stored documents and whether writes are open."""
        writes = "token" if settings.token else ("open" if settings.loopback else "disabled")
        return Health(status="ok", version=__version__, documents=_store(request).count(),
                      analyzer_loaded=request.app.state.analyzer.loaded, writes=writes)

    # -- documents ---------------------------------------------------------------------------------------
    @router.get("/documents", response_model=DocumentsPage, tags=["documents"])
    def list_documents(request: Request, f: Filters = filters) -> DocumentsPage:
        """Stored documents, newest first (filters: outlet, since, until)."""
        return page_of(DocumentsPage, queries.list_documents(_store(request), f), f.limit, f.offset)

    @router.get("/documents/{doc_id}", response_model=dict[str, Any], tags=["documents"])
    def get_document(request: Request, doc_id: str = PathParam(..., pattern=DOC_ID)) -> dict[str, Any]:
        """One document with every annotation layer: the analysis contract JSON."""
        doc = _store(request).get_document(doc_id)
        if doc is None:
            raise HTTPException(404, f"no document {doc_id}")
        return JSONResponse(doc.to_dict())  # already JSON types: skip re-validation (large documents)

    @router.post("/documents", response_model=IngestResult, tags=["documents"],
                 dependencies=[Depends(require_write_access)])
    def ingest_text(request: Request, body: AnalyzeRequest) -> IngestResult:
        """Analyse a text (or a fetched public page) and store it. Needs the token unless local and open."""
        doc = _request_document(request, body)
        return _ingest(request, [doc])

    @router.post("/documents/upload", response_model=IngestResult, tags=["documents"],
                 dependencies=[Depends(require_write_access)])
    def ingest_file(request: Request, file: UploadFile = File(...)) -> IngestResult:
        """Analyse and store every document in an uploaded file (text, HTML, JSONL/CSV, RSS/Atom)."""
        return _ingest(request, read_upload(file.file.read(), file.filename, _options(request)))

    @router.delete("/documents/{doc_id}", response_model=Deleted, tags=["documents"],
                   dependencies=[Depends(require_write_access)])
    def delete_document(request: Request, doc_id: str = PathParam(..., pattern=DOC_ID)) -> Deleted:
        """Remove a document and all its annotations."""
        if not _store(request).delete_document(doc_id):
            raise HTTPException(404, f"no document {doc_id}")
        return Deleted(doc_id=doc_id, deleted=True)

    # -- analysis without storing ------------------------------------------------------------------------
    @router.post("/analyze", response_model=dict[str, Any], tags=["analyze"],
                 dependencies=[Depends(require_write_access)])
    def analyze(request: Request, body: AnalyzeRequest) -> dict[str, Any]:
        """Analyse one text (or fetched public page) and return its contract JSON; nothing is stored."""
        doc = _request_document(request, body)
        return _analyze(request, [doc])[0].to_dict()

    @router.post("/analyze/upload", response_model=AnalyzedBatch, tags=["analyze"],
                 dependencies=[Depends(require_write_access)])
    def analyze_file(request: Request, file: UploadFile = File(...)) -> AnalyzedBatch:
        """Analyse every document in an uploaded file; nothing is stored."""
        items = read_upload(file.file.read(), file.filename, _options(request))
        docs = _analyze(request, [d for d in items if isinstance(d, Document)])
        return AnalyzedBatch(documents=[d.to_dict() for d in docs],
                             errors=[read_error_dict(e) for e in items if isinstance(e, ReadError)])

    # -- read-side queries -------------------------------------------------------------------------------
    @router.get("/search", response_model=SearchPage, tags=["queries"])
    def search_documents(request: Request, q: str = Query(..., min_length=1, max_length=500, pattern=TEXT),
                         f: Filters = filters) -> SearchPage:
        """Full-text search; quoted phrases stay phrases, other words are all required."""
        return page_of(SearchPage, search(_store(request), q, f), f.limit, f.offset, query=q)

    @router.get("/claims", response_model=ClaimsPage, tags=["queries"])
    def claim_ledger(request: Request, f: Filters = filters) -> ClaimsPage:
        """The claim ledger: who claims what, where and when; each row carries doc_id and offsets."""
        return page_of(ClaimsPage, claims(_store(request), f), f.limit, f.offset)

    @router.get("/timeline", response_model=TimelinePage, tags=["queries"])
    def place_timeline(request: Request, place: str = Query(..., min_length=1, max_length=200, pattern=TEXT),
                       f: Filters = filters) -> TimelinePage:
        """Claims about a place and events located there, by date then outlet."""
        return timeline_page(_store(request), place, f)

    @router.get("/places", response_model=PlacesPage, tags=["queries"])
    def place_list(request: Request, f: Filters = filters) -> PlacesPage:
        """Distinct places with mention, document and claim counts and coordinates."""
        return page_of(PlacesPage, queries.places(_store(request), f), f.limit, f.offset)

    @router.get("/sources", response_model=SourcesPage, tags=["queries"])
    def source_profiles(request: Request, f: Filters = filters) -> SourcesPage:
        """Outlet profiles: articles, claims by type, hedging, official quote share, technique density."""
        return sources_page(_store(request), f)

    kind_q = Query(None, pattern=r"^(contradiction|change|update|agreement)?$",
                   description="Only this kind of finding (empty: any).")
    aspect_q = Query(None, pattern=r"^(control|count|blame)?$", description="Only this aspect (empty: any).")

    @router.get("/compare", tags=["queries"])
    def compare_findings(request: Request, f: Filters = filters, kind: str | None = kind_q,
                         aspect: str | None = aspect_q) -> Page[Any]:
        """Cross-source findings: contradictions, changes, updates and agreements between independent sources
        about who holds a place, counts at an event and blame for a strike; each lists its supporting claims with
        doc_id and offsets (discernment.analysis.compare)."""
        return comparisons_page(_store(request), f, kind or None, aspect or None, request.app.state.compare)

    @router.get("/comparisons", tags=["queries"], include_in_schema=False)
    def comparisons(request: Request, f: Filters = filters, kind: str | None = kind_q,
                    aspect: str | None = aspect_q) -> Page[Any]:
        """The earlier name of /api/compare."""
        return comparisons_page(_store(request), f, kind or None, aspect or None, request.app.state.compare)

    @router.get("/clusters", tags=["queries"])
    def fact_cluster_list(request: Request, f: Filters = filters,
                          text: str | None = Query(None, max_length=200, pattern=TEXT,
                                                   description='Only facts whose claims contain this text ("2,000").'),
                          min_outlets: int = Query(1, ge=1, le=100)) -> Page[Any]:
        """The same fact across outlets, first carrier first, with claimants, relay chains and quantities."""
        return clusters_page(_store(request), f, text, min_outlets, request.app.state.compare)

    # -- exports -----------------------------------------------------------------------------------------
    export_limit = Query(settings.max_export_rows, ge=1, le=settings.max_export_rows)

    @router.get("/export/claims.csv", tags=["exports"], response_class=Response,
                responses={200: {"content": {"text/csv": {}}}})
    def export_claims_csv(request: Request, f: Filters = filters, limit: int = export_limit) -> Response:
        """The filtered claim ledger as CSV (one row per claim, with doc_id and offsets)."""
        rows = claims(_store(request), _with_limit(f, limit))
        return Response(exports.claims_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="claims.csv"'})

    @router.get("/export/findings.csv", tags=["exports"], response_class=Response,
                responses={200: {"content": {"text/csv": {}}}})
    def export_findings_csv(request: Request, f: Filters = filters, kind: str | None = kind_q,
                            aspect: str | None = aspect_q) -> Response:
        """Cross-source findings as CSV: one row per supporting claim, with doc_id, offsets and a reader link."""
        from ..analysis.compare import compare
        from ..export.findings import write_findings_csv

        out = io.StringIO()
        write_findings_csv(compare(_store(request), _with_limit(f, 1_000_000), request.app.state.compare,
                                   kind=kind or None, aspect=aspect or None), out)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="findings.csv"'})

    @router.get("/export/claims.json", tags=["exports"], response_model=ClaimsPage)
    def export_claims_json(request: Request, f: Filters = filters, limit: int = export_limit) -> ClaimsPage:
        """The filtered claim ledger as JSON."""
        return page_of(ClaimsPage, claims(_store(request), _with_limit(f, limit)), limit, f.offset)

    @router.get("/export/documents.jsonl", tags=["exports"], response_class=StreamingResponse,
                responses={200: {"content": {"application/x-ndjson": {}}}})
    def export_documents(request: Request, f: Filters = filters, limit: int = export_limit) -> StreamingResponse:
        """Stored documents (filters: outlet, since, until) as contract JSON, one per line."""
        store = _store(request)
        ids = [d.doc_id for d in queries.list_documents(store, _with_limit(f, limit))]
        return StreamingResponse(_jsonl(store, ids), media_type="application/x-ndjson")

    @router.get("/export/events.geojson", tags=["exports"], response_class=Response,
                responses={200: {"content": {"application/geo+json": {}}}, 501: {"description": "exporter missing"}})
    def export_events(request: Request, f: Filters = filters, limit: int = export_limit,
                      places: bool = Query(False, description="Also include every resolved place.")) -> Response:
        """Events with coordinates (and optionally places) as a GeoJSON FeatureCollection."""
        geojson = _optional("discernment.export.geojson", "export_geojson")
        store = _store(request)
        docs = (store.get_document(d.doc_id) for d in queries.list_documents(store, _with_limit(f, limit)))
        out = io.StringIO()
        geojson(docs, out, include_places=places)
        return Response(out.getvalue(), media_type="application/geo+json",
                        headers={"Content-Disposition": 'attachment; filename="events.geojson"'})

    return router


def _with_limit(f: Filters, limit: int) -> Filters:
    return Filters(**{**f.__dict__, "limit": limit})


def _jsonl(store, ids: list[str]) -> Iterator[str]:
    for doc_id in ids:
        doc = store.get_document(doc_id)
        if doc is not None:
            yield json.dumps(doc.to_dict(), ensure_ascii=False) + "\n"


def _optional(module: str, name: str):
    """A function from a module that may not be installed yet; 501 when it is missing."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        raise HTTPException(501, f"{module}.{name} is not available in this installation") from None


def _analyze(request: Request, docs: list[Document]) -> list[Document]:
    try:
        return request.app.state.analyzer.analyze(docs)
    except DiscernError as err:  # a model that cannot load: say so, no traceback
        raise HTTPException(503, {"code": err.code, "reason": err.message}) from None


def _ingest(request: Request, items: list) -> IngestResult:
    try:
        return ingest_documents(_store(request), request.app.state.analyzer, items)
    except DiscernError as err:
        raise HTTPException(503, {"code": err.code, "reason": err.message}) from None


# -- page data shared by the API and the HTML pages' JSON twins --------------------------------------------
def timeline_page(store, place: str, f: Filters) -> TimelinePage:
    entries = timeline(store, place, f)
    return TimelinePage(items=entries, limit=f.limit, offset=f.offset, next_offset=None, place=place,
                        summary=queries.place_summary(store, place))


def sources_page(store, f: Filters) -> SourcesPage:
    profiles = sources(store, Filters(**{**f.__dict__, "limit": 1_000_000, "offset": 0}))
    items = profiles[f.offset:f.offset + f.limit]
    return SourcesPage(items=items, limit=f.limit, offset=f.offset,
                       next_offset=f.offset + f.limit if f.offset + f.limit < len(profiles) else None)


def comparisons_page(store, f: Filters, kind: str | None = None, aspect: str | None = None,
                     settings=None) -> Page[Any]:
    from ..analysis.compare import compare

    findings = compare(store, Filters(**{**f.__dict__, "limit": 1_000_000, "offset": 0}), settings, kind=kind,
                       aspect=aspect)
    items = [x.to_dict() for x in findings[f.offset:f.offset + f.limit]]
    return Page[Any](items=items, limit=f.limit, offset=f.offset,
                     next_offset=f.offset + f.limit if f.offset + f.limit < len(findings) else None)


def clusters_page(store, f: Filters, text: str | None = None, min_outlets: int = 1, settings=None) -> Page[Any]:
    from ..analysis.compare import fact_clusters

    found = fact_clusters(store, Filters(**{**f.__dict__, "limit": 1_000_000, "offset": 0}), settings,
                          text_contains=text, min_outlets=min_outlets)
    items = [c.to_dict() for c in found[f.offset:f.offset + f.limit]]
    return Page[Any](items=items, limit=f.limit, offset=f.offset,
                     next_offset=f.offset + f.limit if f.offset + f.limit < len(found) else None)
