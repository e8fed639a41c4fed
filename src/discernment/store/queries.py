"""Read-side queries over the store: search, the claim ledger, place timelines, source profiles.

Every function takes a :class:`~discernment.store.Store` and returns plain dataclasses/dicts that carry the
document id and character offsets, so each row can be opened at its exact span.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Float, String, Text, and_, column, exists, literal_column, func, or_, select, text
from sqlalchemy.sql import Select

from ..errors import DiscernError

from . import schema as s
from .store import Store


@dataclass(frozen=True)
class Filters:
    """Filters shared by search, claims and timelines; None means "any"."""

    outlet: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None
    place: str | None = None
    technique: str | None = None
    claimant: str | None = None
    type: str | None = None
    limit: int = 50
    offset: int = 0
    include_copies: bool = False  # also near copies of a document from the same outlet (see mark_duplicates)

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            check_date(getattr(self, name), name)


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_date(value: str | None, name: str) -> str | None:
    """``value`` when it is a calendar date written YYYY-MM-DD (or None); E206 naming ``name`` otherwise, so a
    mistyped filter is refused rather than silently matching nothing."""
    if value is None:
        return None
    try:
        if not _DAY.fullmatch(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise DiscernError("E206", f"{name} {value!r} is not a date: write it as YYYY-MM-DD (e.g. 2024-03-01)") \
            from None
    return value


def like_pattern(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def place_ids(store: Store, place: str) -> set[int]:
    """GeoNames ids of every stored place whose resolved name or surface text is ``place`` (any spelling seen)."""
    p = place.lower()
    with store.engine.connect() as conn:
        rows = conn.execute(select(s.places.c.geonames_id).where(
            s.places.c.geonames_id.is_not(None),
            or_(func.lower(s.places.c.name) == p, func.lower(s.places.c.text) == p)).distinct())
        return {r[0] for r in rows}


def place_condition(store: Store, place: str, doc_col, claim_idx_col=None):
    """Condition: the document (or, with ``claim_idx_col``, that claim) mentions the place."""
    ids = place_ids(store, place)
    p = place.lower()
    if claim_idx_col is not None:
        cp = s.claim_places
        match = or_(func.lower(cp.c.name) == p, cp.c.geonames_id.in_(ids)) if ids else func.lower(cp.c.name) == p
        return exists().where(cp.c.doc_id == doc_col, cp.c.claim_idx == claim_idx_col, match)
    pl = s.places
    match = or_(func.lower(pl.c.name) == p, func.lower(pl.c.text) == p, pl.c.geonames_id.in_(ids)) if ids else \
        or_(func.lower(pl.c.name) == p, func.lower(pl.c.text) == p)
    return exists().where(pl.c.doc_id == doc_col, match)


def not_a_same_outlet_copy(doc=s.documents):
    """Condition: the document is not a near copy of another document from the same outlet."""
    original = s.documents.alias("original")
    return ~exists().where(original.c.id == doc.c.duplicate_of, original.c.outlet == doc.c.outlet)


def _outlet_and_dates(query: Select, f: Filters, doc, date_column) -> Select:
    """The filters every query shares: same-outlet copies left out, the outlet, a date range on ``date_column``."""
    if not f.include_copies:
        query = query.where(not_a_same_outlet_copy(doc))
    if f.outlet:
        query = query.where(func.lower(doc.c.outlet) == f.outlet.lower())
    if f.since:
        query = query.where(date_column >= f.since)
    if f.until:
        query = query.where(date_column <= f.until)
    return query


def _claimant_matches(claims, name: str):
    """Condition: the claim's claimant (canonical or as written) contains ``name``, case-insensitively."""
    pattern = like_pattern(name.lower())
    return or_(func.lower(claims.c.claimant_canonical).like(pattern, escape="\\"),
               func.lower(claims.c.claimant).like(pattern, escape="\\"))


def _technique_in(doc_id_column, technique: str):
    t = s.techniques
    return exists().where(t.c.doc_id == doc_id_column, t.c.technique == technique)


def _document_filters(store: Store, query: Select, f: Filters, doc=s.documents) -> Select:
    query = _outlet_and_dates(query, f, doc, doc.c.published)
    if f.place:
        query = query.where(place_condition(store, f.place, doc.c.id))
    if f.technique:
        query = query.where(_technique_in(doc.c.id, f.technique))
    if f.claimant:
        c = s.claims
        query = query.where(exists().where(c.c.doc_id == doc.c.id, _claimant_matches(c, f.claimant)))
    return query


