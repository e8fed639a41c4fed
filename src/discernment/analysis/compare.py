"""Findings across sources: what independent claimants assert about the same subject, compared.

Every claim's assertions (``claims[].assertions``, read by :mod:`discernment.extract.asserts`) are loaded with the
place each one is about and the side its claimant speaks for (:mod:`discernment.resolve.sides`). Then:

1. **Subjects.** Control is about a place (its GeoNames id, else its name and region) or a named site (a nuclear
   plant is its own subject, never the city it is named after). Counts and blame are about an event: the same site
   or place, or places within ``near_km`` of each other, on the same day or the next.
2. **Sources.** A claimant is the institution it speaks for (Konashenkov is the Russian Defence Ministry); the same
   statement relayed by several outlets is one source, and so are near-identical sentences carried by outlets that
   name no claimant (wire copy reprinted). Sources of one side (Russian officials and Russian state media) are not
   independent of each other: they can contradict, never corroborate, one another.
3. **Findings**, one per subject and pair of sources, listing every supporting claim:
   ``contradiction`` (incompatible holders within ``window_days``; counts of the same thing at the same event whose
   ranges cannot both hold, or that name different victims, civilians against soldiers; opposite blame),
   ``agreement`` (the same holder, overlapping counts, the same side blamed, from independent sources), ``change``
   (different holders further apart in time than ``window_days``) and ``update`` (one source revises its own
   figure for an event: 22 killed, then 25).

Each finding says why in one sentence built from the claims' own words.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Iterable

from rapidfuzz import fuzz
from sqlalchemy import Text, cast, select

from ..config import defaults
from ..resolve.sides import Affiliation, SideTable, side_table
from ..store import Store
from ..store import schema as s
from ..store.queries import Filters, claim_filters, place_ids
from .stance import quantity_range, ranges_overlap

KINDS = ("contradiction", "change", "update", "agreement")
_REGIONAL_SITES = frozenset({"nuclear power plant", "hydroelectric power plant"})


_D = defaults("compare")  # every default is written in default.toml's [compare], with what it means


@dataclass(frozen=True)
class Settings:
    window_days: int = _D.window_days  # control: holders that differ within this many days contradict
    event_days: int = _D.event_days  # counts and blame: the same event is on the same day or the next
    near_km: float = _D.near_km  # ... at the same place or one this close
    relay_similarity: float = _D.relay_similarity  # token_set_ratio at or above which two sentences are one
    count_ratio: float = _D.count_ratio  # figures further apart than this (and not overlapping) cannot both hold
    change_max_days: int = _D.change_max_days  # holders further apart than this are history, not a change
    city_population: int = _D.city_population  # places this big need a named site for counts and blame
    sides_file: str = _D.sides_file

    @classmethod
    def from_config(cls, config=None) -> "Settings":
        if config is None:
            return cls()
        s = config.settings("compare")
        return cls(**{k: getattr(s, k) for k in cls.__dataclass_fields__})


@dataclass
class Support:
    """One claim behind a finding, with the offsets to cite it."""

    doc_id: str
    idx: int
    start: int
    end: int
    text: str
    outlet: str
    url: str | None
    title: str | None
    published: str | None
    claimant: str | None
    side: str
    source: str
    as_of: str | None
    hedged: bool
    via: list[str]
    cue: dict | None
    value: str  # what this claim asserts about the subject, in words: "RU holds", "over 200 soldiers killed"


@dataclass
class Assertion:
    support: Support
    aspect: str
    data: dict
    subject: tuple
    subject_name: str
    place: str | None
    geonames_id: int | None
    lat: float | None
    lon: float | None
    day: dt.date | None
    affiliation: Affiliation
    source: str = ""
    feature: str | None = None  # the place's GeoNames feature code
    site: str | None = None
    city: bool = False  # a place of at least Settings.city_population people (or a capital)
    ordinal: int = 0  # its position in the claim's extra.assertions
    country: str | None = None  # the place's ISO country code

    @property
    def pinpointed(self) -> bool:
        """Whether the subject is one place where one event can be told apart: a named site, or a town or village;
        a city sees several attacks a day."""
        return bool(self.site) or not self.city


@dataclass
class Finding:
    kind: str  # contradiction | change | update | agreement
    aspect: str  # control | count | blame
    subject: str
    place: str | None
    geonames_id: int | None
    reason: str
    a: Support  # the first claim of the first source
    b: Support  # the first claim of the second source
    sources: list[dict]  # [{"source", "side", "outlets"}] for the two sources
    claims: list[Support] = field(default_factory=list)  # every supporting claim, in time order
    detail: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FactCluster:
    """The same fact carried across outlets: the first carrier first, then each relay."""

    id: int
    aspect: str
    subject: str
    place: str | None
    value: str
    claims: list[Support]

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(c.outlet for c in self.claims))

    @property
    def first(self) -> Support:
        return self.claims[0]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["outlets"] = self.outlets
        return out


# -- loading --------------------------------------------------------------------------------------------------
def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _value(aspect: str, a: dict) -> str:
    if aspect == "control":
        extent = "part of it" if a.get("extent") == "partial" else "it"
        share = f" ({a['share']:.0%})" if a.get("share") else ""
        verb = ("took " if a.get("holder") != "contested" else "contest ") if a.get("change") else "holds "
        return f"{a.get('holder')} {verb}{extent}{share}"
    if aspect == "count":
        q = a.get("quantity") or {}
        of = a.get("of") or ""
        side = f"{a['side']} " if a.get("side") else ""
        return f"{q.get('text', '?')} {side}{of} {a.get('what')}".strip()
    if aspect == "blame":
        return f"{a.get('blamed')} blamed for the {a.get('act')}"
    return aspect


def load_assertions(store: Store, filters: Filters = Filters(limit=1_000_000), sides: SideTable | None = None,
                    settings: Settings = Settings(), doc_ids: Iterable[str] | None = None) -> list[Assertion]:
    """Every assertion of the stored claims that match ``filters``: ``since``/``until`` on the publication date, as
    everywhere; ``claim_since``/``claim_until`` on the date the assertion is about, and places on its subject, not
    the words of the claim. ``doc_ids``: only the claims of these documents."""
    sides = sides or side_table(settings.sides_file or None)
    c, d = s.claims, s.documents
    sql_filters = replace(filters, place=None, claim_since=None, claim_until=None)
    q = select(c.c.doc_id, c.c.idx, c.c.start, c.c.end, c.c.text, c.c.claimant, c.c.claimant_canonical,
               c.c.hedged, c.c.via, c.c.extra, d.c.outlet, d.c.url, d.c.title, d.c.published).join(
        d, d.c.id == c.c.doc_id)
    q = claim_filters(store, q, sql_filters)
    q = q.where(c.c.extra.is_not(None), cast(c.c.extra, Text).like('%"aspect"%'))
    q = q.order_by(d.c.published, c.c.doc_id, c.c.idx)
    with store.engine.connect() as conn:
        if doc_ids is None:
            rows = conn.execute(q).all()
        else:
            ids = sorted(set(doc_ids))
            rows = [r for k in range(0, len(ids), 500) for r in conn.execute(q.where(c.c.doc_id.in_(ids[k:k + 500])))]
            rows.sort(key=lambda r: (r.published or "", r.doc_id, r.idx))
        wanted: dict[str, set[int]] = defaultdict(set)
        for r in rows:
            for a in (r.extra or {}).get("assertions") or ():
                for i in (a.get("place"), (a.get("event") or {}).get("place")):
                    if i is not None:
                        wanted[r.doc_id].add(i)
        places: dict[tuple[str, int], Any] = {}
        pl = s.places
        docs = sorted(wanted)
        for i in range(0, len(docs), 500):
            for p in conn.execute(
                select(
                    pl.c.doc_id,
                    pl.c.idx,
                    pl.c.text,
                    pl.c.name,
                    pl.c.geonames_id,
                    pl.c.admin1,
                    pl.c.lat,
                    pl.c.lon,
                    pl.c.feature,
                    pl.c.country_code,
                ).where(pl.c.doc_id.in_(docs[i : i + 500]))
            ):
                if p.idx in wanted[p.doc_id]:
                    places[(p.doc_id, p.idx)] = p
    keep_ids = place_ids(store, filters.place) if filters.place else None
    cities = _cities({p.geonames_id for p in places.values() if p.geonames_id is not None}, settings.city_population)
    out = []
    outlet_sides: dict[str, str] = {}
    for r in rows:
        aff = sides.affiliation(r.claimant_canonical or r.claimant, r.outlet)
        if aff.side == "UNK":
            # a claimant the table does not know, quoted by a side's own media, is taken to speak for that side
            # (it can then never corroborate that side); quoted by others, it stays unknown and takes part in
            # no finding
            side = outlet_sides.setdefault(r.outlet, sides.side(r.outlet) or "UNK")
            if side in ("RU", "UA"):
                aff = Affiliation(side, aff.source, aff.kind, generic=True)
        for ordinal, a in enumerate((r.extra or {}).get("assertions") or ()):
            aspect = a.get("aspect")
            voiced = aff
            if a.get("voice") == "outlet":  # "the Russian-controlled plant": the outlet's label, not the quoted
                voiced = sides.affiliation(None, r.outlet)
            if aspect == "count":
                if a.get("tally") or not a.get("event") or not a["event"].get("dated", True):
                    continue  # a running tally, or a count whose event the text does not date: no one event
                place_idx, site, when = a["event"].get("place"), a["event"].get("site"), a["event"].get("date")
            elif aspect == "blame" and not a.get("dated", True):
                continue  # an attack the text does not date is told as background, not as one event
            else:
                place_idx, site, when = a.get("place"), a.get("site"), a.get("as_of")
            p = places.get((r.doc_id, place_idx)) if place_idx is not None else None
            if p is None:
                continue
            name = p.name or p.text
            if keep_ids is not None and p.geonames_id not in keep_ids and name.lower() != filters.place.lower() \
                    and (p.text or "").lower() != filters.place.lower():
                continue
            when = when or a.get("as_of") or r.published
            if filters.claim_since and (when or "") < filters.claim_since or \
                    filters.claim_until and (when or "9999") > filters.claim_until:
                continue
            region = (p.admin1 or "").lower()
            said = (a.get("region") or "").lower()
            if said and region and said != region:
                # the claim names another region than the gazetteer's pick: two villages of one name
                region, name = said, f"{name} ({a['region']})"
                place_key: tuple = ("name", name.lower(), region)
            else:
                place_key = ("gid", p.geonames_id) if p.geonames_id is not None else ("name", name.lower())
            if site:
                place_key = ("site", site, region) if site in _REGIONAL_SITES and region else ("site", site, place_key)
            subject_name = f"{name} {site}" if site else name
            if aspect == "count":
                of = a.get("of")
                subject = ("count", place_key, a.get("what"), of if of not in ("civilians", "soldiers") else "people")
            else:
                subject = (aspect, place_key)
            claimant = r.outlet if a.get("voice") == "outlet" else (r.claimant_canonical or r.claimant)
            support = Support(r.doc_id, r.idx, r.start, r.end, r.text, r.outlet, r.url, r.title, r.published,
                              claimant, voiced.side, voiced.source or r.outlet, when,
                              bool(r.hedged), list(r.via or ()), a.get("cue"), _value(aspect, a))
            out.append(Assertion(support, aspect, a, subject, subject_name, name, p.geonames_id, p.lat, p.lon,
                                 _day(when), voiced, feature=p.feature, site=site,
                                 city=p.geonames_id in cities or (p.feature or "").startswith(("PPLA", "PPLC")),
                                 ordinal=ordinal, country=p.country_code))
    return out


def _cities(ids: set[int], population: int) -> set[int]:
    """The GeoNames ids among ``ids`` of places with at least ``population`` people (from the gazetteer; none
    when it cannot be opened, and then only capitals and regional capitals count as cities)."""
    if not ids:
        return set()
    try:
        from ..resolve.gazetteer import Gazetteer

        gazetteer = Gazetteer.open_default()
        try:
            return {c.id for c in gazetteer.places(sorted(ids)) if (c.population or 0) >= population}
        finally:
            gazetteer.close()
    except Exception:
        return set()


# -- sources: relays count once ----------------------------------------------------------------------------
def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def assign_sources(assertions: list[Assertion], settings: Settings = Settings()) -> None:
    """Set each assertion's ``source``: its claimant's institution; outlets that relay one sentence (nearly the same
    words) without naming anyone share the first carrier's source."""
    for a in assertions:
        a.source = a.affiliation.source or a.support.outlet
    # Within one article, a headline or a sentence in the outlet's own voice, or one whose claimant the side table
    # does not know ("the ministry", "Governor"), that asserts what a known claimant asserts about the same subject
    # relays that claimant: "Russian forces take Berdychi - Defence Ministry" over the ministry's statement.
    by_doc: dict[tuple, list[Assertion]] = defaultdict(list)
    for a in assertions:
        by_doc[(a.support.doc_id, a.subject)].append(a)
    for members in by_doc.values():
        known = [m for m in members if not _weak(m)]
        for m in members:
            if _weak(m):
                # the known claimant saying the same, else the first weak one saying it: one voice per article
                peer = next((k for k in known + members if k.support.value == m.support.value), None)
                if peer is not None and peer is not m:
                    m.source, m.affiliation = peer.source, peer.affiliation
    by_subject: dict[tuple, list[Assertion]] = defaultdict(list)
    for a in assertions:
        by_subject[a.subject].append(a)
    for members in by_subject.values():
        members.sort(key=lambda a: (a.support.published or "", a.support.doc_id))
        for i, a in enumerate(members):
            for b in members[:i]:
                if b.source == a.source or b.support.doc_id == a.support.doc_id:
                    continue
                days = _gap(a.day, b.day)
                if days is not None and days > 3:
                    continue
                if fuzz.token_set_ratio(_norm(a.support.text), _norm(b.support.text)) >= settings.relay_similarity \
                        and len(a.support.text) > 40:
                    a.source = b.source  # a reprint of b's sentence: one statement
                    break
    for a in assertions:
        a.support.source, a.support.side = a.source, a.affiliation.side


