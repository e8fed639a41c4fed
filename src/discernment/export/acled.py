"""ACLED-style CSV of events: one row per event, with ACLED's column names.

``event_type``/``sub_event_type`` come from the event's PLOVER type through the mapping in docs/events.md;
``geo_precision`` follows ACLED (1: the town itself; 2: a region or district named; 3: only a province or
country); ``source`` is the outlet (else the URL or path) and the claimant; ``notes`` the event's sentence.
"""

from __future__ import annotations

from typing import Iterable, TextIO

from ..extract.events import event_type_of
from ..model import Document
from .cells import SafeDictWriter

ACLED_COLUMNS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "latitude",
                 "longitude", "geo_precision", "source", "notes", "fatalities")


def acled_rows(doc: Document) -> Iterable[dict]:
    """The ACLED rows of one document's events."""
    for event in doc.events:
        kind = event_type_of(event, doc.text)
        place = _place_record(doc, event)
        claimant = doc.claims[event.claim].claimant if event.claim is not None else None
        source = doc.source.outlet or doc.source.url or doc.source.path or ""
        if claimant is not None and claimant.text and claimant.text != source:
            source = f"{source}; claimed by {claimant.canonical or claimant.text}" if source else claimant.text
        yield {
            "event_date": event.date or "",
            "event_type": kind.acled_type,
            "sub_event_type": kind.acled_sub_type,
            "actor1": event.actor or "",
            "actor2": event.target or "",
            "location": event.place.text if event.place else "",
            "latitude": "" if not event.place or event.place.lat is None else event.place.lat,
            "longitude": "" if not event.place or event.place.lon is None else event.place.lon,
            "geo_precision": _precision(place) if event.place else "",
            "source": source,
            "notes": " ".join(doc.text[event.start:event.end].split()),
            "fatalities": event.fatalities if event.fatalities is not None else 0,
        }


def _place_record(doc: Document, event):
    if event.place is None:
        return None
    return next((p for p in doc.places if p.text == event.place.text and p.lat == event.place.lat), None)


def _precision(place) -> int:
    if place is None or not place.feature:
        return 3
    if place.feature.startswith("PPL") or place.feature in ("PS", "MFG", "BDG", "ISL", "SPIT"):
        return 1
    if place.feature in ("ADM2", "RGN"):
        return 2
    return 3


def export_acled(docs: Iterable[Document], out: TextIO) -> int:
    """Write every event of ``docs`` as ACLED-style CSV to ``out``; returns the number of rows."""
    writer = SafeDictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = 0
    for doc in docs:
        for row in acled_rows(doc):
            writer.writerow(row)
            rows += 1
    return rows
