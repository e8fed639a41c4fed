"""HTML pages. Each page ``/x`` has a JSON twin ``/x.json`` returning the data the page shows (as datasette does).

Handlers fetch the data with the same functions as the API and hand it to a Jinja2 template (autoescaped).
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, replace
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select

from ..model import LAYERS
from ..store import queries as store_queries
from ..store import schema as store_schema
from ..store import trends
from ..store.queries import Filters, claims, place_spellings, query_terms, search
from . import queries
from .api import (
    DOC_ID,
    OPTIONAL_DATE,
    TEXT,
    clusters_page,
    comparisons_page,
    filter_date,
    filters_dependency,
    sources_page,
    timeline_page,
)
from .highlight import (
    LAYER_PREFIX,
    css_slug,
    document_marks,
    first_hit,
    highlight_html,
    hit_snippet,
    marked_snippet,
    parse_span,
    safe_url,
    technique_colour,
    term_pattern,
)
from .schemas import ClaimsPage, DocumentsPage, PlacesPage, page_of
from .settings import WebSettings

READER_LAYERS = ("claims", "quotes", "events", "techniques", "places", "entities")
PAGE_SIZES = (25, 50, 100, 200)
SEARCH_CAP = 1000  # hits a search page sorts and counts; beyond it the count reads "1,000+"
SEARCH_MODES = {"all": "all words", "any": "any word", "phrase": "exact phrase"}
SEARCH_SORTS = {"": "relevance", "-published": "newest first", "published": "oldest first"}
CLAIM_SORTS = {"-published": "newest published", "published": "oldest published", "-date": "claim date, newest",
               "date": "claim date, oldest", "-checkworthy": "most check-worthy", "outlet": "outlet", "type": "type"}
EVENT_SORTS = {"-published": "newest published", "published": "oldest published", "-date": "event date, newest",
               "date": "event date, oldest", "outlet": "outlet", "type": "type"}
DOCUMENT_SORTS = {"-published": "newest published", "published": "oldest published", "outlet": "outlet",
                  "title": "title", "-words": "longest", "-ingested": "latest added"}
PLACE_SORTS = {"-mentions": "most mentioned", "-documents": "in most documents", "name": "name"}
DATE_FIELDS = {"since": "published from", "until": "published until", "claim_since": "claim date from",
               "claim_until": "claim date until"}


def _optional(name: str):
    """A query the query layer may not have (yet): None when it is missing."""
    return getattr(queries, name, None) or getattr(store_queries, name, None)


def total_of(name: str, store, f: Filters) -> int | None:
    """The number of rows matching ``f`` from ``store.queries.<name>`` (count_claims...), None when unavailable."""
    counter = _optional(name)
    if counter is None:
        return None
    return int(counter(store, replace(f, limit=1, offset=0)))


def friendly_errors(errors: list[dict]) -> list[str]:
    """Validation errors as sentences for a person: which field, what was given, what is expected; never the
    regular expression the value failed."""
    out = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body")]
        name = loc[-1] if loc else "value"
        given = e.get("input")
        given_text = f" “{str(given)[:40]}”" if isinstance(given, (str, int, float)) else ""
        if name in DATE_FIELDS or name in ("since", "until"):
            label = DATE_FIELDS.get(name, name)
            out.append(f"The date{given_text} for “{label}” ({name}) is not a calendar date. "
                       "Write it as YYYY-MM-DD, for example 2024-03-01, or leave it empty.")
        elif e.get("type") == "string_pattern_mismatch":
            out.append(f"The value{given_text} for “{name}” is not in the expected form.")
        elif e.get("type", "").startswith(("less_than", "greater_than")) or name in ("limit", "offset"):
            out.append(f"The value{given_text} for “{name}” is out of range: {e.get('msg', '')}.")
        else:
            msg = str(e.get("msg", "is not valid"))
            if "pattern" in msg:
                msg = "is not in the expected form"
            out.append(f"“{name}”{given_text}: {msg}.")
    return out


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

    def query_with(request: Request, drop: tuple[str, ...] = (), **changes) -> str:
        """The request's query string (repeated parameters kept) without ``drop`` and with ``changes``."""
        items = [
            (k, v) for k, v in request.query_params.multi_items() if k not in drop and k not in changes and v != ""
        ]
        items += [(k, str(v)) for k, v in changes.items() if v is not None and v != ""]
        return urlencode(items)

    def filter_query(request: Request) -> str:
        """The filters of this page as a query string for an export URL: paging and view parameters left out."""
        return query_with(request, drop=("limit", "offset", "mode", "view", "q"))

    def listing(request: Request, page, total: int | None, sorts: dict | None = None, default_sort: str = "",
                exports: dict | None = None) -> dict:
        """What every list page shows around its rows: counts, page sizes, sort choices, export links."""
        sizes = [n for n in PAGE_SIZES if n <= settings.max_page_size]
        query = filter_query(request)
        return {"total": total, "sizes": sizes, "sorts": sorts or {}, "default_sort": default_sort,
                "exports": {label: url + ("?" + query if query else "") for label, url in (exports or {}).items()}}

    def places_selected(f: Filters) -> list[str]:
        if not f.place:
            return []
        return [f.place] if isinstance(f.place, str) else list(f.place)

    def place_choices(store) -> list[tuple[str, str]]:
        """Regions (oblasts) first, then the most mentioned places: (value, label) for the place filter."""
        p = store_schema.places
        with store.engine.connect() as conn:
            regions = [r[0] for r in conn.execute(select(p.c.admin1).where(p.c.admin1.is_not(None))
                                                  .group_by(p.c.admin1).order_by(func.count().desc()).limit(40))]
        top = [x.name for x in queries.places(store, Filters(limit=200))]
        out = [(r, f"{r} (region)") for r in sorted(regions)]
        out += [(n, n) for n in top if n not in regions]
        return out

    def routes(request: Request) -> set[str]:
        """The API's paths (from its OpenAPI document, which FastAPI builds once), to link only exports that exist."""
        return set(request.app.openapi().get("paths", {}))

    def event_types(store) -> list[str]:
        e = store_schema.events
        with store.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(e.c.type).distinct().order_by(e.c.type)) if r[0]]

    @router.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/documents", status_code=307)

    # -- documents and search ----------------------------------------------------------------------------
    def documents_data(request: Request, f: Filters) -> DocumentsPage:
        store = request.app.state.store
        return page_of(DocumentsPage, queries.list_documents(store, f), f.limit, f.offset,
                       total=total_of("count_documents", store, f))

    @router.get("/documents.json")
    def documents_json(request: Request, f: Filters = filters):
        return twin(documents_data(request, f))

    @router.get("/documents", response_class=HTMLResponse)
    def documents_html(request: Request, f: Filters = filters):
        store = request.app.state.store
        page = documents_data(request, f)
        return render(request, "documents.html", json_url(request), page=page, f=f,
                      outlets=queries.outlets(store),
                      lst=listing(request, None, getattr(page, "total", None), DOCUMENT_SORTS, "-published",
                                  exports={"JSONL": "/api/export/documents.jsonl"}))

    def search_data(request: Request, q: str, mode: str, f: Filters) -> dict:
        """One page of search hits, each with the span of its first hit in the text and a snippet around it."""
        store = request.app.state.store
        words = query_terms(q)
        if mode == "phrase":
            phrase = " ".join(q.replace('"', " ").split())
            queries_run, terms = ([f'"{phrase}"'] if phrase else []), ([phrase] if phrase else [])
        elif mode == "any":
            queries_run, terms = [f'"{w}"' if " " in w else w for w in words], words
        else:
            queries_run, terms = ([q] if words else []), words
        wide = replace(f, limit=SEARCH_CAP, offset=0, sort=None)
        found: dict[str, object] = {}
        for text_query in queries_run:
            for hit in search(store, text_query, wide):
                if hit.doc_id not in found or hit.rank < found[hit.doc_id].rank:
                    found[hit.doc_id] = hit
        hits = sorted(found.values(), key=lambda h: h.rank)
        order = f.sort if f.sort in SEARCH_SORTS else ""
        if order == "-published":
            hits.sort(key=lambda h: h.published or "", reverse=True)
        elif order == "published":
            hits.sort(key=lambda h: (h.published is None, h.published or ""))
        total = len(hits)
        shown = hits[f.offset:f.offset + f.limit]
        spellings = [s for t in terms for s in (place_spellings(store, t) if " " not in t else [t])]
        pattern = term_pattern(spellings)
        d = store_schema.documents
        with store.engine.connect() as conn:
            texts = dict(conn.execute(select(d.c.id, d.c.text).where(d.c.id.in_([h.doc_id for h in shown]))).all()) \
                if shown else {}
        items = []
        for h in shown:
            text = texts.get(h.doc_id, "")
            at = first_hit(text, pattern)
            snippet = hit_snippet(text, pattern, at) if at else marked_snippet(h.snippet, pattern)
            items.append({**asdict(h), "span": f"{at[0]}-{at[1]}" if at else None,
                          "href": f"/doc/{h.doc_id}" + (f"?span={at[0]}-{at[1]}" if at else ""),
                          "snippet_html": snippet})  # Markup: escaped text and <mark> only
        return {"items": items, "limit": f.limit, "offset": f.offset,
                "next_offset": f.offset + f.limit if f.offset + f.limit < total else None,
                "total": total, "capped": total >= SEARCH_CAP, "query": q, "mode": mode, "sort": order or "relevance",
                "terms": terms}

    search_q = Query("", max_length=500, pattern=TEXT)
    mode_q = Query("all", pattern=r"^(all|any|phrase)?$", description="all words, any word, or the exact phrase")

    @router.get("/search.json")
    def search_json(request: Request, q: str = search_q, mode: str = mode_q, f: Filters = filters):
        return twin(search_data(request, q, mode or "all", f))

    @router.get("/search", response_class=HTMLResponse)
    def search_html(request: Request, q: str = search_q, mode: str = mode_q, f: Filters = filters):
        store = request.app.state.store
        page = search_data(request, q, mode or "all", f)
        return render(request, "search.html", json_url(request), page=page, f=f, mode=mode or "all",
                      order=f.sort if f.sort in SEARCH_SORTS else "", modes=SEARCH_MODES, orders=SEARCH_SORTS,
                      outlets=queries.outlets(store), lst=listing(request, page, page["total"]))

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
                      source_url=safe_url(doc.source.url),
                      layers=[(name, LAYER_PREFIX[name], len(getattr(doc, name))) for name in READER_LAYERS],
                      techniques=[(t, technique_colour(t)) for t in techniques])

    # -- the claim ledger --------------------------------------------------------------------------------
    def claims_data(request: Request, f: Filters) -> ClaimsPage:
        store = request.app.state.store
        return page_of(ClaimsPage, claims(store, f), f.limit, f.offset, total=total_of("count_claims", store, f))

    @router.get("/claims.json")
    def claims_json(request: Request, f: Filters = filters):
        return twin(claims_data(request, f))

    @router.get("/claims", response_class=HTMLResponse)
    def claims_html(request: Request, f: Filters = filters):
        store = request.app.state.store
        page = claims_data(request, f)
        return render(request, "claims.html", json_url(request), page=page, f=f,
                      outlets=queries.outlets(store), types=queries.claim_types(store),
                      has_maps=bool(f.verdict) or queries.has_verdicts(store),
                      places=place_choices(store), selected_places=places_selected(f),
                      lst=listing(request, page, getattr(page, "total", None), CLAIM_SORTS, "-published",
                                  {"CSV": "/api/export/claims.csv", "JSON": "/api/export/claims.json"}))

    # -- places ------------------------------------------------------------------------------------------
    def places_data(request: Request, f: Filters) -> PlacesPage:
        store = request.app.state.store
        return page_of(
            PlacesPage, queries.places(store, f), f.limit, f.offset, total=total_of("count_places", store, f)
        )

    @router.get("/places.json")
    def places_json(request: Request, f: Filters = filters):
        return twin(places_data(request, f))

    @router.get("/places", response_class=HTMLResponse)
    def places_html(request: Request, f: Filters = filters):
        store = request.app.state.store
        page = places_data(request, f)
        # The map shows every place matching the filters, not only this page of the table.
        map_query = query_with(request, drop=("offset",), limit=settings.max_page_size)
        return render(request, "places.html", json_url(request), page=page, f=f, outlets=queries.outlets(store),
                      map_source="/places.json?" + map_query,
                      lst=listing(request, page, getattr(page, "total", None), PLACE_SORTS, "-mentions",
                                  exports={"GeoJSON (events)": "/api/export/events.geojson"}))

    # -- the events map ----------------------------------------------------------------------------------
    @router.get("/map.json")
    def map_json(request: Request, f: Filters = filters):
        """The map's data is the GeoJSON export with the same filters."""
        query = filter_query(request)
        return RedirectResponse("/api/export/events.geojson" + ("?" + query if query else ""), status_code=307)

    @router.get("/map", response_class=HTMLResponse)
    def map_html(request: Request, f: Filters = filters):
        store = request.app.state.store
        query = filter_query(request)
        total = total_of("count_events", store, f)
        source = "/api/export/events.geojson" + ("?" + query if query else "")
        return render(request, "map.html", json_url(request), f=f, outlets=queries.outlets(store),
                      types=event_types(store), places=place_choices(store), selected_places=places_selected(f),
                      total=total, source=source,
                      exports={label: url + ("?" + query if query else "") for label, url in (
                          ("GeoJSON", "/api/export/events.geojson"), ("ACLED CSV", "/api/export/acled.csv"),
                          ("JSON", "/api/events")) if url in routes(request)})

    # -- territorial claims against the control map ----------------------------------------------------------
    def control_map_data(request: Request, f: Filters, layer: str | None, date: str | None) -> dict:
        """What the claims map shows: the layers, the one drawn and the date asked (default: the newest claim
        date among the matches, else the layer's last snapshot), the verdict counts and the two GeoJSON URLs."""
        from collections import Counter

        from ..analysis.verdicts import load_verdicts
        from ..maps import MapStore

        store = request.app.state.store
        layers = MapStore(store).layers()
        names = [x["name"] for x in layers]
        layer = layer if layer in names else (names[0] if names else None)
        found = load_verdicts(store, replace(f, limit=1_000_000, offset=0))
        first, last = next(((x["first"], x["last"]) for x in layers if x["name"] == layer), (None, None))
        if date is None:
            date = max((v.as_of for v in found), default=None) or last
        if date and first and date < first:  # before the layer's first map: draw its first
            date = first
        query = filter_query(request)
        verdicts_url = "/api/verdicts.geojson" + ("?" + query if query else "")
        snapshot_url = (f"/api/maps/{quote(layer, safe='')}/snapshot.geojson?date={date}" if layer and date
                        else None)
        return {"layers": layers, "layer": layer, "date": date, "claims": len(found),
                "verdicts": dict(Counter(v.map.verdict for v in found)), "verdicts_url": verdicts_url,
                "snapshot_url": snapshot_url}

    map_layer_q = Query(None, max_length=200, pattern=TEXT, description="The control-map layer drawn.")
    map_date_q = Query(None, max_length=40, description="Draw the layer's map of this date (YYYY-MM-DD).",
                       json_schema_extra={"pattern": OPTIONAL_DATE})

    @router.get("/map/claims.json")
    def control_map_json(request: Request, f: Filters = filters, layer: str | None = map_layer_q,
                         date: str | None = map_date_q):
        return twin(control_map_data(request, f, layer, filter_date("date", date)))

    @router.get("/map/claims", response_class=HTMLResponse)
    def control_map_html(request: Request, f: Filters = filters, layer: str | None = map_layer_q,
                         date: str | None = map_date_q):
        store = request.app.state.store
        data = control_map_data(request, f, layer, filter_date("date", date))
        return render(request, "control_map.html", json_url(request), f=f, data=data,
                      outlets=queries.outlets(store), places=place_choices(store),
                      selected_places=places_selected(f))

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
        layers, map_cells = map_column(page.map, dates)
        dates = sorted(set(dates) | {d for d, _ in map_cells})
        return render(request, "place.html", json_url(request), page=page, f=f, outlets=outlets, dates=dates,
                      cells=cells, layers=layers, map_cells=map_cells)

    def map_column(runs: list[dict], dates: list[str]):
        """The timeline's map columns: for each row date and layer, the status then ({layer, status, snapshot,
        change}); a row is added on each date the map changed within the timeline's span."""
        from ..analysis.verdicts import StatusRun, status_on

        by_layer: dict[str, list] = {}
        for r in runs:
            by_layer.setdefault(r["layer"], []).append(StatusRun(**r))
        dated = [d for d in dates if d]
        if not by_layer or not dated:
            return [], {}
        out = {}
        for layer, layer_runs in by_layer.items():
            changes = {r.first for r in layer_runs[1:] if dated[0] <= r.first <= dated[-1]}
            for d in sorted(set(dated) | changes):
                run = status_on(layer_runs, d)
                out[(d, layer)] = {"status": run.status if run else "no_map", "change": d in changes,
                                   "snapshot": run.first if run and d in changes else None}
        return list(by_layer), out

    # -- sources and comparisons -------------------------------------------------------------------------
    @router.get("/sources.json")
    def sources_json(request: Request, f: Filters = filters):
        return twin(sources_page(request.app.state.store, f))

    @router.get("/sources", response_class=HTMLResponse)
    def sources_html(request: Request, f: Filters = filters):
        store = request.app.state.store
        page = sources_page(store, f)
        claim_types = sorted({t for p in page.items for t in p.claims_by_type})
        return render(request, "sources.html", json_url(request), page=page, f=f, claim_types=claim_types,
                      all_techniques=trends.techniques_by_outlet(store, f), outlets=queries.outlets(store),
                      techniques=trends.known_techniques(store),
                      lst=listing(request, page, getattr(page, "total", None)))

    # -- techniques per outlet and month -------------------------------------------------------------------
    def months_data(request: Request, f: Filters) -> trends.MonthTable:
        return trends.technique_months(request.app.state.store, f, f.technique)

    @router.get("/sources/months.json")
    def months_json(request: Request, f: Filters = filters):
        table = months_data(request, f)
        return twin({**asdict(table), "rows": trends.month_rows(table)})

    @router.get("/sources/months.csv")
    def months_csv(request: Request, f: Filters = filters):
        out = io.StringIO()
        writer = csv.DictWriter(out, trends.CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in trends.month_rows(months_data(request, f)):
            writer.writerow({**row, "small_sample": "true" if row["small_sample"] else "false"})
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="techniques-by-month.csv"'})

    @router.get("/sources/months", response_class=HTMLResponse)
    def months_html(request: Request, f: Filters = filters):
        store = request.app.state.store
        table = months_data(request, f)
        grid = {(c.outlet, c.month): c for c in table.cells}
        query = filter_query(request)
        return render(request, "months.html", json_url(request), table=table, grid=grid, f=f,
                      outlets=queries.outlets(store), techniques=trends.known_techniques(store),
                      csv_url="/sources/months.csv" + ("?" + query if query else ""))

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
                      aspect=aspect or "", csv_url="/api/export/findings.csv" + ("?" + query if query else ""),
                      lst=listing(request, page, getattr(page, "total", None)))

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
        page = clusters_data(request, f, text, min_outlets)
        return render(
            request,
            "clusters.html",
            json_url(request),
            page=page,
            f=f,
            text=text or "",
            min_outlets=min_outlets,
            lst=listing(request, page, getattr(page, "total", None)),
        )

    templates.env.globals.update(
        LAYERS=LAYERS,
        verdict_labels=queries.VERDICT_LABELS,
        status_words=queries.STATUS_WORDS,
        css_slug=css_slug,
        safe_url=safe_url,
        query_with=query_with,
        technique_name=trends.technique_name,
    )
    return router
