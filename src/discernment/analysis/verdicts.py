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
from dataclasses import asdict, dataclass
from typing import Iterable

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
    later = [r for r in after if r.date > as_of]
    if day is None and not (later and _days(as_of, later[0].date) <= staleness_days):
        return Verdict(None, None, None, "no_map", partial=partial)
    source = (day or later[0]).source
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
