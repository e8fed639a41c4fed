"""Read-side queries over the store: search, the claim ledger, place timelines, source profiles.

Every function takes a :class:`~discernment.store.Store` and returns plain dataclasses/dicts that carry the
document id and character offsets, so each row can be opened at its exact span.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Sequence

from sqlalchemy import (
    Float,
    String,
    Text,
    and_,
    case,
    cast,
    column,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    text,
)
from sqlalchemy.sql import Select

from ..errors import DiscernError
from ..export.precision import place_precision
from . import schema as s
from .store import Store


class Places(tuple):
    """The place filter: one or more names (any spelling, any script), of which any may match.

    It prints as its names joined by "; " and has ``lower()``, so code written when the filter was one string
    (``f.place or ''`` in a template, ``filters.place.lower()``) keeps working for one place.
    """

    def __str__(self) -> str:
        return "; ".join(self)

    def lower(self) -> str:
        return str(self).lower()


@dataclass(frozen=True)
class Filters:
    """Filters shared by every list query; None means "any".

    ``since``/``until`` bound the PUBLICATION date of the document (inclusive, YYYY-MM-DD) on every query;
    ``claim_since``/``claim_until`` bound the claim's (or the event's) own resolved date, counted only when it
    is plausible (see :data:`DATE_BEFORE_DAYS`). ``place`` is one name or a sequence of names (any may match);
    it is normalised to :class:`Places`. ``sort`` names a column, ``-`` in front for descending; a key a query
    does not know leaves its default order.
    """

    outlet: str | None = None
    since: str | None = None  # publication date, YYYY-MM-DD, inclusive
    until: str | None = None
    place: str | Sequence[str] | None = None
    technique: str | None = None
    claimant: str | None = None
    type: str | None = None
    limit: int = 50
    offset: int = 0
    include_copies: bool = False  # also near copies of a document from the same outlet (see mark_duplicates)
    claim_since: str | None = None  # the claim's (event's) own date, YYYY-MM-DD, inclusive
    claim_until: str | None = None
    sort: str | None = None
    verdict: str | None = None  # claims whose (primary) map verdict is this one, or "checked": any but no_map

    def __post_init__(self) -> None:
        for name in ("since", "until", "claim_since", "claim_until"):
            check_date(getattr(self, name), name)
        check_choice(self.verdict, "verdict", VERDICT_FILTERS)
        object.__setattr__(self, "place", normalise_places(self.place))


def normalise_places(place: str | Sequence[str] | None) -> Places | None:
    """A place filter as :class:`Places` (blank names dropped, duplicates once), or None when it names none."""
    if place is None:
        return None
    values = [place] if isinstance(place, str) else list(place)
    names = list(dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))
    return Places(names) if names else None


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


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


# The verdicts of a control map on a territorial claim (docs/control-maps.md), and what the ledger's filter takes.
VERDICTS = ("consistent", "later", "not_confirmed", "contested", "no_map")
VERDICT_FILTERS = (*VERDICTS, "checked")


def check_choice(value: str | None, name: str, allowed: Sequence[str]) -> str | None:
    """``value`` when it is one of ``allowed`` (or None); E207 naming ``name`` and the choices otherwise."""
    if value is not None and value not in allowed:
        raise DiscernError("E207", f"{name} {value!r} is not one of: {', '.join(allowed)}")
    return value


def like_pattern(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# -- dates ---------------------------------------------------------------------------------------------------
# A claim's (or event's) resolved date is taken as its own date only when it lies between DATE_BEFORE_DAYS
# before and DATE_AFTER_DAYS after the publication date. Outside that window it is a forecast ("by 2045"), a
# deadline or a distant reference, not when the claim's news happened: such a claim has no ``as_of``, never
# answers claim_since/claim_until and sorts by its publication date. The ledger's default order and
# since/until use the publication date only.
DATE_BEFORE_DAYS = 730
DATE_AFTER_DAYS = 31


def _well_formed(column, dialect: str):
    if dialect == "sqlite":
        return column.op("GLOB", is_comparison=True)("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]")
    return column.op("~", is_comparison=True)(r"^\d{4}-\d{2}-\d{2}$")


def as_of(date_column, published_column, dialect: str):
    """SQL: ``date_column`` when it is a plausible own date for a record published on ``published_column``
    (within DATE_BEFORE_DAYS before and DATE_AFTER_DAYS after; any date when the publication date is unknown),
    else NULL."""
    if dialect == "sqlite":
        days = func.julianday(date_column) - func.julianday(published_column)
    else:
        days = func.to_date(date_column, "YYYY-MM-DD") - func.to_date(published_column, "YYYY-MM-DD")
    return case(
        (date_column.is_(None), null()),
        (published_column.is_(None), date_column),
        (~_well_formed(date_column, dialect), null()),
        (~_well_formed(published_column, dialect), date_column),
        (days.between(-DATE_BEFORE_DAYS, DATE_AFTER_DAYS), date_column),
        else_=null())


def plausible_date(date: str | None, published: str | None) -> str | None:
    """Python twin of :func:`as_of` for one record."""
    if not date:
        return None
    if not published:
        return date
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return None
    try:
        days = (day - dt.date.fromisoformat(published)).days
    except ValueError:
        return date
    return date if -DATE_BEFORE_DAYS <= days <= DATE_AFTER_DAYS else None


# -- places --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlaceMatch:
    """What a place filter matches: stored places whose name or surface text is one of ``names`` (lower case),
    whose GeoNames id is in ``ids``, or which lie in one of ``regions`` ((country code, admin-1 name) in lower
    case: an oblast named as the filter takes in every settlement stored with that oblast)."""

    names: frozenset[str] = frozenset()
    ids: frozenset[int] = frozenset()
    regions: frozenset[tuple[str, str]] = frozenset()

    def condition(self, pl=s.places):
        """SQL condition on a row of the places table ``pl``."""
        parts = [func.lower(pl.c.name).in_(sorted(self.names)), func.lower(pl.c.text).in_(sorted(self.names))]
        if self.ids:
            parts.append(pl.c.geonames_id.in_(sorted(self.ids)))
        for country, admin1 in sorted(self.regions):
            parts.append(and_(pl.c.country_code == country.upper(), func.lower(pl.c.admin1) == admin1))
        return or_(*parts)


_GAZETTEER: list = []  # [Gazetteer or None], opened on first use
_GAZETTEER_LOCK = threading.Lock()


def gazetteer():
    """The default gazetteer (opened once), or None when it cannot be opened: place filters then match the
    spellings the store has seen only."""
    if not _GAZETTEER:
        with _GAZETTEER_LOCK:
            if not _GAZETTEER:
                try:
                    from ..resolve.gazetteer import Gazetteer

                    _GAZETTEER.append(Gazetteer.open_default())
                except Exception:  # no cache directory, a build that fails: filters still work on stored names
                    _GAZETTEER.append(None)
    return _GAZETTEER[0]


def set_gazetteer(value) -> None:
    """Use ``value`` (a Gazetteer, or None for none) for place filters from now on (tests, a configured one)."""
    with _GAZETTEER_LOCK:
        _GAZETTEER[:] = [value]


_MATCH_RANK = {"exact": 0, "alias": 1, "abbreviation": 1, "fold": 2}


def _gazetteer_candidates(name: str) -> list:
    """The gazetteer's best-matching candidates for ``name`` (all of the best match kind; never fuzzy ones)."""
    gaz = gazetteer()
    if gaz is None:
        return []
    try:
        found = [c for c in gaz.lookup(name, fuzzy=False) if c.match in _MATCH_RANK]
    except Exception:
        return []
    if not found:
        return []
    best = min(_MATCH_RANK[c.match] for c in found)
    return [c for c in found if _MATCH_RANK[c.match] == best]


