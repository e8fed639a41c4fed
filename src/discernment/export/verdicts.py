"""GeoJSON of territorial claims and their map verdicts, and of one control-map snapshot (docs/control-maps.md).

The claims are Point features at the place (or site) each was judged at, with the claim's text, offsets,
outlet, claimant, the holder it asserts, its ``as_of`` date and the map's verdict; the snapshot is one feature
per status (occupied, liberated, unknown) of the layer's latest map on or before a date, simplified for drawing.
"""

from __future__ import annotations

from typing import Iterable


def verdict_features(verdicts: Iterable) -> dict:
    """A FeatureCollection of :class:`discernment.analysis.verdicts.ClaimVerdict` (stored verdicts)."""
    features = []
    for v in verdicts:
        s, m = v.support, v.map
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(v.lon, 5), round(v.lat, 5)]},
            "properties": {
                "kind": "claim", "verdict": m.verdict, "holder": v.holder, "as_of": v.as_of, "place": v.place,
                "partial": m.partial, "layer": m.source, "snapshot_date": m.snapshot_date, "map_status": m.status,
                "agree_date": m.agree_date, "lag_days": m.lag_days, "outlet": s.outlet, "claimant": s.claimant,
                "source": s.source, "published": s.published, "text": s.text, "document": s.doc_id,
                "claim": s.idx, "start": s.start, "end": s.end,
            },
        })
    return {"type": "FeatureCollection", "features": features}


def snapshot_features(layer: str, date: str, geometries: dict, tolerance: float = 0.002) -> dict:
    """A FeatureCollection of one snapshot: a feature per status, simplified by ``tolerance`` degrees (0: as
    stored) and rounded to 5 decimals (about 1 m)."""
    import shapely

    features = []
    for status, geom in sorted(geometries.items()):
        shape = shapely.simplify(geom, tolerance, preserve_topology=True) if tolerance else geom
        shape = shapely.set_precision(shape, 1e-5)
        if shape.is_empty:
            continue
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(shape),
                         "properties": {"layer": layer, "date": date, "status": status}})
    return {"type": "FeatureCollection", "layer": layer, "date": date, "features": features}