def claim_filters(store: Store, query: Select, f: Filters, claims=s.claims, doc=s.documents) -> Select:
    """The ledger's filters on a query that joins claims to their documents (dates are the claims' dates)."""
    query = _outlet_and_dates(query, f, doc, claims.c.date)
    if f.type:
        query = query.where(claims.c.type == f.type)
    if f.claimant:
        query = query.where(_claimant_matches(claims, f.claimant))
    if f.place:
        query = query.where(place_condition(store, f.place, claims.c.doc_id, claims.c.idx))
    if f.technique:
        query = query.where(_technique_in(claims.c.doc_id, f.technique))
    return query


# -- search --------------------------------------------------------------------------------------------------
@dataclass
class SearchHit:
    doc_id: str
    title: str | None
    outlet: str
    published: str | None
    url: str | None
    snippet: str
    rank: float


_TOKEN = re.compile(r'"([^"]+)"|(\S+)')


def query_terms(query: str) -> list[str]:
    """The terms of a user query: "quoted phrases" stay whole, other words one by one (quotes dropped)."""
    terms = []
    for phrase, word in _TOKEN.findall(query):
        value = (phrase or word).replace('"', "").strip()
        if value:
            terms.append(value)
    return terms


def place_spellings(store: Store, term: str, limit: int = 8) -> list[str]:
    """Every spelling the store has seen for the place(s) named ``term`` (Izium, Izyum, Изюм...), term first."""
    ids = place_ids(store, term)
    if not ids:
        return [term]
    with store.engine.connect() as conn:
        rows = conn.execute(select(s.places.c.text, s.places.c.name).where(s.places.c.geonames_id.in_(ids))
                            .distinct().limit(200)).all()
    spellings = {term.lower(): term}
    for row in rows:
        for value in (row.text, row.name):
            if value and value.lower() not in spellings and len(spellings) < limit:
                spellings[value.lower()] = value
    return list(spellings.values())


def fts5_query(groups: list[list[str]]) -> str:
    """Safe FTS5 syntax: each group is an OR of phrases, groups are ANDed."""
    parts = []
    for group in groups:
        alternatives = ['"' + alt.replace('"', "") + '"' for alt in group if alt.strip()]
        if alternatives:
            parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts) if parts else '""'


def _pg_tsquery(groups: list[list[str]]):
    query = None
    for group in groups:
        alternatives = None
        for alt in group:
            q = func.phraseto_tsquery("simple", alt)
            alternatives = q if alternatives is None else alternatives.op("||")(q)
        query = alternatives if query is None else query.op("&&")(alternatives)
    return query if query is not None else func.phraseto_tsquery("simple", "")


def search(store: Store, query: str, filters: Filters = Filters(), spellings: bool = True) -> list[SearchHit]:
    """Documents matching ``query`` (full-text), best first, with a highlighted snippet.

    With ``spellings``, a word that names a stored place also matches the other spellings the store has seen
    for it, so "Izium" finds "Izyum" and "Изюм".
    """
    terms = query_terms(query)
    groups = [place_spellings(store, t) if spellings and " " not in t else [t] for t in terms]
    d = s.documents
    if store.dialect == "sqlite":
        fts = text("SELECT doc_id, snippet(documents_fts, 2, '[', ']', '…', 16) AS snippet, "
                   "bm25(documents_fts) AS rank FROM documents_fts WHERE documents_fts MATCH :q"
                   ).columns(column("doc_id", String), column("snippet", Text), column("rank", Float)).subquery("fts")
        q = select(d.c.id, d.c.title, d.c.outlet, d.c.published, d.c.url, fts.c.snippet, fts.c.rank) \
            .join(fts, fts.c.doc_id == d.c.id).order_by(fts.c.rank)
        params = {"q": fts5_query(groups)}
    else:
        tsq = _pg_tsquery(groups)
        tsv = literal_column("documents.tsv")
        q = select(d.c.id, d.c.title, d.c.outlet, d.c.published, d.c.url,
                   func.ts_headline("simple", d.c.text, tsq,
                                    "StartSel=[,StopSel=],MaxFragments=1,MaxWords=30,MinWords=10").label("snippet"),
                   (-func.ts_rank(tsv, tsq)).label("rank")) \
            .where(tsv.op("@@")(tsq)).order_by(text("rank"))
        params = {}
    q = _document_filters(store, q, filters).limit(filters.limit).offset(filters.offset)
    with store.engine.connect() as conn:
        rows = conn.execute(q, params).all()
    return [SearchHit(r.id, r.title, r.outlet, r.published, r.url, " ".join((r.snippet or "").split()), float(r.rank))
            for r in rows]