def resolve_place(store: Store, place: str | Sequence[str]) -> PlaceMatch:
    """What the place filter ``place`` (one name or several) matches, through the gazetteer and the store.

    Each name matches: stored places whose resolved name or surface text is it (any case); the GeoNames ids the
    gazetteer gives for it (exact name, alternate names in any script, romanisation folding: Изюм, Izjum,
    Izium and Izyum are one id) and the ids of those stored places; and, when it names an admin-1 region (an
    oblast) and no settlement of that name, every stored place with that region's country and admin-1 name.
    """
    names = normalise_places(place) or ()
    lowered: set[str] = set()
    ids: set[int] = set()
    regions: set[tuple[str, str]] = set()
    for name in names:
        low = name.lower()
        lowered.add(low)
        candidates = _gazetteer_candidates(name)
        ids |= {c.geonames_id for c in candidates if c.geonames_id is not None}
        if candidates and not any(c.fclass == "P" for c in candidates):
            gaz = gazetteer()
            for c in candidates:
                if c.fcode == "ADM1" and c.country:
                    admin1 = (gaz.admin1_name(c.country, c.admin1) if c.admin1 else None) or c.name
                    regions.add((c.country.lower(), admin1.lower()))
    if not lowered:
        return PlaceMatch()
    pl = s.places
    with store.engine.connect() as conn:
        rows = conn.execute(select(pl.c.geonames_id, pl.c.feature, pl.c.country_code, pl.c.name).where(
            or_(func.lower(pl.c.name).in_(sorted(lowered)), func.lower(pl.c.text).in_(sorted(lowered)))).distinct())
        for gid, feature, country, resolved in rows:
            if gid is not None:
                ids.add(gid)
            if feature == "ADM1" and country and resolved and resolved.lower() in lowered:
                regions.add((country.lower(), resolved.lower()))
    return PlaceMatch(frozenset(lowered), frozenset(ids), frozenset(regions))


