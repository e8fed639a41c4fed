"""ACLED-style CSV of events: one row per event, with ACLED's column names.

``event_type``/``sub_event_type`` come from the event's PLOVER type through the mapping in docs/events.md;
``geo_precision`` follows ACLED (1: the town or site itself; 2: a district or region named; 3: only a province);
``source`` is the outlet (else the URL or path) and the claimant; ``notes`` the event's sentence.

Only events ACLED would code become rows (:func:`acled_exclusion` says why another is left out; the CSV stays
clean and the caller reports the count):

- ``verbal``: a PLOVER verbal or diplomatic event (an accusation, appeal, meeting, agreement ...);
- ``no_location``: no place with coordinates;
- ``country_only``: located only at a whole country (Ukraine's centroid: "the war in Ukraine" is a background
  mention, not an event ACLED places);
- ``no_date``: no event date (the events extractor leaves background retellings undated);
- ``background``: dated more than :data:`BACKGROUND_DAYS` before its publication (a retelling of an old event);
- ``forecast``: dated more than :data:`FUTURE_DAYS` after its publication (a threat, a plan, a deadline);
- ``outside_theatre``: its place is not in Ukraine, Russia or Belarus and neither its actor nor its target is a
  military one (forces, troops, drones, ...): a mention of another conflict or a diplomatic visit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Iterable, Mapping, TextIO

from ..extract.events import _MILITARY, VERBAL, event_type_of
from ..model import Document, Event
from .cells import SafeDictWriter
from .geojson import event_place
from .precision import acled_precision, place_precision

ACLED_COLUMNS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "latitude",
                 "longitude", "geo_precision", "source", "notes", "fatalities")
THEATRE = frozenset({"UA", "RU", "BY"})
BACKGROUND_DAYS = 31
FUTURE_DAYS = 1


def _days_after_publication(doc: Document, event: Event) -> int | None:
    try:
        return (dt.date.fromisoformat(event.date) - dt.date.fromisoformat(doc.source.published or "")).days
    except (TypeError, ValueError):
        return None


def acled_exclusion(doc: Document, event: Event) -> str | None:
    """Why ACLED would not code this event (a reason of the module docstring), or None when it would."""
    if event.type in VERBAL:
        return "verbal"  # PLOVER's verbal and diplomatic events: ACLED codes no statements or meetings
    if event.place is None or event.place.lat is None or event.place.lon is None:
        return "no_location"
    place = event_place(doc, event)
    if place is not None and place_precision(place.feature) == "country":
        return "country_only"
    if not event.date:
        return "no_date"
    days = _days_after_publication(doc, event)
    if days is not None and days < -BACKGROUND_DAYS:
        return "background"
    if days is not None and days > FUTURE_DAYS:
        return "forecast"
    country = (place.country_code or "").upper() if place is not None else ""
    military = any(_MILITARY.search(x or "") for x in (event.actor, event.target))
    if country not in THEATRE and not military:
        return "outside_theatre"
    return None


def acled_rows(doc: Document, keep: Iterable[int] | None = None, left_out: Counter | None = None) -> Iterable[dict]:
    """The ACLED rows of one document's events (only those indexed in ``keep``, if given); each event left out
    is counted in ``left_out`` under its reason."""
    wanted = None if keep is None else set(keep)
    for idx, event in enumerate(doc.events):
        if wanted is not None and idx not in wanted:
            continue
        reason = acled_exclusion(doc, event)
        if reason is not None:
            if left_out is not None:
                left_out[reason] += 1
            continue
        kind = event_type_of(event, doc.text)
        place = event_place(doc, event)
        claimant = doc.claims[event.claim].claimant if event.claim is not None else None
        source = doc.source.outlet or doc.source.url or doc.source.path or ""
        if claimant is not None and claimant.text and claimant.text != source:
            source = f"{source}; claimed by {claimant.canonical or claimant.text}" if source else claimant.text
        yield {
            "event_date": event.date,
            "event_type": kind.acled_type,
            "sub_event_type": kind.acled_sub_type,
            "actor1": event.actor or "",
            "actor2": event.target or "",
            "location": event.place.text,
            "latitude": event.place.lat,
            "longitude": event.place.lon,
            "geo_precision": acled_precision(place.feature if place else None),
            "source": source,
            "notes": " ".join(doc.text[event.start:event.end].split()),
            "fatalities": event.fatalities if event.fatalities is not None else 0,
        }


def _precision(place) -> int:
    """ACLED geo_precision of a place record (None: 3). Kept for callers of the earlier name."""
    return acled_precision(place.feature if place is not None else None)


def export_acled(docs: Iterable[Document], out: TextIO, events: Mapping[str, Iterable[int]] | None = None,
                 left_out: Counter | None = None) -> int:
    """Write the events of ``docs`` that ACLED would code as ACLED-style CSV to ``out``; returns the number of
    rows. With ``events`` (doc id -> event indexes, from store.queries.event_keys), only those events; the
    events left out are counted by reason in ``left_out``."""
    writer = SafeDictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = 0
    for doc in docs:
        for row in acled_rows(doc, None if events is None else events.get(doc.id, ()), left_out):
            writer.writerow(row)
            rows += 1
    return rows
