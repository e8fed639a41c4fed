"""ACLED CSV and GeoJSON exports of hand-built documents."""

from __future__ import annotations

import csv
import io
import json

import jsonschema

from discernment.export.acled import ACLED_COLUMNS, export_acled
from discernment.export.geojson import export_geojson
from discernment.model import Claim, Claimant, Document, Event, EventPlace, Place, Source

TEXT = "Russian forces shelled Kharkiv, killing 3 people. Talks resumed in an undisclosed place."

POINT_FEATURES = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": {
            "type": "object", "required": ["type", "geometry", "properties"],
            "properties": {
                "type": {"const": "Feature"},
                "geometry": {"type": "object", "required": ["type", "coordinates"], "properties": {
                    "type": {"const": "Point"},
                    "coordinates": {"type": "array", "minItems": 2, "maxItems": 3,
                                    "items": {"type": "number"}}}},
                "properties": {"type": "object"},
            }}},
    },
}


def make_doc() -> Document:
    at = TEXT.index("Kharkiv")
    first = TEXT.index(".") + 1
    return Document(
        TEXT,
        source=Source(outlet="Test Wire", published="2022-09-10"),
        places=[Place(at, at + 7, "Kharkiv", name="Kharkiv", lat=49.98, lon=36.25, country_code="UA",
                      admin1="Kharkiv Oblast", geonames_id=706483, feature="PPL", score=0.9)],
        claims=[Claim(0, first, TEXT[:first], "strike", claimant=Claimant("Ukrainian General Staff"))],
        events=[
            Event("ASSAULT", 0, first, actor="Russian forces", place=EventPlace("Kharkiv", 49.98, 36.25),
                  date="2022-09-10", claim=0, fatalities=3),
            Event("MOBILIZE", first + 1, len(TEXT), actor=None, place=None, date=None),
        ],
    )


def test_exports_acled_header_and_rows():
    out = io.StringIO()
    assert export_acled([make_doc()], out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(csv.reader(io.StringIO(out.getvalue())).__next__()) == ACLED_COLUMNS
    first = rows[0]
    assert first["event_type"] == "Explosions/Remote violence"
    assert first["sub_event_type"] == "Shelling/artillery/missile attack"
    assert first["location"] == "Kharkiv" and first["geo_precision"] == "1" and first["fatalities"] == "3"
    assert "Ukrainian General Staff" in first["source"] and "Test Wire" in first["source"]
    assert rows[1]["latitude"] == "" and rows[1]["fatalities"] == "0"


def test_exports_geojson_is_a_valid_feature_collection():
    out = io.StringIO()
    assert export_geojson([make_doc()], out, include_places=True) == 2  # the MOBILIZE event has no place
    data = json.loads(out.getvalue())
    jsonschema.validate(data, POINT_FEATURES)
    event = data["features"][0]
    assert event["geometry"]["coordinates"] == [36.25, 49.98]  # GeoJSON order: lon, lat
    assert event["properties"]["claimant"] == "Ukrainian General Staff"
    assert event["properties"]["text"].startswith("Russian forces shelled")


def test_exports_empty_input_still_writes_header_and_collection():
    out = io.StringIO()
    assert export_acled([], out) == 0 and out.getvalue().strip() == ",".join(ACLED_COLUMNS)
    out = io.StringIO()
    export_geojson([], out)
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": []}


def test_exports_survive_an_event_type_the_trigger_table_lacks():
    import io
    import json

    from discernment.export.acled import export_acled
    from discernment.export.geojson import export_geojson
    from discernment.model import Document, Event, EventPlace

    text = "Fighting was reported near Kupiansk on Monday."
    doc = Document(text, events=[Event("ATTACK", 0, len(text), "Russian forces", None,
                                       EventPlace("Kupiansk", 49.71, 37.62), "2022-09-05", None, None)])
    out = io.StringIO()
    assert export_geojson([doc], out) == 1
    assert json.loads(out.getvalue())["features"][0]["properties"]
    out = io.StringIO()
    assert export_acled([doc], out) == 1
    assert "Strategic developments" in out.getvalue()