def place_ids(store: Store, place: str | Sequence[str], regions: bool = True) -> set[int]:
    """GeoNames ids the place filter ``place`` matches (see :func:`resolve_place`): the gazetteer's and those of
    stored places named or spelt so, plus, with ``regions``, those of stored places inside a named oblast."""
    match = resolve_place(store, place)
    ids = set(match.ids)
    if regions and match.regions:
        pl = s.places
        inside = or_(*[and_(pl.c.country_code == c.upper(), func.lower(pl.c.admin1) == a) for c, a in match.regions])
        with store.engine.connect() as conn:
            ids |= {r[0] for r in conn.execute(select(pl.c.geonames_id).where(
                pl.c.geonames_id.is_not(None), inside).distinct())}
    return ids


def place_condition(store: Store, place: str | Sequence[str], doc_col, claim_idx_col=None,
                    match: PlaceMatch | None = None):
    """Condition: the document (or, with ``claim_idx_col``, that claim) mentions the place (any of them)."""
    match = match or resolve_place(store, place)
    pl = s.places.alias("pf")
    if claim_idx_col is not None:
        cp = s.claim_places.alias("cpf")
        return exists().where(cp.c.doc_id == doc_col, cp.c.claim_idx == claim_idx_col,
                              pl.c.doc_id == cp.c.doc_id, pl.c.idx == cp.c.place_idx, match.condition(pl))
    return exists().where(pl.c.doc_id == doc_col, match.condition(pl))


def event_place_condition(store: Store, place, events=s.events, match: PlaceMatch | None = None):
    """Condition: the event's place is (one of) the place(s): a place of its document with the event's place
    text matches, or the event's place text is one of the names."""
    match = match or resolve_place(store, place)
    pl = s.places.alias("pe")
    return or_(func.lower(events.c.place_text).in_(sorted(match.names)),
               exists().where(pl.c.doc_id == events.c.doc_id, func.lower(pl.c.text) == func.lower(events.c.place_text),
                              match.condition(pl)))