def _weak(a: Assertion) -> bool:
    """An attribution that may stand for another claimant in the same article: the outlet's own voice, or a name
    the side table does not know."""
    return a.affiliation.side == "UNK" or a.affiliation.generic or a.source == a.support.outlet \
        or not a.support.claimant


def _gap(a: dt.date | None, b: dt.date | None) -> int | None:
    return abs((a - b).days) if a and b else None


def independent(side_a: str, side_b: str) -> bool:
    """Whether two sources are independent of each other: not both speaking for the same party to the war."""
    return side_a != side_b or side_a in ("INT",)


def can_agree(a: Assertion, b: Assertion) -> bool:
    """Whether two sources' agreement is worth a finding: independent sources, or two different official
    institutions of one side (a governor and a defence ministry); never one side's media and its officials."""
    if independent(a.affiliation.side, b.affiliation.side):
        return True
    official = ("official", "military")
    return a.affiliation.kind in official and b.affiliation.kind in official and a.source != b.source \
        and not a.affiliation.generic and not b.affiliation.generic


# -- events: counts and blame about the same strike ----------------------------------------------------------
def _km(a: Assertion, b: Assertion) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def _event_groups(assertions: list[Assertion], settings: Settings) -> None:
    """Give event assertions (counts, blame) a shared subject when they are about the same event: the same place or
    site, or places within ``near_km``, on days at most ``event_days`` apart."""
    events = [a for a in assertions if a.aspect in ("count", "blame")]
    parent = list(range(len(events)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(events)), key=lambda i: events[i].day or dt.date.min)
    for pos, i in enumerate(order):
        a = events[i]
        for j in order[pos + 1:]:
            b = events[j]
            gap = _gap(a.day, b.day)
            if gap is None or gap > settings.event_days:
                if gap is not None:
                    break
                continue
            same_site = a.subject[1] == b.subject[1] or _town_of(a.subject[1]) == b.subject[1] \
                or _town_of(b.subject[1]) == a.subject[1]  # "Chaplyne railway station" and "Chaplyne"
            any_site = a.subject[1][0] == "site" or b.subject[1][0] == "site"
            km = _km(a, b)
            # a site has its town's coordinates, not its own: only places without one are joined by distance
            if same_site or (not any_site and km is not None and km <= settings.near_km):
                parent[find(i)] = find(j)
    groups: dict[int, list[Assertion]] = defaultdict(list)
    for i, a in enumerate(events):
        groups[find(i)].append(a)
    for n, members in enumerate(groups.values()):
        name = _most_common([m.subject_name for m in members])
        first = min((m.day for m in members if m.day), default=None)
        for m in members:
            detail = m.subject[2:] if m.aspect == "count" else ()
            m.subject = ("event", n, m.aspect, *detail)
            m.subject_name = f"{name}, {first.isoformat()}" if first else name


