"""The REST API under /api: thin handlers over the store queries, the analyzer and the exporters."""

from __future__ import annotations

import io
import json
import threading
from collections import Counter, OrderedDict
from dataclasses import replace
from typing import Annotated, Any, Callable, Iterator

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import StringConstraints

from .. import __version__
from ..errors import DiscernError, ReadError
from ..ingest import ReadOptions
from ..ingest.base import normalise_date
from ..model import Document
from ..store.queries import (
    Filters,
    check_date,
    claims,
    count_claims,
    count_events,
    event_keys,
    events,
    search,
    timeline,
)
from . import queries
from .actions import IngestResult, ingest_documents, read_error_dict, read_posted_text, read_upload, read_url
from .schemas import (
    AnalyzedBatch,
    AnalyzeRequest,
    ClaimsPage,
    Deleted,
    DocumentsPage,
    EventsPage,
    Health,
    Page,
    PlacesPage,
    SearchPage,
    SourcesPage,
    TimelinePage,
    page_of,
)
from .security import require_write_access
from .settings import WebSettings

DOC_ID = r"^[0-9a-f]{64}$"
OPTIONAL_DATE = r"^(\d{4}-\d{2}-\d{2})?$"
TEXT = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL


def filter_date(name: str, value: str | None) -> str | None:
    """A since/until filter value: None for absent or empty (an HTML form sends ``since=``), else a real
    calendar date YYYY-MM-DD; anything else (``2024-13-45``, ``garbage``) is a 422 naming the parameter."""
    if value is None or value == "":
        return None
    try:
        return check_date(value, name)  # the store's own check (Filters makes it too), answered as a 422
    except DiscernError:
        raise RequestValidationError([{"type": "value_error", "loc": ("query", name),
                                       "msg": f"'{name}' is not a calendar date: {value[:40]!r} (expected "
                                              "YYYY-MM-DD, or empty for no limit)", "input": value}]) from None


SORT = r"^-?(published|date|outlet|type|checkworthy|title|words|ingested|mentions|documents|name)?$"
PlaceName = Annotated[str, StringConstraints(max_length=200, pattern=TEXT)]


def filters_dependency(settings: WebSettings):
    """A FastAPI dependency reading the shared filter and pagination parameters, bounded by the settings."""

    def dependency(
        outlet: str | None = Query(None, max_length=200, pattern=TEXT, description="Only this outlet."),
        since: str | None = Query(
            None,
            max_length=40,
            description="Published on or after this date (YYYY-MM-DD): "
            "the document's publication date, on every list. Empty (as an HTML form sends "
            "it) means any. Not a calendar date: 422.",
            json_schema_extra={"pattern": OPTIONAL_DATE},
        ),
        until: str | None = Query(
            None,
            max_length=40,
            description="Published on or before this date (YYYY-MM-DD), inclusive.",
            json_schema_extra={"pattern": OPTIONAL_DATE},
        ),
        claim_since: str | None = Query(
            None,
            max_length=40,
            description="The claim's (an event's) own resolved "
            "date on or after this (YYYY-MM-DD). A date more than 31 days after "
            "publication or two years before it (a forecast, 'by 2045') is not the "
            "claim's date and never matches.",
            json_schema_extra={"pattern": OPTIONAL_DATE},
        ),
        claim_until: str | None = Query(
            None,
            max_length=40,
            description="The claim's (an event's) own resolved date on or before this (YYYY-MM-DD).",
            json_schema_extra={"pattern": OPTIONAL_DATE},
        ),
        place: list[PlaceName] | None = Query(
            None,
            max_length=50,
            description="A place, in any spelling or script "
            "the gazetteer or the store knows (Izium, Izyum, Изюм); repeat for "
            "several (any matches). An oblast takes in the settlements stored "
            "with it.",
        ),
        technique: str | None = Query(
            None,
            max_length=64,
            pattern=TEXT,
            description="A persuasion technique in "
            "any case or spelling ('name calling', 'Name_Calling,Labeling'). Claims and "
            "events: a span of it overlaps theirs; other lists: their document has it.",
        ),
        claimant: str | None = Query(None, max_length=200, pattern=TEXT, description="Claimant contains this."),
        claim_type: str | None = Query(
            None,
            alias="type",
            max_length=32,
            pattern=TEXT,
            description="Claim type (events: the event type, e.g. ASSAULT).",
        ),
        sort: str | None = Query(
            None,
            max_length=20,
            pattern=SORT,
            description="Order: a column (published, date, outlet, type, checkworthy; places: "
            "mentions, documents, name; documents: title, words, ingested), '-' in "
            "front for descending. A column a list does not have: its default.",
        ),
        verdict: str | None = Query(
            None,
            max_length=20,
            pattern=r"^(consistent|later|not_confirmed|contested|no_map"
            r"|checked)?$",
            description="Claims: territorial claims with this verdict of "
            "the control map (checked: any but no_map). Empty means any.",
        ),
        limit: int = Query(settings.page_size, ge=1, le=settings.max_page_size),
        offset: int = Query(0, ge=0, le=10_000_000),
    ) -> Filters:
        since, until = filter_date("since", since), filter_date("until", until)
        claim_since, claim_until = filter_date("claim_since", claim_since), filter_date("claim_until", claim_until)
        return Filters(outlet=outlet or None, since=since, until=until, place=place or None,
                       technique=technique or None, claimant=claimant or None, type=claim_type or None, limit=limit,
                       offset=offset, claim_since=claim_since, claim_until=claim_until, sort=sort or None,
                       verdict=verdict or None)

    return dependency


