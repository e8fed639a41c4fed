"""Read-side queries the web needs that the store's query module does not have: a document list, places.

Like :mod:`discernment.store.queries`, every function takes a Store and returns dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import String, cast, func, select

from ..store import Store
from ..store import schema as s
from ..store.queries import Filters


@dataclass
class DocumentSummary:
    doc_id: str
    title: str | None
    outlet: str
    published: str | None
    url: str | None
    words: int
    genre: str | None
    claims: int
    quotes: int


def _restrict(query, f: Filters, d=s.documents):
    if f.outlet:
        query = query.where(func.lower(d.c.outlet) == f.outlet.lower())
    if f.since:
        query = query.where(d.c.published >= f.since)
    if f.until:
        query = query.where(d.c.published <= f.until)
    return query


def _layer_counts(conn, table, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = conn.execute(select(table.c.doc_id, func.count()).where(table.c.doc_id.in_(ids))
                        .group_by(table.c.doc_id))
    return {r[0]: int(r[1]) for r in rows}


def list_documents(store: Store, filters: Filters = Filters()) -> list[DocumentSummary]:
    """Stored documents, newest publication first, with their claim and quote counts."""
    d = s.documents
    q = select(d.c.id, d.c.title, d.c.outlet, d.c.published, d.c.url, d.c.words, d.c.genre)
    q = _restrict(q, filters).order_by(d.c.published.desc().nulls_last(), d.c.ingested_at.desc(), d.c.id)
    q = q.limit(filters.limit).offset(filters.offset)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
        ids = [r.id for r in rows]
        n_claims = _layer_counts(conn, s.claims, ids)
        n_quotes = _layer_counts(conn, s.quotes, ids)
    return [DocumentSummary(r.id, r.title, r.outlet, r.published, r.url, int(r.words or 0), r.genre,
                            n_claims.get(r.id, 0), n_quotes.get(r.id, 0)) for r in rows]


@dataclass
class PlaceSummary:
    """A place as mentioned across the corpus: resolved places are grouped by GeoNames id, others by name."""

    name: str
    geonames_id: int | None
    lat: float | None
    lon: float | None
    country_code: str | None
    admin1: str | None
    feature: str | None
    mentions: int
    documents: int
    claims: int = 0
    spellings: list[str] = field(default_factory=list)


def places(store: Store, filters: Filters = Filters()) -> list[PlaceSummary]:
    """Distinct places with mention, document and claim counts and coordinates, most mentioned first."""
    p, d = s.places, s.documents
    key = func.coalesce(cast(p.c.geonames_id, String), "name:" + func.lower(func.coalesce(p.c.name, p.c.text)))
    grouped = _restrict(
        select(key.label("key"), func.min(p.c.geonames_id).label("gid"),
               func.min(func.coalesce(p.c.name, p.c.text)).label("name"), func.min(p.c.lat).label("lat"),
               func.min(p.c.lon).label("lon"), func.min(p.c.country_code).label("cc"),
               func.min(p.c.admin1).label("admin1"), func.min(p.c.feature).label("feature"),
               func.count().label("mentions"), func.count(func.distinct(p.c.doc_id)).label("docs"))
        .join(d, d.c.id == p.c.doc_id), filters)
    if filters.place:
        wanted = filters.place.lower()
        grouped = grouped.where((func.lower(p.c.name) == wanted) | (func.lower(p.c.text) == wanted))
    grouped = grouped.group_by(key).order_by(func.count().desc(), key).limit(filters.limit).offset(filters.offset)
    with store.engine.connect() as conn:
        rows = conn.execute(grouped).all()
        ids = [r.gid for r in rows if r.gid is not None]
        claim_counts: dict[int, int] = {}
        spellings: dict[int, list[str]] = {}
        if ids:
            cp = s.claim_places
            for gid, n in conn.execute(select(cp.c.geonames_id, func.count(func.distinct(
                    cp.c.doc_id + ":" + cast(cp.c.claim_idx, String)))).where(cp.c.geonames_id.in_(ids))
                    .group_by(cp.c.geonames_id)):
                claim_counts[gid] = int(n)
            for gid, surface in conn.execute(select(p.c.geonames_id, p.c.text).where(p.c.geonames_id.in_(ids))
                                             .distinct().order_by(p.c.geonames_id, p.c.text)):
                spellings.setdefault(gid, []).append(surface)
    return [PlaceSummary(r.name, r.gid, r.lat, r.lon, r.cc, r.admin1, r.feature, int(r.mentions), int(r.docs),
                         claim_counts.get(r.gid, 0), spellings.get(r.gid, [r.name])) for r in rows]


def place_summary(store: Store, name: str) -> PlaceSummary | None:
    """The most mentioned place stored under this name or spelling, or None."""
    found = places(store, Filters(place=name, limit=1))
    return found[0] if found else None


def outlets(store: Store) -> list[str]:
    """Every outlet in the store, alphabetically (for filter menus)."""
    d = s.documents
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(d.c.outlet).distinct().order_by(d.c.outlet))]


def claim_types(store: Store) -> list[str]:
    c = s.claims
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(c.c.type).distinct().order_by(c.c.type)) if r[0]]
