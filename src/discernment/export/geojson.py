"""GeoJSON FeatureCollection of events (and, optionally, places) that have coordinates.

Each event is a Point feature (``[lon, lat]``, as GeoJSON orders them) whose properties carry the event fields,
its ACLED type, the claimant, the document id, the event's sentence and the ``precision`` of its location
(settlement, site, admin2, admin1, country or unknown: see :mod:`discernment.export.precision`), so a map can
tell an event in Izium from one placed at Ukraine's centroid.
"""

from __future__ import annotations

import json
from typing import Iterable, Mapping, TextIO

from ..extract.events import event_type_of
from ..model import Document, Event
from .precision import place_precision


def event_place(doc: Document, event: Event):
    """The document's place record an event is located at (same text and coordinates), or None."""
    if event.place is None:
        return None
    same = [p for p in doc.places if p.text == event.place.text]
    return next((p for p in same if p.lat == event.place.lat and p.lon == event.place.lon), None) or \
        (same[0] if same else None)


def event_features(doc: Document, keep: Iterable[int] | None = None) -> list[dict]:
    """Point features of the document's events that have coordinates (only those indexed in ``keep``, if given)."""
    wanted = None if keep is None else set(keep)
    features = []
    for idx, event in enumerate(doc.events):
        if wanted is not None and idx not in wanted:
            continue
        if event.place is None or event.place.lat is None or event.place.lon is None:
            continue
        kind = event_type_of(event, doc.text)
        claimant = doc.claims[event.claim].claimant if event.claim is not None else None
        place = event_place(doc, event)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [event.place.lon, event.place.lat]},
            "properties": {
                "kind": "event", "type": event.type, "acled_event_type": kind.acled_type,
                "acled_sub_event_type": kind.acled_sub_type, "actor": event.actor, "target": event.target,
                "place": event.place.text, "precision": place_precision(place.feature if place else None),
                "country_code": place.country_code if place else None, "date": event.date,
                "fatalities": event.fatalities,
                "claimant": (claimant.canonical or claimant.text) if claimant else None,
                "document": doc.id, "outlet": doc.source.outlet, "published": doc.source.published,
                "url": doc.source.url, "event": idx, "start": event.start, "end": event.end,
                "text": doc.text[event.start:event.end],
            },
        })
    return features


def place_features(doc: Document) -> list[dict]:
    return [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
        "properties": {"kind": "place", "text": p.text, "name": p.name, "country_code": p.country_code,
                       "admin1": p.admin1, "geonames_id": p.geonames_id, "precision": place_precision(p.feature),
                       "score": p.score, "document": doc.id, "start": p.start, "end": p.end},
    } for p in doc.places if p.lat is not None and p.lon is not None]


def export_geojson(docs: Iterable[Document], out: TextIO, include_places: bool = False,
                   events: Mapping[str, Iterable[int]] | None = None) -> int:
    """Write a FeatureCollection of the events (and places, if asked) of ``docs``; returns the feature count.

    With ``events`` (doc id -> event indexes, as store.queries.event_keys gives them), only those events."""
    features: list[dict] = []
    for doc in docs:
        features.extend(event_features(doc, None if events is None else events.get(doc.id, ())))
        if include_places:
            features.extend(place_features(doc))
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)