# -- the claim ledger ----------------------------------------------------------------------------------------
@dataclass
class LedgerRow:
    doc_id: str
    idx: int
    start: int
    end: int
    text: str
    type: str
    claimant: str | None
    via: list[str]
    hedged: bool
    checkworthy: float
    date: str | None
    outlet: str
    published: str | None
    title: str | None
    places: list[str] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)


def claims(store: Store, filters: Filters = Filters()) -> list[LedgerRow]:
    """Claims matching the filters, newest first; each row links to its document and offsets."""
    c, d = s.claims, s.documents
    q = claim_filters(store, select(c, d.c.outlet, d.c.published, d.c.title).join(d, d.c.id == c.c.doc_id),
                      filters)
    q = q.order_by(c.c.date.desc(), c.c.doc_id, c.c.idx).limit(filters.limit).offset(filters.offset)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
        names = _claim_place_names(conn, [(r.doc_id, r.idx) for r in rows])
    return [LedgerRow(r.doc_id, r.idx, r.start, r.end, r.text, r.type, r.claimant_canonical or r.claimant,
                      list(r.via or []), bool(r.hedged), float(r.checkworthy or 0.0), r.date, r.outlet,
                      r.published, r.title, names.get((r.doc_id, r.idx), []), list(r.quantities or []))
            for r in rows]


def _claim_place_names(conn, keys: list[tuple[str, int]]) -> dict[tuple[str, int], list[str]]:
    if not keys:
        return {}
    cp = s.claim_places
    docs = sorted({k[0] for k in keys})
    out: dict[tuple[str, int], list[str]] = defaultdict(list)
    for r in conn.execute(select(cp).where(cp.c.doc_id.in_(docs)).order_by(cp.c.doc_id, cp.c.claim_idx,
                                                                            cp.c.place_idx)):
        if r.name not in out[(r.doc_id, r.claim_idx)]:
            out[(r.doc_id, r.claim_idx)].append(r.name)
    return out


# -- timelines -----------------------------------------------------------------------------------------------
@dataclass
class TimelineEntry:
    date: str | None
    outlet: str
    kind: str  # claim | event
    type: str
    text: str
    claimant: str | None
    doc_id: str
    start: int
    end: int


def timeline(store: Store, place: str, filters: Filters = Filters(limit=500)) -> list[TimelineEntry]:
    """Claims about ``place`` and events located there, by date then outlet."""
    f = Filters(**{**filters.__dict__, "place": place})
    entries = [TimelineEntry(r.date, r.outlet, "claim", r.type, r.text, r.claimant, r.doc_id, r.start, r.end)
               for r in claims(store, f)]
    e, d = s.events, s.documents
    ids = place_ids(store, place)
    texts = _place_texts(store, ids) | {place.lower()}
    q = select(e, d.c.outlet).join(d, d.c.id == e.c.doc_id).where(func.lower(e.c.place_text).in_(texts))
    q = _outlet_and_dates(q, f, d, e.c.date)
    with store.engine.connect() as conn:
        rows = conn.execute(q.limit(f.limit)).all()
        for r in rows:
            claimant = None
            if r.claim is not None:
                c = conn.execute(select(s.claims.c.claimant_canonical, s.claims.c.claimant).where(
                    and_(s.claims.c.doc_id == r.doc_id, s.claims.c.idx == r.claim))).first()
                claimant = (c.claimant_canonical or c.claimant) if c else None
            doc_text = conn.execute(select(func.substr(d.c.text, r.start + 1, r.end - r.start))
                                    .where(d.c.id == r.doc_id)).scalar_one()
            entries.append(TimelineEntry(r.date, r.outlet, "event", r.type, doc_text, claimant, r.doc_id,
                                         r.start, r.end))
    entries.sort(key=lambda x: (x.date or "", x.outlet, x.kind, x.doc_id, x.start))
    return entries