def event_type_param(event_type: str | None = Query(None, max_length=32, pattern=TEXT,
                                                    description="The event type (PLOVER code such as ASSAULT, any "
                                                                "case); the same as 'type'.")) -> str | None:
    return event_type or None


def with_event_type(f: Filters, event_type: str | None) -> Filters:
    return replace(f, type=event_type) if event_type else f


def totalled(response: Response, page):
    """``page`` with its total also in the X-Total-Count header."""
    if getattr(page, "total", None) is not None:
        response.headers["X-Total-Count"] = str(page.total)
    return page


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
    def list_documents(request: Request, response: Response, f: Filters = filters) -> DocumentsPage:
        """Stored documents, newest publication first, with ``total`` (also in X-Total-Count). Filters: outlet,
        since/until (publication), place, technique, claimant and type (documents with such a claim),
        claim_since/claim_until; sort: published, outlet, title, words, ingested."""
        store = _store(request)
        return totalled(response, page_of(DocumentsPage, queries.list_documents(store, f), f.limit, f.offset,
                                          total=queries.count_documents(store, f)))

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
    def claim_ledger(request: Request, response: Response, f: Filters = filters) -> ClaimsPage:
        """The claim ledger: who claims what, where and when; each row carries doc_id and offsets. Newest
        publication first (sort: published, date, outlet, type, checkworthy); ``total`` counts every match."""
        store = _store(request)
        return totalled(response, page_of(ClaimsPage, claims(store, f), f.limit, f.offset,
                                          total=count_claims(store, f)))

    @router.get("/events", response_model=EventsPage, tags=["queries"])
    def event_ledger(request: Request, response: Response, f: Filters = filters,
                     event_type: str | None = Depends(event_type_param)) -> EventsPage:
        """The events ledger: what happened where, by whom, as which outlet told it; each row carries doc_id,
        offsets, the place with coordinates and precision, the claimant. Filters: type/event_type (event type),
        place, since/until (publication), claim_since/claim_until (the event's own date), outlet, claimant,
        technique; sort: published, date, outlet, type."""
        return totalled(response, events_page(_store(request), with_event_type(f, event_type)))

    @router.get("/timeline", response_model=TimelinePage, tags=["queries"])
    def place_timeline(request: Request, response: Response,
                       place: str = Query(..., min_length=1, max_length=200, pattern=TEXT),
                       f: Filters = filters) -> TimelinePage:
        """Claims about a place (repeat ``place`` for several) and events located there, by date then outlet."""
        return totalled(response, timeline_page(_store(request), f.place or place, f))

    @router.get("/places", response_model=PlacesPage, tags=["queries"])
    def place_list(request: Request, response: Response, f: Filters = filters) -> PlacesPage:
        """Distinct places with mention, document and claim counts, coordinates and precision; ``place`` keeps
        the places it matches, the other filters choose the documents counted; sort: mentions, documents, name."""
        store = _store(request)
        return totalled(response, page_of(PlacesPage, queries.places(store, f), f.limit, f.offset,
                                          total=queries.count_places(store, f)))

    @router.get("/maps", tags=["maps"])
    def map_layers(request: Request) -> list[dict]:
        """The imported control-map layers: name, kind, snapshots, first and last date (docs/control-maps.md)."""
        from ..maps import MapStore

        return MapStore(_store(request)).layers()

    @router.get("/maps/{layer}/snapshot.geojson", tags=["maps"], response_class=Response,
                responses={200: {"content": {"application/geo+json": {}}}, 404: {}})
    def map_snapshot(request: Request, layer: str = PathParam(..., min_length=1, max_length=200, pattern=TEXT),
                     date: str = Query(..., max_length=10, description="The layer's latest snapshot on or before "
                                       "this date (YYYY-MM-DD) is given."),
                     tolerance: float = Query(0.002, ge=0, le=0.1, description="Simplify outlines by this many "
                                              "degrees for drawing (0: as stored).")) -> Response:
        """One control-map snapshot as GeoJSON: a feature per status (occupied, liberated, unknown), with the
        snapshot's own date. 404 when the layer does not exist or has no snapshot that early."""
        check_date(date, "date")
        found = snapshot_geojson(_store(request), layer, date, tolerance)
        if found is None:
            raise HTTPException(404, f"no snapshot of layer {layer!r} on or before {date}")
        return Response(found, media_type="application/geo+json")

    @router.get("/verdicts.geojson", tags=["maps"], response_class=Response,
                responses={200: {"content": {"application/geo+json": {}}}})
    def verdicts_geojson(request: Request, f: Filters = filters) -> Response:
        """Territorial claims judged against the control maps, as GeoJSON points coloured by nothing but their
        ``verdict`` property (consistent, later, not_confirmed, contested, no_map): text, offsets, outlet,
        claimant, holder, as_of, the map's status and agreement date. All that match the filters."""
        from ..analysis.verdicts import load_verdicts
        from ..export.verdicts import verdict_features

        found = load_verdicts(_store(request), replace(f, limit=1_000_000, offset=0))
        return Response(json.dumps(verdict_features(found), ensure_ascii=False), media_type="application/geo+json")

    @router.get("/sources", response_model=SourcesPage, tags=["queries"])
    def source_profiles(request: Request, response: Response, f: Filters = filters) -> SourcesPage:
        """Outlet profiles: articles, claims by type, hedging, official quote share, technique density."""
        return totalled(response, sources_page(_store(request), f))

    kind_q = Query(None, pattern=r"^(contradiction|change|update|agreement)?$",
                   description="Only this kind of finding (empty: any).")
    aspect_q = Query(None, pattern=r"^(control|count|blame)?$", description="Only this aspect (empty: any).")

    @router.get("/compare", tags=["queries"])
    def compare_findings(request: Request, response: Response, f: Filters = filters, kind: str | None = kind_q,
                         aspect: str | None = aspect_q) -> Page[Any]:
        """Cross-source findings: contradictions, changes, updates and agreements between independent sources
        about who holds a place, counts at an event and blame for a strike; each lists its supporting claims with
        doc_id and offsets (discernment.analysis.compare)."""
        return totalled(response, comparisons_page(_store(request), f, kind or None, aspect or None,
                                                   request.app.state.compare))

    @router.get("/comparisons", tags=["queries"], include_in_schema=False)
    def comparisons(request: Request, f: Filters = filters, kind: str | None = kind_q,
                    aspect: str | None = aspect_q) -> Page[Any]:
        """The earlier name of /api/compare."""
        return comparisons_page(_store(request), f, kind or None, aspect or None, request.app.state.compare)

    @router.get("/clusters", tags=["queries"])
    def fact_cluster_list(request: Request, response: Response, f: Filters = filters,
                          text: str | None = Query(None, max_length=200, pattern=TEXT,
                                                   description='Only facts whose claims contain this text ("2,000").'),
                          min_outlets: int = Query(1, ge=1, le=100)) -> Page[Any]:
        """The same fact across outlets, first carrier first, with claimants, relay chains and quantities."""
        return totalled(response, clusters_page(_store(request), f, text, min_outlets, request.app.state.compare))

    # -- exports -----------------------------------------------------------------------------------------
    export_limit = Query(settings.max_export_rows, ge=1, le=settings.max_export_rows)

    @router.get("/export/claims.csv", tags=["exports"], response_class=Response,
                responses={200: {"content": {"text/csv": {}}}})
    def export_claims_csv(request: Request, f: Filters = filters, limit: int = export_limit) -> Response:
        """The filtered claim ledger as CSV: one row per claim, with doc_id, offsets, the article's URL and a reader
        link to the span; lists (via, places, quantities) are joined with "; ", never JSON."""
        from ..export.store import write_claims_csv

        out = io.StringIO()
        write_claims_csv(claims(_store(request), _with_limit(f, limit)), out)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
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
                responses={200: {"content": {"application/geo+json": {}}}})
    def export_events(request: Request, f: Filters = filters, limit: int = export_limit,
                      event_type: str | None = Depends(event_type_param),
                      places: bool = Query(False, description="Also every resolved place of the documents that "
                                                              "match the filters.")) -> Response:
        """The events matching the filters (type/event_type, place, claimant, outlet, since/until, ...) that have
        coordinates, as a GeoJSON FeatureCollection; each feature has a ``precision`` (settlement, site, admin2,
        admin1, country, unknown)."""
        from ..export.geojson import export_geojson as geojson
        from ..export.store import documents_by_id, stored_documents

        store = _store(request)
        f = with_event_type(_with_limit(f, limit), event_type)
        keys = event_keys(store, f)
        out = io.StringIO()
        geojson(documents_by_id(store, list(keys)), out, events=keys)
        if places:
            from ..export.geojson import place_features

            data = json.loads(out.getvalue())
            for doc in stored_documents(store, replace(f, type=None)):  # ``type`` is the events' type here
                data["features"].extend(place_features(doc))
            out = io.StringIO(json.dumps(data, ensure_ascii=False) + "\n")
        return Response(out.getvalue(), media_type="application/geo+json",
                        headers={"Content-Disposition": 'attachment; filename="events.geojson"'})

    @router.get("/export/acled.csv", tags=["exports"], response_class=Response,
                responses={200: {"content": {"text/csv": {}}}})
    def export_acled_csv(request: Request, f: Filters = filters, limit: int = export_limit,
                         event_type: str | None = Depends(event_type_param)) -> Response:
        """The events matching the filters as ACLED-style CSV. Events ACLED would not code are left out (no
        location, no event date, told as background or as a forecast, away from the war with no military actor);
        how many, and why, is in the X-Left-Out and X-Left-Out-Reasons headers (the CSV stays clean)."""
        from ..export.acled import export_acled
        from ..export.store import documents_by_id

        store = _store(request)
        keys = event_keys(store, with_event_type(_with_limit(f, limit), event_type))
        out = io.StringIO()
        left_out: Counter = Counter()
        export_acled(documents_by_id(store, list(keys)), out, events=keys, left_out=left_out)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="acled.csv"',
                                 "X-Left-Out": str(sum(left_out.values())),
                                 "X-Left-Out-Reasons": "; ".join(f"{k}={v}" for k, v in sorted(left_out.items()))})

    return router