def _town_of(key: tuple) -> tuple | None:
    """The town key of a site key named after its town ("site", "railway station", ("gid", 710932))."""
    return key[2] if key[0] == "site" and isinstance(key[2], tuple) else None


def _most_common(names: list[str]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for n in names:
        counts[n] += 1
    return max(counts, key=lambda n: (counts[n], -names.index(n)))


# -- findings -------------------------------------------------------------------------------------------------
def compare_assertions(assertions: list[Assertion], settings: Settings = Settings()) -> list[Finding]:
    """Findings between the sources of the given assertions (see the module docstring)."""
    _event_groups(assertions, settings)
    assign_sources(assertions, settings)
    by_subject: dict[tuple, list[Assertion]] = defaultdict(list)
    for a in assertions:
        by_subject[a.subject].append(a)
    findings: list[Finding] = []
    for members in by_subject.values():
        by_source: dict[str, list[Assertion]] = defaultdict(list)
        for a in sorted(members, key=lambda a: (a.day or dt.date.min, a.support.doc_id, a.support.idx)):
            by_source[a.source].append(a)
        names = sorted(by_source, key=lambda n: (by_source[n][0].day or dt.date.min, n))
        if members[0].aspect == "count":
            for n in names:
                u = _update(by_source[n])
                if u is not None:
                    findings.append(u)
        for i, na in enumerate(names):
            for nb in names[i + 1:]:
                f = _pair(by_source[na], by_source[nb], settings)
                if f is not None:
                    findings.append(f)
    order = {k: i for i, k in enumerate(KINDS)}
    findings.sort(key=lambda f: (order[f.kind], f.aspect, f.subject, f.a.as_of or "", f.b.as_of or ""))
    return findings


def _sources(xs: list[Assertion], ys: list[Assertion]) -> list[dict]:
    return [{"source": g[0].source, "side": g[0].affiliation.side,
             "claimants": list(dict.fromkeys(a.support.claimant or a.support.outlet for a in g)),
             "outlets": list(dict.fromkeys(a.support.outlet for a in g))} for g in (xs, ys)]


def _finding(kind: str, xs: list[Assertion], ys: list[Assertion], reason: str, detail: dict) -> Finding:
    a, b = xs[0], ys[0]
    claims = sorted({(c.support.doc_id, c.support.idx): c.support for c in xs + ys}.values(),
                    key=lambda c: (c.as_of or "", c.published or "", c.outlet))
    return Finding(kind, a.aspect, a.subject_name, a.place, a.geonames_id, reason, a.support, b.support,
                   _sources(xs, ys), claims, detail)


def _who(xs: list[Assertion]) -> str:
    a = xs[0]
    via = sorted({x.support.outlet for x in xs})
    return f"{a.source} ({', '.join(via)})" if via != [a.source] else a.source


def _pair(xs: list[Assertion], ys: list[Assertion], settings: Settings) -> Finding | None:
    if "UNK" in (xs[0].affiliation.side, ys[0].affiliation.side):
        return None  # a source of unknown allegiance can neither contradict nor corroborate
    aspect = xs[0].aspect
    if aspect == "control":
        return _pair_control(xs, ys, settings)
    if aspect == "blame":
        return _pair_blame(xs, ys)
    return _pair_count(xs, ys, settings)


def _pair_control(xs, ys, settings: Settings) -> Finding | None:
    close_diff, close_same, far = [], [], []
    for a in xs:
        for b in ys:
            ha, hb = a.data.get("holder"), b.data.get("holder")
            if "contested" in (ha, hb):
                continue
            gap = _gap(a.day, b.day)
            if gap is None:
                continue
            if ha != hb:
                (close_diff if gap <= settings.window_days else far).append((gap, a, b))
            elif gap <= settings.window_days and a.support.doc_id != b.support.doc_id:
                close_same.append((gap, a, b))
    subject = xs[0].subject_name
    if close_diff:
        pairs = sorted(close_diff, key=lambda t: t[0])
        ax, bx = _members(pairs)
        a, b = ax[0], bx[0]
        reason = (f"{_who(ax)} says {a.data['holder']} {_holds(a)} {subject} as of {a.support.as_of}; "
                  f"{_who(bx)} says {b.data['holder']} {_holds(b)} it as of {b.support.as_of}")
        return _finding("contradiction", ax, bx, reason, {"holder_a": a.data["holder"], "holder_b": b.data["holder"],
                                                          "days_apart": pairs[0][0]})
    if close_same and can_agree(xs[0], ys[0]):
        ax, bx = _members(sorted(close_same, key=lambda t: t[0]))
        a, b = ax[0], bx[0]
        ind = independent(a.affiliation.side, b.affiliation.side)
        how = "independently" if ind else f"both {a.affiliation.side} officials"
        reason = (f"{_who(ax)} and {_who(bx)} ({how}) say {a.data['holder']} {_holds(a)} {subject} "
                  f"({a.support.as_of}, {b.support.as_of})")
        return _finding("agreement", ax, bx, reason, {"holder": a.data["holder"], "days_apart": close_same[0][0],
                                                      "independent": ind})
    far = [t for t in far if t[0] <= settings.change_max_days]
    if far:
        gap, a, b = min(far, key=lambda t: t[0])
        first, second = (a, b) if (a.day or dt.date.min) <= (b.day or dt.date.min) else (b, a)
        fx = [x for x in (xs if first in xs else ys) if x.data.get("holder") == first.data.get("holder")]
        sx = [y for y in (ys if second in ys else xs) if y.data.get("holder") == second.data.get("holder")]
        reason = (f"{first.data['holder']} held {subject} on {first.support.as_of} according to {_who(fx)}; "
                  f"{second.data['holder']} on {second.support.as_of} according to {_who(sx)} ({gap} days later)")
        return _finding("change", fx, sx, reason, {"holder_before": first.data["holder"],
                                                   "holder_after": second.data["holder"], "days_apart": gap})
    return None


def _holds(a: Assertion) -> str:
    verb = "took" if a.data.get("change") else "holds"
    if a.data.get("extent") == "partial":
        verb += " part of"
    return verb


def _members(pairs: list[tuple]) -> tuple[list[Assertion], list[Assertion]]:
    xs, ys = [], []
    for _, a, b in pairs:
        if a not in xs:
            xs.append(a)
        if b not in ys:
            ys.append(b)
    return xs, ys


def _same_event_day(a: Assertion, b: Assertion) -> bool:
    """Two event assertions firm enough to agree: the same day, each dated by the text itself (an attack told
    again the next day, or dated only by publication, may be another attack)."""
    da = a.data.get("dated") if a.aspect == "blame" else (a.data.get("event") or {}).get("dated")
    db = b.data.get("dated") if b.aspect == "blame" else (b.data.get("event") or {}).get("dated")
    return da is True and db is True and a.day == b.day and a.pinpointed and b.pinpointed \
        and independent(a.affiliation.side, b.affiliation.side)


def _pair_blame(xs, ys) -> Finding | None:
    diff = [(a, b) for a in xs for b in ys if a.data.get("blamed") != b.data.get("blamed")
            and a.pinpointed and b.pinpointed]
    same = [(a, b) for a in xs for b in ys if a.data.get("blamed") == b.data.get("blamed")
            and a.support.doc_id != b.support.doc_id and _same_event_day(a, b)]
    subject = xs[0].subject_name
    if diff:
        ax, bx = _members([(0, a, b) for a, b in diff])
        reason = (f"{_who(ax)} blames {ax[0].data['blamed']} for the {ax[0].data.get('act')} at {subject}; "
                  f"{_who(bx)} blames {bx[0].data['blamed']}")
        return _finding("contradiction", ax, bx, reason, {"blamed_a": ax[0].data["blamed"],
                                                          "blamed_b": bx[0].data["blamed"]})
    if same and can_agree(xs[0], ys[0]):
        ax, bx = _members([(0, a, b) for a, b in same])
        reason = f"{_who(ax)} and {_who(bx)} both blame {ax[0].data['blamed']} for the attack at {subject}"
        return _finding("agreement", ax, bx, reason, {"blamed": ax[0].data["blamed"]})
    return None


def _range(a: Assertion) -> tuple[float, float] | None:
    return quantity_range(a.data.get("quantity") or {})


def _incompatible(a: Assertion, b: Assertion, settings: Settings) -> str | None:
    """Why two counts of one thing at one event cannot both hold, or None when they can."""
    if not (a.pinpointed and b.pinpointed):
        return None  # two counts in one big city on one day may well be two events
    ofa, ofb = a.data.get("of"), b.data.get("of")
    if {ofa, ofb} == {"civilians", "soldiers"} and a.affiliation.side != b.affiliation.side:
        return "victims"
    if {a.affiliation.side, b.affiliation.side} != {"RU", "UA"} or a.data.get("part") or b.data.get("part"):
        return None  # figures clash only between the parties; a wire and an official count at different hours
    ra, rb = _range(a), _range(b)
    if ra is None or rb is None or ranges_overlap(ra, rb):
        return None
    lo, hi = sorted([ra, rb], key=lambda r: r[0])
    if lo[1] <= 0 or hi[0] / max(lo[1], 1e-9) > settings.count_ratio:
        return "figures"
    return None


def _pair_count(xs, ys, settings: Settings) -> Finding | None:
    bad = [(a, b, why) for a in xs for b in ys if (why := _incompatible(a, b, settings))]
    subject = xs[0].subject_name
    if bad:
        ax, bx = _members([(0, a, b) for a, b, _ in bad])
        why = bad[0][2]
        a, b = ax[0], bx[0]
        what = "name different victims" if why == "victims" else "give figures that cannot both hold"
        reason = (f"at {subject}, {_who(ax)} says {a.support.value}; {_who(bx)} says {b.support.value}: the two "
                  f"{what}")
        return _finding("contradiction", ax, bx, reason, {"range_a": _range(a), "range_b": _range(b),
                                                          "victims_a": a.data.get("of"), "victims_b": b.data.get("of"),
                                                          "why": why})
    if can_agree(xs[0], ys[0]):
        same = [(a, b) for a in xs for b in ys if _range(a) and _range(b) and ranges_overlap(_range(a), _range(b))
                and a.data.get("of") == b.data.get("of") and a.support.doc_id != b.support.doc_id
                and _same_event_day(a, b)]
        if same:
            ax, bx = _members([(0, a, b) for a, b in same])
            reason = f"at {subject}, {_who(ax)} and {_who(bx)} give compatible figures: " \
                     f"{ax[0].support.value}; {bx[0].support.value}"
            return _finding("agreement", ax, bx, reason, {"range_a": _range(ax[0]), "range_b": _range(bx[0])})
    return None


def _figure(a: Assertion) -> float | None:
    """The number a count gives ("at least three" and "three" give the same: no revision between them)."""
    q = a.data.get("quantity") or {}
    return q.get("value") if q.get("value") is not None else q.get("low")


def _update(xs: list[Assertion]) -> Finding | None:
    """One source revising its own figure for one event: the first figure, then each different later one."""
    seen: list[Assertion] = []
    # in time order; within one day a toll rises, so the lower figure is taken as the earlier one
    for a in sorted(xs, key=lambda a: (a.day or dt.date.min, (_range(a) or (0.0, 0.0))[0])):
        r = _range(a)
        if r is None:
            continue
        if seen and _figure(seen[-1]) != _figure(a) and a.support.doc_id != seen[-1].support.doc_id:
            seen.append(a)
        elif not seen:
            seen.append(a)
    if len(seen) < 2:
        return None
    first, last = seen[0], seen[-1]
    reason = (f"{_who(xs)} revised its figure for {first.subject_name}: {first.support.value} "
              f"({first.support.as_of}), then {last.support.value} ({last.support.as_of})")
    return _finding("update", [first], seen[1:], reason, {"figures": [x.support.value for x in seen]})


def compare(store: Store, filters: Filters = Filters(limit=1_000_000), settings: Settings | None = None,
            kind: str | None = None, aspect: str | None = None) -> list[Finding]:
    """Findings across the stored claims that match ``filters`` (what ``discern compare`` prints)."""
    settings = settings or Settings()
    assertions = load_assertions(store, replace(filters, limit=1_000_000, offset=0), settings=settings)
    found = compare_assertions(assertions, settings)
    return [f for f in found if (kind is None or f.kind == kind) and (aspect is None or f.aspect == aspect)]


# -- clusters: one fact across outlets ------------------------------------------------------------------------
def fact_clusters(store: Store, filters: Filters = Filters(limit=1_000_000), settings: Settings | None = None,
                  text_contains: str | None = None, min_outlets: int = 1) -> list[FactCluster]:
    """The same fact carried by several outlets: assertions about one subject with the same value (holder, blamed
    side, overlapping figure of the same victims), in time order, the first carrier first."""
    settings = settings or Settings()
    assertions = load_assertions(store, replace(filters, limit=1_000_000, offset=0), settings=settings)
    _event_groups(assertions, settings)
    groups: dict[tuple, list[list[Assertion]]] = defaultdict(list)
    for a in sorted(assertions, key=lambda a: (a.day or dt.date.min, a.support.published or "", a.support.outlet)):
        buckets = groups[a.subject]
        for bucket in buckets:
            if _same_fact(bucket[0], a, settings):
                bucket.append(a)
                break
        else:
            buckets.append([a])
    pattern = _number_pattern(text_contains) if text_contains else None
    out = []
    for buckets in groups.values():
        for bucket in buckets:
            claims = list({(x.support.doc_id, x.support.idx): x.support for x in bucket}.values())
            if pattern is not None and not any(pattern.search(c.text) for c in claims):
                continue
            if len({c.outlet for c in claims}) < min_outlets:
                continue
            out.append(FactCluster(0, bucket[0].aspect, bucket[0].subject_name, bucket[0].place,
                                   bucket[0].support.value, claims))
    out.sort(key=lambda c: (-len(c.outlets), -len(c.claims), c.first.as_of or ""))
    for i, c in enumerate(out, 1):
        c.id = i
    return out


def _same_fact(a: Assertion, b: Assertion, settings: Settings) -> bool:
    gap = _gap(a.day, b.day)
    if gap is not None and gap > max(settings.window_days, settings.event_days):
        return False
    if a.aspect == "control":
        return a.data.get("holder") == b.data.get("holder")
    if a.aspect == "blame":
        return a.data.get("blamed") == b.data.get("blamed")
    ra, rb = _range(a), _range(b)
    return a.data.get("of") == b.data.get("of") and ra is not None and rb is not None and ranges_overlap(ra, rb)


def _number_pattern(text: str) -> re.Pattern:
    """``text`` as a pattern that does not match inside a longer number: "2,000" is not in "12,000"."""
    return re.compile(
        r"(?<![\d.,])" + re.escape(text) + r"(?!\d|[.,]\d)" if text[:1].isdigit() else re.escape(text), re.I
    )