def _place_texts(store: Store, ids: set[int]) -> set[str]:
    if not ids:
        return set()
    with store.engine.connect() as conn:
        rows = conn.execute(select(s.places.c.text, s.places.c.name).where(s.places.c.geonames_id.in_(ids)))
        return {v.lower() for r in rows for v in (r.text, r.name) if v}


# -- source profiles -----------------------------------------------------------------------------------------
OFFICIAL_WORDS = re.compile(
    r"\b(ministry|minister|ministers|spokes(?:man|woman|person)|president|governor|general|staff|army|military|"
    r"commander|official|officials|government|kremlin|pentagon|administration|mayor|forces|command|council|"
    r"office|department|headquarters|mod|police|service)\b", re.IGNORECASE)


@dataclass
class SourceProfile:
    outlet: str
    articles: int
    words: int
    claims: int
    claims_by_type: dict[str, int]
    hedged_rate: float
    quotes: int
    official_quote_share: float
    techniques_per_1000_words: float
    top_techniques: list[tuple[str, int]]
    genres: dict[str, int]


def sources(store: Store, filters: Filters = Filters()) -> list[SourceProfile]:
    """Per outlet: articles, claims by type, hedging rate, share of quotes by officials, technique density."""
    d = s.documents
    base = _document_filters(store, select(d.c.id), filters).subquery()
    with store.engine.connect() as conn:
        docs = conn.execute(select(d.c.outlet, func.count(), func.sum(d.c.words))
                            .where(d.c.id.in_(select(base.c.id))).group_by(d.c.outlet)).all()
        genres = conn.execute(select(d.c.outlet, d.c.genre, func.count()).where(d.c.id.in_(select(base.c.id)))
                              .group_by(d.c.outlet, d.c.genre)).all()
        claim_rows = conn.execute(select(d.c.outlet, s.claims.c.type, s.claims.c.hedged, func.count())
                                  .join(d, d.c.id == s.claims.c.doc_id).where(d.c.id.in_(select(base.c.id)))
                                  .group_by(d.c.outlet, s.claims.c.type, s.claims.c.hedged)).all()
        quote_rows = conn.execute(select(d.c.outlet, s.quotes.c.speaker_text, s.quotes.c.speaker_canonical)
                                  .join(d, d.c.id == s.quotes.c.doc_id).where(d.c.id.in_(select(base.c.id)))).all()
        tech_rows = conn.execute(select(d.c.outlet, s.techniques.c.technique, func.count())
                                 .join(d, d.c.id == s.techniques.c.doc_id).where(d.c.id.in_(select(base.c.id)))
                                 .group_by(d.c.outlet, s.techniques.c.technique)).all()
    by_type: dict[str, Counter] = defaultdict(Counter)
    hedged: Counter = Counter()
    for outlet, ctype, is_hedged, n in claim_rows:
        by_type[outlet][ctype] += n
        if is_hedged:
            hedged[outlet] += n
    quotes_n: Counter = Counter()
    official: Counter = Counter()
    for outlet, speaker, canonical in quote_rows:
        quotes_n[outlet] += 1
        if OFFICIAL_WORDS.search(" ".join(filter(None, (speaker, canonical)))):
            official[outlet] += 1
    techs: dict[str, Counter] = defaultdict(Counter)
    for outlet, technique, n in tech_rows:
        techs[outlet][technique] += n
    genre_counts: dict[str, Counter] = defaultdict(Counter)
    for outlet, genre, n in genres:
        genre_counts[outlet][genre or "reporting"] += n
    out = []
    for outlet, articles, words in docs:
        words = int(words or 0)
        n_claims = sum(by_type[outlet].values())
        out.append(SourceProfile(
            outlet, int(articles), words, n_claims, dict(by_type[outlet].most_common()),
            round(hedged[outlet] / n_claims, 4) if n_claims else 0.0, quotes_n[outlet],
            round(official[outlet] / quotes_n[outlet], 4) if quotes_n[outlet] else 0.0,
            round(1000 * sum(techs[outlet].values()) / words, 3) if words else 0.0,
            techs[outlet].most_common(5), dict(genre_counts[outlet])))
    out.sort(key=lambda p: (-p.articles, p.outlet))
    return out
