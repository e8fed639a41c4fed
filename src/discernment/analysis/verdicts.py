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
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:
    from .compare import Support

RU, UA = "RU", "UA"
STATUSES = ("occupied", "liberated", "unknown", "outside")
VERDICTS = ("consistent", "later", "not_confirmed", "contested", "no_map")


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


def check_control(assertions: Iterable, read: Reader, later_days: int = 90,
                  staleness_days: int = 14) -> list[ClaimVerdict]:
    """The verdict on every control assertion (from :func:`discernment.analysis.compare.load_assertions`) about a
    located place whose holder is a side: ``read(lon, lat, as_of)`` gives the map's readings there."""
    out = []
    for a in assertions:
        if a.aspect != "control" or a.lat is None or a.lon is None:
            continue
        holder = a.data.get("holder")
        as_of = a.support.as_of or a.support.published
        if holder not in (RU, UA) or not as_of:
            continue
        on_day, after = read(a.lon, a.lat, as_of)
        partial = a.data.get("extent") not in (None, "full") or a.data.get("share") is not None
        verdict = judge(holder, as_of, on_day, after, later_days, staleness_days, partial)
        out.append(ClaimVerdict(a.support, a.place, a.lat, a.lon, holder, as_of, verdict))
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
        if v.map.verdict == "no_map":
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


def map_reader(maps, layer: str | None = None) -> Reader:
    """A :data:`Reader` over a :class:`discernment.maps.store.MapStore`: the latest snapshot on or before the
    date (``judge`` applies the staleness) and, lazily, the snapshots after it, of ``layer`` or of the layer
    that covers the date."""
    def read(lon: float, lat: float, as_of: str):
        st = maps.status_at(lon, lat, as_of, layer, staleness_days=1_000_000)
        on_day = MapReading(st.layer, st.date.isoformat(), st.status) if st.date and st.status != "no_map" else None
        after = (MapReading(x.layer, x.date.isoformat(), x.status)
                 for x in maps.statuses_after(lon, lat, as_of, layer=st.layer or layer))
        return on_day, after

    return read