# -- techniques ----------------------------------------------------------------------------------------------
def _technique_key(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", value.lower())


def technique_labels(store: Store, technique: str) -> list[str]:
    """The stored technique labels that ``technique`` names, in any case or spelling: "name calling",
    "Name_Calling,Labeling", "labeling" and "NAME-CALLING" all name ``Name_Calling,Labeling``. A label matches
    when the value equals it or one of its comma-separated parts (letters and digits only, case ignored), or
    begins it (four letters at least: "appeal to fear")."""
    key = _technique_key(technique)
    with store.engine.connect() as conn:
        stored = [r[0] for r in conn.execute(select(s.techniques.c.technique).distinct()) if r[0]]
    found = []
    for label in stored:
        full = _technique_key(label)
        parts = {_technique_key(p) for p in label.split(",")}
        if key and (key == full or key in parts or (len(key) >= 4 and full.startswith(key))):
            found.append(label)
    return found or [technique]


def _technique_in(store: Store, doc_id_column, technique: str):
    t = s.techniques
    return exists().where(t.c.doc_id == doc_id_column, t.c.technique.in_(technique_labels(store, technique)))


def _technique_overlaps(store: Store, doc_id_column, start_column, end_column, technique: str):
    """Condition: a span of the technique overlaps [start, end) of that document."""
    t = s.techniques.alias("tq")
    return exists().where(t.c.doc_id == doc_id_column, t.c.technique.in_(technique_labels(store, technique)),
                          t.c.start < end_column, t.c.end > start_column)


# -- the shared filters --------------------------------------------------------------------------------------
def not_a_same_outlet_copy(doc=s.documents):
    """Condition: the document is not a near copy of another document from the same outlet."""
    original = s.documents.alias("original")
    return ~exists().where(original.c.id == doc.c.duplicate_of, original.c.outlet == doc.c.outlet)


def _outlet_and_dates(query: Select, f: Filters, doc, date_column=None) -> Select:
    """The filters every query shares: same-outlet copies left out, the outlet, the publication date range
    (``date_column``, the document's publication date unless given)."""
    date_column = doc.c.published if date_column is None else date_column
    if not f.include_copies:
        query = query.where(not_a_same_outlet_copy(doc))
    if f.outlet:
        query = query.where(func.lower(doc.c.outlet) == f.outlet.lower())
    if f.since:
        query = query.where(date_column >= f.since)
    if f.until:
        query = query.where(date_column <= f.until)
    return query


def _own_dates(query: Select, f: Filters, date_column, published_column, dialect: str) -> Select:
    """claim_since/claim_until on a record's own date (only a plausible one: see :func:`as_of`)."""
    if f.claim_since or f.claim_until:
        when = as_of(date_column, published_column, dialect)
        if f.claim_since:
            query = query.where(when >= f.claim_since)
        if f.claim_until:
            query = query.where(when <= f.claim_until)
    return query


def _claimant_matches(claims, name: str):
    """Condition: the claim's claimant (canonical or as written) contains ``name``, case-insensitively."""
    pattern = like_pattern(name.lower())
    return or_(func.lower(claims.c.claimant_canonical).like(pattern, escape="\\"),
               func.lower(claims.c.claimant).like(pattern, escape="\\"))


def _document_filters(store: Store, query: Select, f: Filters, doc=s.documents) -> Select:
    """Documents: published in the range, from the outlet, mentioning the place, with the technique, with a
    claim by the claimant, of the claim type, or dated (own date) in claim_since..claim_until."""
    query = _outlet_and_dates(query, f, doc)
    if f.place:
        query = query.where(place_condition(store, f.place, doc.c.id))
    if f.technique:
        query = query.where(_technique_in(store, doc.c.id, f.technique))
    if f.claimant or f.type or f.claim_since or f.claim_until:
        c = s.claims.alias("dc")
        conditions = [c.c.doc_id == doc.c.id]
        if f.claimant:
            conditions.append(_claimant_matches(c, f.claimant))
        if f.type:
            conditions.append(c.c.type == f.type)
        when = as_of(c.c.date, doc.c.published, store.dialect)
        if f.claim_since:
            conditions.append(when >= f.claim_since)
        if f.claim_until:
            conditions.append(when <= f.claim_until)
        query = query.where(exists().where(*conditions))
    return query


def claim_filters(store: Store, query: Select, f: Filters, claims=s.claims, doc=s.documents) -> Select:
    """The ledger's filters on a query that joins claims to their documents: since/until on the publication
    date, claim_since/claim_until on the claim's own (plausible) date; a technique matches a claim only when one
    of its spans overlaps the claim's span."""
    query = _outlet_and_dates(query, f, doc)
    query = _own_dates(query, f, claims.c.date, doc.c.published, store.dialect)
    if f.type:
        query = query.where(claims.c.type == f.type)
    if f.claimant:
        query = query.where(_claimant_matches(claims, f.claimant))
    if f.place:
        query = query.where(place_condition(store, f.place, claims.c.doc_id, claims.c.idx))
    if f.technique:
        query = query.where(_technique_overlaps(store, claims.c.doc_id, claims.c.start, claims.c.end, f.technique))
    if f.verdict:
        v = s.claim_verdicts.alias("fv")  # aliased: the query may itself read claim_verdicts
        wanted = v.c.verdict != "no_map" if f.verdict == "checked" else v.c.verdict == f.verdict
        query = query.where(exists().where(v.c.doc_id == claims.c.doc_id, v.c.claim_idx == claims.c.idx,
                                           v.c.is_primary.is_(True), wanted))
    return query


def event_filters(store: Store, query: Select, f: Filters, events=s.events, doc=s.documents) -> Select:
    """The events ledger's filters on a query joining events to their documents: ``type`` is the event type
    (PLOVER code, any case), ``claimant`` the claimant of the event's claim, ``place`` the event's place,
    claim_since/claim_until the event's own (plausible) date, ``technique`` a span overlapping its sentence."""
    query = _outlet_and_dates(query, f, doc)
    query = _own_dates(query, f, events.c.date, doc.c.published, store.dialect)
    if f.type:
        query = query.where(func.upper(events.c.type) == f.type.upper())
    if f.claimant:
        c = s.claims.alias("ec")
        query = query.where(exists().where(c.c.doc_id == events.c.doc_id, c.c.idx == events.c.claim,
                                           _claimant_matches(c, f.claimant)))
    if f.place:
        query = query.where(event_place_condition(store, f.place, events))
    if f.technique:
        query = query.where(_technique_overlaps(store, events.c.doc_id, events.c.start, events.c.end, f.technique))
    return query


def _count(store: Store, query: Select) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())


