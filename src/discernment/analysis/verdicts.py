"""A territorial claim against a dated map of the front: did the map agree on the day, later, or never?

This module holds the rule, apart from where the map comes from: a control layer is read (``discernment.maps``)
into what it says at one point on one date (:class:`MapReading`), and :func:`judge` compares a control
assertion's holder with the reading on its ``as_of`` date and with the readings of the snapshots after it.

Verdicts:

- ``consistent``: the latest snapshot on or before ``as_of`` (no older than the staleness allowed) shows the
  claimed holder at the point.
- ``later``: it did not, but a later snapshot within ``later_days`` does; ``lag_days`` says how long after.
- ``not_confirmed``: no snapshot up to the layer's last, or within ``later_days``, shows the claimed holder
  (``agree_date`` still names the first that did, beyond the window, if one did).
- ``contested``: the map marks the point's status as unknown on the day.
- ``no_map``: no snapshot covers the date (none before it, or the last one is older than the staleness).

A map gives one of four statuses at a point: ``occupied`` (held by Russian forces), ``liberated`` (retaken by
Ukraine), ``unknown`` (the map's own "status unknown" or grey zone) and ``outside`` (none of the map's areas:
held by Ukraine, for a point in Ukraine on an occupied-area map). A claim that only part of a place is held
("over 80% of Volchansk") is judged by the status of the place's point and marked ``partial``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

if TYPE_CHECKING:
    from .compare import Support

RU, UA = "RU", "UA"


@dataclass(frozen=True)
class MapReading:
    """What one snapshot of a control layer says at a point: ``status`` on ``date`` (YYYY-MM-DD)."""

    source: str
    date: str
    status: str


@dataclass(frozen=True)
class Verdict:
    """The verdict on one control assertion, as the contract's ``claims[].map`` gives it."""

    source: str | None
    snapshot_date: str | None
    status: str | None
    verdict: str
    agree_date: str | None = None
    lag_days: int | None = None
    partial: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def holder_of(status: str) -> str | None:
    """The side a map status shows holding the point: RU for occupied, UA for liberated or outside the occupied
    area, None for unknown."""
    if status == "occupied":
        return RU
    if status in ("liberated", "outside"):
        return UA
    return None


