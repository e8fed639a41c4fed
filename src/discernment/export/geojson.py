"""GeoJSON FeatureCollection of events (and, optionally, places) that have coordinates.

Each event is a Point feature (``[lon, lat]``, as GeoJSON orders them) whose properties carry the event fields,
its ACLED type, the claimant, the document id and the event's sentence.
"""

from __future__ import annotations

import json
from typing import Iterable, TextIO

from ..extract.events import event_type_of
from ..model import Document


def event_features(doc: Document) -> list[dict]:
    features = []
    for event in doc.events:
        if event.place is None or event.place.lat is None or event.place.lon is None:
            continue
        kind = event_type_of(event, doc.text)
        claimant = doc.claims[event.claim].claimant if event.claim is not None else None
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [event.place.lon, event.place.lat]},
            "properties": {
                "kind": "event", "type": event.type, "acled_event_type": kind.acled_type,
                "acled_sub_event_type": kind.acled_sub_type, "actor": event.actor, "target": event.target,
                "place": event.place.text, "date": event.date, "fatalities": event.fatalities,
                "claimant": (claimant.canonical or claimant.text) if claimant else None,
                "document": doc.id, "outlet": doc.source.outlet, "url": doc.source.url,
                "start": event.start, "end": event.end, "text": doc.text[event.start:event.end],
            },
        })
    return features


def place_features(doc: Document) -> list[dict]:
    return [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
        "properties": {"kind": "place", "text": p.text, "name": p.name, "country_code": p.country_code,
                       "admin1": p.admin1, "geonames_id": p.geonames_id, "score": p.score, "document": doc.id,
                       "start": p.start, "end": p.end},
    } for p in doc.places if p.lat is not None and p.lon is not None]


def export_geojson(docs: Iterable[Document], out: TextIO, include_places: bool = False) -> int:
    """Write a FeatureCollection of the events (and places, if asked) of ``docs``; returns the feature count."""
    features: list[dict] = []
    for doc in docs:
        features.extend(event_features(doc))
        if include_places:
            features.extend(place_features(doc))
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)