def _sort_key(f: Filters, allowed: tuple[str, ...], default: str) -> str:
    """The sort key ``f.sort`` names when ``allowed`` has it (``-`` in front: descending), else ``default``."""
    return f.sort if f.sort and f.sort.lstrip("-") in allowed else default


def _ordered(column, descending: bool):
    return column.desc().nulls_last() if descending else column.asc().nulls_last()


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
    ids = place_ids(store, term, regions=False)
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
    date: str | None  # the claim's first resolved date as stored (may be a forecast: "by 2045")
    outlet: str
    published: str | None
    title: str | None
    places: list[str] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    as_of: str | None = None  # ``date`` when it is plausible for the publication date (see DATE_BEFORE_DAYS)
    url: str | None = None
    # the control map's verdict on the claim's first judged territorial assertion (docs/control-maps.md): place,
    # holder, as_of, source (the layer), snapshot_date, status, verdict, agree_date, lag_days; None when unjudged
    map: dict[str, Any] | None = None
    verdict: str | None = None  # map["verdict"], for filtering and sorting by eye

    def __post_init__(self) -> None:
        if self.map and self.verdict is None:
            self.verdict = self.map["verdict"]


CLAIM_SORTS = ("published", "date", "outlet", "type", "checkworthy")


def _claims_query(store: Store, filters: Filters) -> Select:
    c, d = s.claims, s.documents
    q = select(c, d.c.outlet, d.c.published, d.c.title, d.c.url,
               as_of(c.c.date, d.c.published, store.dialect).label("as_of")).join(d, d.c.id == c.c.doc_id)
    return claim_filters(store, q, filters)


def _ledger_order(store: Store, filters: Filters, table, sorts) -> list:
    """ORDER BY of a ledger of claims or events (``table``): the chosen sort key of ``sorts``, then newest
    publication, then document and index, so that pages never overlap."""
    d = s.documents
    key = _sort_key(filters, sorts, "-published")
    name, descending = key.lstrip("-"), key.startswith("-")
    published = _ordered(d.c.published, descending if name == "published" else True)
    columns = {"published": [],
               "date": [func.coalesce(as_of(table.c.date, d.c.published, store.dialect), d.c.published)],
               "outlet": [func.lower(d.c.outlet)], "type": [table.c.type]}  # one order on both back ends
    if "checkworthy" in table.c:
        columns["checkworthy"] = [table.c.checkworthy]
    return [_ordered(col, descending) for col in columns[name]] + [published, table.c.doc_id, table.c.idx]


def _claims_order(store: Store, filters: Filters) -> list:
    return _ledger_order(store, filters, s.claims, CLAIM_SORTS)