def _days(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def judge(holder: str, as_of: str, on_day: MapReading | None, after: Iterable[MapReading],
          later_days: int = 90, staleness_days: int = 14, partial: bool = False) -> Verdict:
    """The verdict on "``holder`` holds the place on ``as_of``" given the map's reading on that day (the latest
    snapshot on or before it, or None) and the readings of the snapshots after it, oldest first.

    A reading older than ``staleness_days`` before ``as_of`` does not count for the day. With none for the day,
    the layer still covers the claim when its next snapshot comes within ``staleness_days`` after it (the map
    starts, or resumes after a gap): that snapshot can only make the claim ``later`` or ``not_confirmed``."""
    if holder not in (RU, UA):
        raise ValueError(f"holder must be RU or UA, not {holder!r}")
    day = on_day if on_day is not None and 0 <= _days(on_day.date, as_of) <= staleness_days else None
    later = (r for r in after if r.date > as_of)  # read lazily: a map is read only up to its first agreement
    first = next(later, None)
    if day is None and not (first is not None and _days(as_of, first.date) <= staleness_days):
        return Verdict(None, None, None, "no_map", partial=partial)
    later = itertools.chain([first] if first is not None else [], later)
    source = (day or first).source
    snapshot, status = (day.date, day.status) if day else (None, None)
    if day is not None and holder_of(day.status) == holder:
        return Verdict(source, snapshot, status, "consistent", day.date, 0, partial)
    if day is not None and day.status == "unknown":
        return Verdict(source, snapshot, status, "contested", partial=partial)
    for reading in later:
        if holder_of(reading.status) == holder:
            lag = _days(as_of, reading.date)
            return Verdict(source, snapshot, status, "later" if lag <= later_days else "not_confirmed",
                           reading.date, lag, partial)
    return Verdict(source, snapshot, status, "not_confirmed", partial=partial)


# -- claims of a store against a map -------------------------------------------------------------------------------

# What a control layer says at a point: (lon, lat, as_of) -> (the reading on the day or None, the later readings).
Reader = Callable[[float, float, str], "tuple[MapReading | None, list[MapReading]]"]


@dataclass
class ClaimVerdict:
    """One control assertion of a stored claim, with the map's verdict on it. ``support`` is the claim as
    :mod:`discernment.analysis.compare` loads it (document, offsets, text, outlet, claimant, source)."""

    support: "Support"
    place: str | None
    lat: float
    lon: float
    holder: str
    as_of: str
    map: Verdict
    ordinal: int = 0  # the assertion's position in the claim's extra.assertions
    geonames_id: int | None = None
    primary: bool = True  # the verdict of the layer with the newest snapshot for the day (others: False)


def check_control(assertions: Iterable, read: "Reader | Mapping[str, Reader]", later_days: int = 90,
                  staleness_days: int = 14) -> list[ClaimVerdict]:
    """The verdict on every control assertion (from :func:`discernment.analysis.compare.load_assertions`) about a
    located place whose holder is a side: ``read(lon, lat, as_of)`` gives the map's readings there.

    ``read`` may be a mapping of layer name -> reader: each assertion is then judged on every layer that covers
    its date (one verdict each; layers that give ``no_map`` are left out, and when all do, one ``no_map`` verdict
    stands for them). The verdict of the layer with the newest snapshot for the day is ``primary``: the ledger's
    column and the track records use it."""
    readers = dict(read) if isinstance(read, Mapping) else {None: read}
    out = []
    for a in assertions:
        if a.aspect != "control" or a.lat is None or a.lon is None:
            continue
        holder = a.data.get("holder")
        as_of = a.support.as_of or a.support.published
        if holder not in (RU, UA) or not as_of:
            continue
        partial = a.data.get("extent") not in (None, "full") or a.data.get("share") is not None
        found = []
        for reader in readers.values():
            on_day, after = reader(a.lon, a.lat, as_of)
            found.append(judge(holder, as_of, on_day, after, later_days, staleness_days, partial))
        covered = [v for v in found if v.verdict != "no_map"] or found[:1]
        covered.sort(key=lambda v: (v.snapshot_date or "", v.source or ""), reverse=True)
        for i, verdict in enumerate(covered):
            out.append(ClaimVerdict(a.support, a.place, a.lat, a.lon, holder, as_of, verdict, a.ordinal,
                                    a.geonames_id, primary=i == 0))
    return out


@dataclass
class TrackRecord:
    """How often one claimant's (or outlet's) territorial claims were borne out by the map."""

    who: str
    checked: int = 0  # claims with a map on the day or soon after (not ``no_map``)
    consistent: int = 0  # the map agreed on the day
    within_7: int = 0  # ... on the day or within 7 days
    within_30: int = 0  # ... within 30 days
    never: int = 0  # not confirmed
    contested: int = 0
    median_lag: float | None = None  # days, over the claims the map came to agree with


def track_records(verdicts: Iterable[ClaimVerdict], by: str = "source") -> list[TrackRecord]:
    """Per claimant (``by="source"``: the institution, so "the ministry" and "Shoigu" count together;
    ``"claimant"``: the name as written) or per outlet (``"outlet"``), most claims checked first. One statement
    relayed in several articles (the same holder of the same place as of the same day) counts once."""
    from statistics import median

    records: dict[str, TrackRecord] = {}
    lags: dict[str, list[int]] = {}
    counted: set[tuple] = set()
    for v in verdicts:
        if v.map.verdict == "no_map" or not v.primary:
            continue
        who = getattr(v.support, by) or "unknown"
        key = (who, round(v.lat, 3), round(v.lon, 3), v.holder, v.as_of)
        if key in counted:
            continue
        counted.add(key)
        r = records.setdefault(who, TrackRecord(who))
        r.checked += 1
        lag = v.map.lag_days
        if v.map.verdict == "consistent":
            r.consistent += 1
        if v.map.verdict == "contested":
            r.contested += 1
        elif lag is not None:
            lags.setdefault(who, []).append(lag)
            r.within_7 += lag <= 7
            r.within_30 += lag <= 30
        if v.map.verdict == "not_confirmed":
            r.never += 1
    for who, r in records.items():
        r.median_lag = float(median(lags[who])) if lags.get(who) else None
    return sorted(records.values(), key=lambda r: (-r.checked, r.who))


class Timelines:
    """The status series of points on every layer of a :class:`discernment.maps.store.MapStore` (or only
    ``layer``), computed for new points only (:meth:`~discernment.maps.store.MapStore.status_series`: one pass
    over a layer's snapshots for all of them) and kept, one byte per point and snapshot."""

    def __init__(self, maps, layer: str | None = None):
        self.maps = maps
        self.layers = [layer] if layer else maps.layer_names()
        self.dates: dict[str, list[str]] = {}
        self.rows: dict[str, dict[tuple[float, float], Any]] = {name: {} for name in self.layers}

    def add(self, points: Iterable[tuple[float, float]]) -> "Timelines":
        known = self.rows[self.layers[0]] if self.layers else {}
        new = [p for p in dict.fromkeys((float(x), float(y)) for x, y in points) if p not in known]
        if new:
            for name in self.layers:
                dates, codes = self.maps.status_series(new, name)
                self.dates[name] = [d.isoformat() for d in dates]
                self.rows[name].update(zip(new, codes))
        return self

    def reader(self, name: str) -> Reader:
        """For a date: the layer's latest snapshot on or before it (``judge`` applies the staleness) and the
        snapshots after it, at a point given to :meth:`add`."""
        import bisect

        from ..maps.store import STATUS_CODES

        dates, rows = self.dates.get(name, []), self.rows[name]

        def read(lon: float, lat: float, as_of: str):
            codes = rows[(float(lon), float(lat))]
            j = bisect.bisect_right(dates, as_of)
            on_day = MapReading(name, dates[j - 1], STATUS_CODES[codes[j - 1]]) if j else None
            return on_day, [MapReading(name, dates[k], STATUS_CODES[codes[k]]) for k in range(j, len(dates))]

        return read

    def readers(self) -> dict[str, Reader]:
        return {name: self.reader(name) for name in self.layers}


def timeline_readers(maps, points: Iterable[tuple[float, float]], layer: str | None = None) -> dict[str, Reader]:
    """A :data:`Reader` per layer of ``maps`` (or only ``layer``) for the given (lon, lat) points."""
    return Timelines(maps, layer).add(points).readers()


@dataclass(frozen=True)
class MapSite:
    """A named site judged at its own point (``resources/en/map_sites.toml``)."""

    sites: frozenset[str]
    places: frozenset[str]
    lat: float
    lon: float
    why: str


@lru_cache(maxsize=None)
def map_sites(language: str = "en") -> tuple[tuple[MapSite, ...], frozenset[str]]:
    """The sites table of ``language`` and the site kinds named after regions."""
    import tomllib
    from importlib import resources

    text = resources.files("discernment").joinpath(f"resources/{language}/map_sites.toml").read_text("utf-8")
    data = tomllib.loads(text)
    sites = tuple(
        MapSite(
            frozenset(e["sites"]), frozenset(p.lower() for p in e["places"]), float(e["lat"]), float(e["lon"]), e["why"]
        )
        for e in data.get("site", ())
    )
    return sites, frozenset(data.get("regional_kinds", ()))


def site_point(site: str, place: str | None, language: str = "en") -> tuple[float, float] | None | bool:
    """Where a control claim about ``site`` of ``place`` is judged: the site's (lon, lat) when the sites table
    knows it; False when the site is of a kind named after a region and unknown (it cannot be placed); None when
    the town's point serves."""
    sites, regional = map_sites(language)
    name = (place or "").lower()
    for s in sites:
        if site in s.sites and (name in s.places or any(name.startswith(p + " ") for p in s.places)):
            return s.lon, s.lat
    return False if site in regional else None


def judgeable(assertions: Iterable, countries: Iterable[str] = ("UA",)) -> list:
    """The control assertions a map can judge: about a located place in one of ``countries`` (any when empty),
    a named site at its own point (see :func:`site_point`)."""
    from dataclasses import replace

    countries = {c.upper() for c in countries}
    out = []
    for a in assertions:
        if a.aspect != "control" or a.lat is None or a.lon is None:
            continue
        if countries and (a.country or "").upper() not in countries:
            continue
        if a.site:
            point = site_point(a.site, a.place)
            if point is False:
                continue
            if point is not None:
                a = replace(a, lon=point[0], lat=point[1])
        out.append(a)
    return out


def judge_all(assertions: Iterable, timelines: "Timelines", config) -> list[ClaimVerdict]:
    """The verdicts of the assertions a map can judge (:func:`judgeable`, by ``[maps] countries``) on every
    layer of ``timelines``, whose series are extended to their points; the window and staleness of ``[maps]``."""
    judged = judgeable(assertions, config["maps.countries"])
    if not judged or not timelines.layers:
        return []
    timelines.add((a.lon, a.lat) for a in judged)
    return check_control(judged, timelines.readers(), later_days=config["maps.later_days"],
                         staleness_days=config["maps.staleness_days"])


def check_store(store, maps, filters=None, layer: str | None = None, config=None,
                doc_ids: Iterable[str] | None = None) -> list[ClaimVerdict]:
    """The verdict on every control assertion of the claims in ``store`` that ``filters`` keeps (all by default;
    only those of ``doc_ids`` when given), against the layers of ``maps``."""
    from ..config import Config
    from ..store.queries import Filters
    from .compare import Settings, load_assertions

    config = config or Config.defaults()
    assertions = load_assertions(store, filters or Filters(limit=1_000_000), doc_ids=doc_ids,
                                 settings=Settings.from_config(config))
    return judge_all(assertions, Timelines(maps, layer), config)


def store_verdicts(store, verdicts: list[ClaimVerdict], doc_ids: Iterable[str] | None = None) -> int:
    """Write ``verdicts`` into the store's ``claim_verdicts`` in one transaction, in place of the rows of
    ``doc_ids`` (of every document when None). Returns the rows written."""
    from sqlalchemy import delete, insert

    from ..store import schema as s
    from ..store.store import now

    t = s.claim_verdicts
    stamp = now()
    rows = [dict(doc_id=v.support.doc_id, claim_idx=v.support.idx, ordinal=v.ordinal, layer=v.map.source or "",
                 is_primary=v.primary, place=v.place,
                 geonames_id=v.geonames_id, lat=v.lat, lon=v.lon, holder=v.holder, as_of=v.as_of,
                 partial=v.map.partial, snapshot_date=v.map.snapshot_date, status=v.map.status,
                 verdict=v.map.verdict, agree_date=v.map.agree_date, lag_days=v.map.lag_days,
                 source=v.support.source, claimant=v.support.claimant, computed_at=stamp) for v in verdicts]
    docs = None if doc_ids is None else sorted(set(doc_ids))
    with store.engine.begin() as conn:
        if docs is None:
            conn.execute(delete(t))
        else:
            for k in range(0, len(docs), 500):
                conn.execute(delete(t).where(t.c.doc_id.in_(docs[k:k + 500])))
        for k in range(0, len(rows), 1000):
            conn.execute(insert(t), rows[k:k + 1000])
    return len(rows)


def refresh(store, doc_ids: Iterable[str] | None = None, config=None) -> int | None:
    """Recompute and store the verdicts of ``doc_ids`` (every document when None) against every imported layer.
    A store without maps is left as it is (returns None); else the number of verdicts stored."""
    from ..maps import MapSettings, MapStore

    maps = MapStore(store, MapSettings.from_config(config))
    if not maps.layer_names():
        return None
    doc_ids = None if doc_ids is None else list(doc_ids)
    if doc_ids is not None and not doc_ids:
        return 0
    return store_verdicts(store, check_store(store, maps, config=config, doc_ids=doc_ids), doc_ids)


def store_records(store, filters=None, by: str = "source") -> list[TrackRecord]:
    """Track records from the store's verdicts on the claims ``filters`` keeps (see :func:`track_records`)."""
    return track_records(load_verdicts(store, filters), by=by)


def profiles_with_records(store, filters=None) -> tuple[list, list[dict]]:
    """The outlet profiles of :func:`discernment.store.queries.sources`, each with its ``track_record`` against
    the control maps, and the track records of the claimants (by the institution each speaks for), as dicts."""
    from ..store.queries import Filters, sources

    filters = filters or Filters(limit=1_000_000)
    profiles = sources(store, filters)
    verdicts = load_verdicts(store, filters)
    by_outlet = {r.who: asdict(r) for r in track_records(verdicts, by="outlet")}
    for p in profiles:
        p.track_record = by_outlet.get(p.outlet)
    return profiles, [asdict(r) for r in track_records(verdicts, by="source")]


def refresh_run(store, run_id: int, config=None) -> int | None:
    """After an ingest run: judge the claims of the documents it stored, when the store has maps."""
    return refresh(store, store.run_documents(run_id), config)


def load_verdicts(store, filters=None, primary: bool = True) -> list[ClaimVerdict]:
    """The stored verdicts of the claims ``filters`` keeps (outlet, dates, claimant ...), as :class:`ClaimVerdict`
    with the claim's text and offsets, in publication order. A place filter keeps the verdicts about that place
    (any spelling), not every claim that names it."""
    from dataclasses import replace

    from sqlalchemy import select

    from ..store import schema as s
    from ..store.queries import Filters, claim_filters, place_ids
    from .compare import Support

    filters = filters or Filters(limit=1_000_000)
    places = filters.place
    keep = place_ids(store, places) if places else None
    names = {n.lower() for n in places} if places else set()
    filters = replace(filters, place=None)
    c, d, v = s.claims, s.documents, s.claim_verdicts
    q = select(v, c.c.start, c.c.end, c.c.text, c.c.claimant.label("claim_claimant"), c.c.hedged, c.c.via,
               d.c.outlet, d.c.url, d.c.title, d.c.published).select_from(
        v.join(c, (c.c.doc_id == v.c.doc_id) & (c.c.idx == v.c.claim_idx)).join(d, d.c.id == v.c.doc_id))
    q = claim_filters(store, q, filters)
    if primary:
        q = q.where(v.c.is_primary.is_(True))
    q = q.order_by(d.c.published, v.c.doc_id, v.c.claim_idx, v.c.ordinal, v.c.is_primary.desc(), v.c.layer)
    out = []
    with store.engine.connect() as conn:
        for r in conn.execute(q):
            if keep is not None and r.geonames_id not in keep and (r.place or "").lower() not in names:
                continue
            support = Support(r.doc_id, r.claim_idx, r.start, r.end, r.text, r.outlet, r.url, r.title, r.published,
                              r.claimant, "", r.source or r.outlet, r.as_of, bool(r.hedged), list(r.via or ()),
                              None, ("RU" if r.holder == RU else "UA") + " holds")
            verdict = Verdict(r.layer or None, r.snapshot_date, r.status, r.verdict, r.agree_date, r.lag_days,
                              bool(r.partial))
            out.append(ClaimVerdict(support, r.place, r.lat, r.lon, r.holder, r.as_of, verdict,
                                    ordinal=r.ordinal, geonames_id=r.geonames_id, primary=bool(r.is_primary)))
    return out


# -- discern analyze --control-map ---------------------------------------------------------------------------------

_CONTRACT_STATUS = {"occupied": RU, "liberated": UA, "outside": UA, "unknown": "contested"}


def contract_map(v: Verdict) -> dict:
    """A verdict as the contract's ``claims[].map``: ``status`` is the side the map shows holding the point
    (RU, UA, contested, or none when no snapshot served the day); ``map_status`` the map's own word for it."""
    return {"source": v.source, "snapshot_date": v.snapshot_date,
            "status": _CONTRACT_STATUS.get(v.status or "", "none"), "verdict": v.verdict,
            "agree_date": v.agree_date, "lag_days": v.lag_days, "map_status": v.status, "partial": v.partial}


@dataclass(frozen=True)
class _Asserted:
    """A control assertion of an analysed (not stored) document, with what judgeable and check_control read."""

    support: Any
    aspect: str
    data: dict
    place: str | None
    lat: float | None
    lon: float | None
    country: str | None
    site: str | None
    ordinal: int
    geonames_id: int | None


class MapJudge:
    """Adds the map's verdict to the control claims of analysed documents (``discern analyze --control-map``).

    Every claim whose assertions include ``control`` gets ``map`` (for its first control assertion) and each such
    assertion gets its own ``map``: one verdict, or a list of them (newest snapshot first) when several layers
    cover the date. A claim about a place the map cannot judge (none resolved, outside ``[maps] countries``, a
    site that cannot be placed) gets ``no_map``. Points are judged once and remembered across documents."""

    def __init__(self, maps, config=None, layer: str | None = None):
        from ..config import Config

        self.config = config or Config.defaults()
        self.timelines = Timelines(maps, layer)

    def annotate(self, docs: list[dict]) -> None:
        from types import SimpleNamespace

        found = []  # (claim dict, assertion dict, _Asserted)
        for doc in docs:
            published = doc.get("published")
            places = doc.get("places") or []
            for ci, claim in enumerate(doc.get("claims") or []):
                for k, a in enumerate(claim.get("assertions") or ()):
                    if a.get("aspect") != "control":
                        continue
                    i = a.get("place")
                    p = places[i] if isinstance(i, int) and 0 <= i < len(places) else {}
                    support = SimpleNamespace(doc_id=doc.get("id"), idx=ci, as_of=a.get("as_of") or published,
                                              published=published)
                    found.append((claim, a, _Asserted(support, "control", a, p.get("name") or p.get("text"),
                                                      p.get("lat"), p.get("lon"), p.get("country_code"),
                                                      a.get("site"), k, p.get("geonames_id"))))
        by_support: dict[int, list[Verdict]] = {}
        for v in judge_all([f[2] for f in found], self.timelines, self.config):
            by_support.setdefault(id(v.support), []).append(v.map)  # one support object per assertion
        for claim, a, asserted in found:
            verdicts = by_support.get(id(asserted.support)) or [Verdict(None, None, None, "no_map")]
            value = [contract_map(v) for v in verdicts]
            a["map"] = value[0] if len(value) == 1 else value
            if "map" not in claim:
                claim["map"] = a["map"]


# -- a place's status over time (the place timeline) ---------------------------------------------------------------

@dataclass
class StatusRun:
    """One stretch of snapshots of a layer showing the same status at a point: ``first`` and ``last`` are the
    dates of its first and last snapshot."""

    layer: str
    status: str
    first: str
    last: str


def status_runs(maps, lon: float, lat: float) -> dict[str, list[StatusRun]]:
    """For each layer of ``maps``: the point's status over time, as runs of equal status, oldest first."""
    from ..maps.store import STATUS_CODES

    out: dict[str, list[StatusRun]] = {}
    for name in maps.layer_names():
        dates, codes = maps.status_series([(lon, lat)], name)
        runs: list[StatusRun] = []
        for d, code in zip(dates, codes[0] if len(dates) else ()):
            status, day = STATUS_CODES[code], d.isoformat()
            if runs and runs[-1].status == status:
                runs[-1].last = day
            else:
                runs.append(StatusRun(name, status, day, day))
        out[name] = runs
    return out


def status_on(runs: list[StatusRun], date: str, staleness_days: int = 14) -> StatusRun | None:
    """The run holding the latest snapshot on or before ``date`` (None when there is none, or when it is older
    than ``staleness_days`` and the next run starts after ``date``)."""
    for i, run in enumerate(runs):
        if run.first > date:
            break
        if run.last >= date:
            return run
        nxt = runs[i + 1] if i + 1 < len(runs) else None
        if nxt is None or nxt.first > date:
            return run if _days(run.last, date) <= staleness_days else None
    return None
