"""Records to table rows and back. Fields a later component adds to a record travel in the ``extra`` column."""

from __future__ import annotations

from typing import Any

from ..model import LAYER_TYPES, Document, Genre, Source

_SPAN = ("start", "end", "text")
_COLUMNS = {
    "entities": (*_SPAN, "label", "canonical"),
    "places": (*_SPAN, "name", "lat", "lon", "country_code", "admin1", "geonames_id", "feature", "score"),
    "quotes": (*_SPAN, "kind"),
    "claims": (*_SPAN, "type", "via", "hedged", "checkworthy", "quantities", "dates", "places"),
    "events": ("type", "start", "end", "actor", "target", "date", "claim", "fatalities"),
    "techniques": (*_SPAN, "technique", "score"),
}
_HAS_EXTRA = {"places", "quotes", "claims", "events"}


def _split(layer: str, data: dict[str, Any], handled: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    cols = {k: data[k] for k in _COLUMNS[layer] if k in data}
    extra = {k: v for k, v in data.items() if k not in cols and k not in handled}
    return cols, extra


def layer_rows(doc: Document) -> dict[str, list[dict[str, Any]]]:
    """Rows for every layer table of one document (plus ``claim_places``)."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in _COLUMNS}
    out["claim_places"] = []
    for name in _COLUMNS:
        for idx, record in enumerate(getattr(doc, name)):
            data = record.to_dict()
            row = {"doc_id": doc.id, "idx": idx}
            handled: set[str] = set()
            if name == "quotes":
                handled = {"cue", "speaker"}
                for part in ("cue", "speaker"):
                    value = data.get(part) or {}
                    for key in _SPAN:
                        row[f"{part}_{key}"] = value.get(key)
                row["speaker_canonical"] = (data.get("speaker") or {}).get("canonical")
            elif name == "claims":
                handled = {"claimant"}
                claimant = data.get("claimant") or {}
                row.update(claimant=claimant.get("text"), claimant_canonical=claimant.get("canonical"),
                           claimant_start=claimant.get("start"), claimant_end=claimant.get("end"))
                resolved = [d["value"] for d in data.get("dates") or [] if d.get("value")]
                row["date"] = resolved[0] if resolved else doc.source.published
                for place_idx in data.get("places") or []:
                    if 0 <= place_idx < len(doc.places):
                        place = doc.places[place_idx]
                        out["claim_places"].append({"doc_id": doc.id, "claim_idx": idx, "place_idx": place_idx,
                                                    "name": place.name or place.text,
                                                    "geonames_id": place.geonames_id})
            elif name == "events":
                handled = {"place"}
                place = data.get("place") or {}
                row.update(place_text=place.get("text"), lat=place.get("lat"), lon=place.get("lon"))
                if data.get("place") is None:
                    row["place_text"] = None
            cols, extra = _split(name, data, handled)
            row.update(cols)
            if name in _HAS_EXTRA:
                row["extra"] = extra or None
            out[name].append(row)
    return out


def record_dict(layer: str, row: dict[str, Any]) -> dict[str, Any]:
    """The ``to_dict`` form of a record from its row."""
    data = {k: row[k] for k in _COLUMNS[layer]}
    if layer == "quotes":
        for part in ("cue", "speaker"):
            if row.get(f"{part}_start") is None:
                data[part] = None
            else:
                data[part] = {k: row[f"{part}_{k}"] for k in _SPAN}
        if data["speaker"] is not None:
            data["speaker"]["canonical"] = row.get("speaker_canonical")
    elif layer == "claims":
        data["claimant"] = None if row.get("claimant") is None else {
            "text": row["claimant"], "canonical": row.get("claimant_canonical"),
            "start": row.get("claimant_start"), "end": row.get("claimant_end")}
    elif layer == "events":
        data["place"] = None if row.get("place_text") is None else {
            "text": row["place_text"], "lat": row.get("lat"), "lon": row.get("lon")}
    if row.get("extra"):
        data.update(row["extra"])
    return data


def document_from_rows(doc_row: dict[str, Any], layers: dict[str, list[dict[str, Any]]]) -> Document:
    source = Source(
        path=doc_row["path"],
        outlet=doc_row.get("source_outlet"),
        url=doc_row["url"],
        title=doc_row["title"],
        published=doc_row["published"],
        author=doc_row["author"],
    )
    records = {name: [LAYER_TYPES[name].from_dict(record_dict(name, r)) for r in rows] for name, rows in layers.items()}
    return Document(doc_row["text"], source=source, language=doc_row["language"] or "en",
                    genre=Genre(doc_row["genre"] or "reporting", doc_row["genre_score"] or 0.0),
                    duplicate_of=doc_row["duplicate_of"], **records)