def claims(store: Store, filters: Filters = Filters()) -> list[LedgerRow]:
    """Claims matching the filters, newest publication first (``filters.sort``: published, date, outlet, type,
    checkworthy, ``-`` for descending); each row links to its document and offsets."""
    q = _claims_query(store, filters).order_by(*_claims_order(store, filters))
    q = q.limit(filters.limit).offset(filters.offset)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
        names = _claim_place_names(conn, [(r.doc_id, r.idx) for r in rows])
        verdicts = claim_verdicts(conn, [(r.doc_id, r.idx) for r in rows])
    return [LedgerRow(r.doc_id, r.idx, r.start, r.end, r.text, r.type, r.claimant_canonical or r.claimant,
                      list(r.via or []), bool(r.hedged), float(r.checkworthy or 0.0), r.date, r.outlet,
                      r.published, r.title, names.get((r.doc_id, r.idx), []), list(r.quantities or []),
                      r.as_of, r.url, verdicts.get((r.doc_id, r.idx)))
            for r in rows]


def claim_verdicts(conn, keys: list[tuple[str, int]]) -> dict[tuple[str, int], dict[str, Any]]:
    """The primary map verdict of each claim (its first judged assertion), as the ledger shows it."""
    if not keys:
        return {}
    v = s.claim_verdicts
    wanted = set(keys)
    docs = sorted({k[0] for k in keys})
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for i in range(0, len(docs), 500):
        for r in conn.execute(select(v).where(v.c.doc_id.in_(docs[i:i + 500]), v.c.is_primary.is_(True))
                              .order_by(v.c.doc_id, v.c.claim_idx, v.c.ordinal)):
            key = (r.doc_id, r.claim_idx)
            if key in wanted and key not in out:
                out[key] = {"place": r.place, "holder": r.holder, "as_of": r.as_of, "partial": bool(r.partial),
                            "source": r.layer or None, "snapshot_date": r.snapshot_date, "status": r.status,
                            "verdict": r.verdict, "agree_date": r.agree_date, "lag_days": r.lag_days}
    return out


def count_claims(store: Store, filters: Filters = Filters()) -> int:
    """How many claims match the filters (``limit`` and ``offset`` ignored)."""
    c = s.claims
    return _count(store, claim_filters(store, select(c.c.doc_id, c.c.idx).join(
        s.documents, s.documents.c.id == c.c.doc_id), filters))


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


# -- the events ledger ---------------------------------------------------------------------------------------
@dataclass
class EventRow:
    doc_id: str
    idx: int
    start: int
    end: int
    type: str
    date: str | None  # the event's date as stored (none for background)
    place: str | None
    lat: float | None
    lon: float | None
    precision: str | None  # place_precision of the event's place (None without a place)
    actor: str | None
    target: str | None
    fatalities: int | None
    claimant: str | None
    outlet: str
    published: str | None
    url: str | None
    title: str | None = None
    text: str = ""  # the event's sentence
    as_of: str | None = None  # ``date`` when it is plausible for the publication date
    country_code: str | None = None  # of the event's place, when resolved


EVENT_SORTS = ("published", "date", "outlet", "type")


def _event_place_row(events):
    """Correlated subqueries: the feature code and country of the document's place the event is located at
    (same surface text and latitude, as the events extractor copies both from that place; else same text)."""
    pl = s.places.alias("ep")

    def first(column):
        same_text = (pl.c.doc_id == events.c.doc_id, func.lower(pl.c.text) == func.lower(events.c.place_text))
        exact = select(column).where(*same_text, pl.c.lat.is_not_distinct_from(events.c.lat)) \
            .order_by(pl.c.idx).limit(1).scalar_subquery()
        any_ = select(column).where(*same_text).order_by(pl.c.idx).limit(1).scalar_subquery()
        return func.coalesce(exact, any_)

    return first(pl.c.feature), first(pl.c.country_code)


def _events_query(store: Store, filters: Filters) -> Select:
    e, d = s.events, s.documents
    c = s.claims.alias("evc")
    feature, country = _event_place_row(e)
    q = select(e.c.doc_id, e.c.idx, e.c.start, e.c.end, e.c.type, e.c.date, e.c.place_text, e.c.lat, e.c.lon,
               e.c.actor, e.c.target, e.c.fatalities, d.c.outlet, d.c.published, d.c.url, d.c.title,
               func.coalesce(c.c.claimant_canonical, c.c.claimant).label("claimant"),
               func.substr(d.c.text, e.c.start + 1, e.c.end - e.c.start).label("sentence"),
               feature.label("feature"), country.label("country"),
               as_of(e.c.date, d.c.published, store.dialect).label("as_of")) \
        .join(d, d.c.id == e.c.doc_id) \
        .outerjoin(c, and_(c.c.doc_id == e.c.doc_id, c.c.idx == e.c.claim))
    return event_filters(store, q, filters, e, d)