def _with_limit(f: Filters, limit: int) -> Filters:
    return replace(f, limit=limit)


def _jsonl(store, ids: list[str]) -> Iterator[str]:
    for doc_id in ids:
        doc = store.get_document(doc_id)
        if doc is not None:
            yield json.dumps(doc.to_dict(), ensure_ascii=False) + "\n"


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
def _sliced(model, found: list, f: Filters, **extra):
    items = found[f.offset:f.offset + f.limit]
    return model(items=items, limit=f.limit, offset=f.offset, total=len(found),
                 next_offset=f.offset + f.limit if f.offset + f.limit < len(found) else None, **extra)


class _Recent:
    """The values made for the ``size`` keys asked last (a thread-safe LRU): what the map pages read from every
    snapshot of a layer, made once per key. Keys name the layers as imported, so a new import makes new keys."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: tuple, make: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()  # outside the lock: reading the snapshots takes seconds
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


_RUNS = _Recent(256)  # (store, layers as imported, lon, lat) -> a point's status runs
_SNAPSHOTS = _Recent(8)  # (store, layer, imported_at, snapshot date, tolerance) -> GeoJSON text


def place_status_runs(store, lon: float, lat: float) -> list[dict]:
    """The point's status runs on every imported layer (analysis.verdicts.status_runs), remembered for the 256
    points asked last until a layer is imported again: reading every snapshot takes seconds."""
    from dataclasses import asdict

    from ..analysis.verdicts import status_runs
    from ..maps import MapStore

    maps = MapStore(store)
    layers = tuple((x["name"], x["imported_at"], x["snapshots"]) for x in maps.layers())
    if not layers:
        return []
    return _RUNS.get((store.url, layers, round(lon, 6), round(lat, 6)),
                     lambda: [asdict(r) for runs in status_runs(maps, lon, lat).values() for r in runs])


def snapshot_geojson(store, layer: str, date: str, tolerance: float = 0.002) -> str | None:
    """The layer's snapshot on or before ``date`` as GeoJSON text, or None; the 8 drawn last are remembered."""
    from ..export.verdicts import snapshot_features
    from ..maps import MapStore

    maps = MapStore(store, cache_snapshots=1)
    found = {x["name"]: x for x in maps.layers()}.get(layer)
    day = maps.latest(layer, date) if found is not None else None
    if day is None:
        return None
    return _SNAPSHOTS.get((store.url, layer, found["imported_at"], day, tolerance), lambda: json.dumps(
        snapshot_features(layer, day.isoformat(), maps.snapshot(layer, day)[1], tolerance)))