def _events_order(store: Store, filters: Filters) -> list:
    return _ledger_order(store, filters, s.events, EVENT_SORTS)


def events(store: Store, filters: Filters = Filters()) -> list[EventRow]:
    """Events matching the filters, newest publication first (``filters.sort``: published, date, outlet, type);
    each row carries its document, offsets, place with coordinates and precision, and claimant."""
    q = _events_query(store, filters).order_by(*_events_order(store, filters))
    q = q.limit(filters.limit).offset(filters.offset)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return [EventRow(r.doc_id, r.idx, r.start, r.end, r.type, r.date, r.place_text, r.lat, r.lon,
                     place_precision(r.feature) if r.place_text is not None else None, r.actor, r.target,
                     r.fatalities, r.claimant, r.outlet, r.published, r.url, r.title, r.sentence or "", r.as_of,
                     r.country)
            for r in rows]


def count_events(store: Store, filters: Filters = Filters()) -> int:
    """How many events match the filters (``limit`` and ``offset`` ignored)."""
    e = s.events
    return _count(store, event_filters(store, select(e.c.doc_id, e.c.idx).join(
        s.documents, s.documents.c.id == e.c.doc_id), filters))


def event_keys(store: Store, filters: Filters) -> dict[str, set[int]]:
    """doc id -> indexes of its events that match the filters (in the events ledger's order, up to
    ``filters.limit``): what the GeoJSON and ACLED exports write."""
    e = s.events
    q = event_filters(store, select(e.c.doc_id, e.c.idx).join(s.documents, s.documents.c.id == e.c.doc_id),
                      filters).order_by(*_events_order(store, filters)).limit(filters.limit).offset(filters.offset)
    out: dict[str, set[int]] = {}
    with store.engine.connect() as conn:
        for doc_id, idx in conn.execute(q):
            out.setdefault(doc_id, set()).add(idx)
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
    verdict: str | None = None  # a territorial claim's map verdict (docs/control-maps.md)


def timeline(store: Store, place: str | Sequence[str], filters: Filters = Filters(limit=500)) -> list[TimelineEntry]:
    """Claims about ``place`` and events located there, by date then outlet. A claim's or event's date is its
    own when plausible (see :func:`as_of`), else its publication date, so a "by 2045" never lands in 2045."""
    f = replace(filters, place=place)
    entries = [TimelineEntry(r.as_of or r.published, r.outlet, "claim", r.type, r.text, r.claimant, r.doc_id,
                             r.start, r.end, r.verdict) for r in claims(store, f)]
    entries += [TimelineEntry(r.as_of or r.published, r.outlet, "event", r.type, r.text, r.claimant, r.doc_id,
                              r.start, r.end) for r in events(store, f)]
    entries.sort(key=lambda x: (x.date or "", x.outlet, x.kind, x.doc_id, x.start))
    return entries


# -- documents and places ----------------------------------------------------------------------------------
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


def _restrict(store: Store, query, f: Filters, d=s.documents) -> Select:
    """The document filters every list shares (see store.queries._document_filters)."""
    return _document_filters(store, query, f, d)


def _layer_counts(conn, table, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = conn.execute(select(table.c.doc_id, func.count()).where(table.c.doc_id.in_(ids))
                        .group_by(table.c.doc_id))
    return {r[0]: int(r[1]) for r in rows}


DOCUMENT_SORTS = ("published", "outlet", "title", "words", "ingested")


def _documents_order(f: Filters, d=s.documents) -> list:
    key = _sort_key(f, DOCUMENT_SORTS, "-published")
    name, descending = key.lstrip("-"), key.startswith("-")
    column = {"published": d.c.published, "outlet": d.c.outlet, "title": d.c.title, "words": d.c.words,
              "ingested": d.c.ingested_at}[name]
    return [_ordered(column, descending), _ordered(d.c.published, True), d.c.ingested_at.desc(), d.c.id]


def list_documents(store: Store, filters: Filters = Filters()) -> list[DocumentSummary]:
    """Stored documents, newest publication first (``filters.sort``: published, outlet, title, words, ingested),
    with their claim and quote counts. Every shared filter applies: outlet, publication dates, place (any of
    them), technique, claimant and claim type (documents with such a claim), claim_since/claim_until."""
    d = s.documents
    q = select(d.c.id, d.c.title, d.c.outlet, d.c.published, d.c.url, d.c.words, d.c.genre)
    q = _restrict(store, q, filters).order_by(*_documents_order(filters))
    q = q.limit(filters.limit).offset(filters.offset)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
        ids = [r.id for r in rows]
        n_claims = _layer_counts(conn, s.claims, ids)
        n_quotes = _layer_counts(conn, s.quotes, ids)
    return [DocumentSummary(r.id, r.title, r.outlet, r.published, r.url, int(r.words or 0), r.genre,
                            n_claims.get(r.id, 0), n_quotes.get(r.id, 0)) for r in rows]


def count_documents(store: Store, filters: Filters = Filters()) -> int:
    """How many documents match the filters (``limit`` and ``offset`` ignored)."""
    return _count(store, _restrict(store, select(s.documents.c.id), filters))


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
    precision: str | None = None  # store.queries.place_precision of the feature code


PLACE_SORTS = ("mentions", "documents", "name")


def _places_query(store: Store, filters: Filters, match: PlaceMatch | None = None):
    p, d = s.places, s.documents
    key = func.coalesce(cast(p.c.geonames_id, String), "name:" + func.lower(func.coalesce(p.c.name, p.c.text)))
    grouped = _restrict(
        store, select(key.label("key"), func.min(p.c.geonames_id).label("gid"),
                      func.min(func.coalesce(p.c.name, p.c.text)).label("name"), func.min(p.c.lat).label("lat"),
                      func.min(p.c.lon).label("lon"), func.min(p.c.country_code).label("cc"),
                      func.min(p.c.admin1).label("admin1"), func.min(p.c.feature).label("feature"),
                      func.count().label("mentions"), func.count(func.distinct(p.c.doc_id)).label("docs"))
        .join(d, d.c.id == p.c.doc_id), replace(filters, place=None))
    if filters.place or match is not None:
        grouped = grouped.where((match or resolve_place(store, filters.place)).condition(p))
    return grouped.group_by(key), key


def places(store: Store, filters: Filters = Filters(), match: PlaceMatch | None = None) -> list[PlaceSummary]:
    """Distinct places with mention, document and claim counts and coordinates, most mentioned first
    (``filters.sort``: mentions, documents, name). ``place`` keeps the places it matches (any spelling, a named
    oblast's settlements; see store.queries.resolve_place); the other filters choose the documents counted."""
    grouped, key = _places_query(store, filters, match)
    sort = _sort_key(filters, PLACE_SORTS, "-mentions")
    name, descending = sort.lstrip("-"), sort.startswith("-")
    column = {"mentions": func.count(), "documents": func.count(func.distinct(s.places.c.doc_id)),
              "name": func.min(func.coalesce(s.places.c.name, s.places.c.text))}[name]
    grouped = grouped.order_by(column.desc() if descending else column.asc(), func.count().desc(), key) \
        .limit(filters.limit).offset(filters.offset)
    p = s.places
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
                         claim_counts.get(r.gid, 0), spellings.get(r.gid, [r.name]), place_precision(r.feature))
            for r in rows]


def count_places(store: Store, filters: Filters = Filters()) -> int:
    """How many distinct places ``places`` lists for the filters (``limit`` and ``offset`` ignored)."""
    grouped, _ = _places_query(store, filters)
    return _count(store, grouped)


def place_summary(store: Store, name: str) -> PlaceSummary | None:
    """The place a ``/place/NAME`` page is about: the most mentioned stored place named or spelt ``name`` or
    carrying a GeoNames id the gazetteer gives for it (Изюм, Izjum, Izium, Izyum: one place); for an oblast,
    the oblast itself when stored, else its most mentioned settlement. None when nothing matches."""
    match = resolve_place(store, name)
    if not match.names:
        return None
    narrow = places(store, Filters(limit=1), match=PlaceMatch(match.names, match.ids))
    if narrow:
        return narrow[0]
    found = places(store, Filters(limit=1), match=match)
    return found[0] if found else None


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
    # how often the outlet's territorial claims were borne out by the control maps (docs/control-maps.md):
    # checked, consistent, within_7, within_30, never, contested, median_lag; None without verdicts
    track_record: dict[str, Any] | None = None


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