def timeline_page(store, place, f: Filters) -> TimelinePage:
    entries = timeline(store, place, f)
    name = str(place) if not isinstance(place, str) else place
    first = place if isinstance(place, str) else (list(place)[0] if place else name)
    summary = queries.place_summary(store, first)
    runs = []
    if summary is not None and summary.lat is not None and summary.lon is not None:
        runs = place_status_runs(store, summary.lon, summary.lat)
    return TimelinePage(items=entries, limit=f.limit, offset=f.offset, next_offset=None, total=len(entries),
                        place=name, summary=summary, map=runs)


def events_page(store, f: Filters) -> EventsPage:
    return page_of(EventsPage, events(store, f), f.limit, f.offset, total=count_events(store, f))


def sources_page(store, f: Filters) -> SourcesPage:
    """Outlet profiles, each with its track record against the control maps, and the track records of the
    claimants (by the institution they speak for)."""
    from ..analysis.verdicts import profiles_with_records

    profiles, claimants = profiles_with_records(store, replace(f, limit=1_000_000, offset=0))
    page = _sliced(SourcesPage, profiles, f)
    page.claimants = claimants
    return page


def comparisons_page(store, f: Filters, kind: str | None = None, aspect: str | None = None,
                     settings=None) -> Page[Any]:
    from ..analysis.compare import compare

    findings = compare(store, replace(f, limit=1_000_000, offset=0), settings, kind=kind, aspect=aspect)
    page = _sliced(Page[Any], findings, f)
    page.items = [x.to_dict() for x in page.items]
    return page


def clusters_page(store, f: Filters, text: str | None = None, min_outlets: int = 1, settings=None) -> Page[Any]:
    from ..analysis.compare import fact_clusters

    found = fact_clusters(store, replace(f, limit=1_000_000, offset=0), settings, text_contains=text,
                          min_outlets=min_outlets)
    page = _sliced(Page[Any], found, f)
    page.items = [c.to_dict() for c in page.items]
    return page
