"""ACLED CSV and GeoJSON exports of hand-built documents."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections import Counter

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
    left_out = Counter()
    assert export_acled([make_doc()], out, left_out=left_out) == 1  # the MOBILIZE event has no location
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(csv.reader(io.StringIO(out.getvalue())).__next__()) == ACLED_COLUMNS
    first = rows[0]
    assert first["event_type"] == "Explosions/Remote violence"
    assert first["sub_event_type"] == "Shelling/artillery/missile attack"
    assert first["location"] == "Kharkiv" and first["geo_precision"] == "1" and first["fatalities"] == "3"
    assert "Ukrainian General Staff" in first["source"] and "Test Wire" in first["source"]
    assert left_out == {"no_location": 1}
    assert all(row["latitude"] and row["event_date"] for row in rows)  # no row without a location or a date


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


def _war_doc() -> "Document":
    """Events ACLED codes and events it does not: a shelling in Kharkiv today, a retelling of 2022, a forecast,
    a country-wide mention, a summit in Paris."""
    sentences = [
        ("Russian forces shelled Kharkiv on Monday.", "ASSAULT", "Russian forces", ("Kharkiv", 49.98, 36.25), "2024-05-06"),
        ("Russian forces captured Kharkiv in 2022.", "SEIZE", "Russian forces", ("Kharkiv", 49.98, 36.25), "2022-03-01"),
        ("Russian forces will attack Kharkiv in June.", "ASSAULT", "Russian forces", ("Kharkiv", 49.98, 36.25), "2024-06-20"),
        ("The war in Ukraine goes on.", "FIGHT", None, ("Ukraine", 49.0, 32.0), "2024-05-06"),
        ("Leaders met in Paris on Monday.", "CONSULT", "Leaders", ("Paris", 48.85, 2.35), "2024-05-06"),
        ("Drones hit a depot in Kharkiv, it was said.", "ASSAULT", "Drones", ("Kharkiv", 49.98, 36.25), None),
    ]
    text = " ".join(s for s, *_ in sentences)
    places, events = [], []
    for sentence, kind, actor, (name, lat, lon), date in sentences:
        start = text.index(sentence)
        at = start + sentence.index(name)
        feature, country, gid = {"Kharkiv": ("PPLA", "UA", 706483), "Ukraine": ("PCLI", "UA", 690791),
                                 "Paris": ("PPLC", "FR", 2988507)}[name]
        places.append(Place(at, at + len(name), name, name, lat, lon, country, None, gid, feature, 0.9))
        events.append(Event(kind, start, start + len(sentence), actor=actor, place=EventPlace(name, lat, lon),
                            date=date))
    return Document(text, source=Source(outlet="Wire", published="2024-05-07"), places=places, events=events)


def test_exports_acled_leaves_out_what_acled_would_not_code():
    out = io.StringIO()
    left_out = Counter()
    # before: all six were rows (a 2022 retelling, a forecast, "the war in Ukraine" at the country's centroid,
    # a meeting in Paris and an undated one among them)
    assert export_acled([_war_doc()], out, left_out=left_out) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["notes"] == "Russian forces shelled Kharkiv on Monday." and rows[0]["geo_precision"] == "1"
    # the meeting is a verbal event (PLOVER CONSULT): ACLED codes no meetings, wherever they are
    assert left_out == {"background": 1, "forecast": 1, "country_only": 1, "verbal": 1, "no_date": 1}
    # the same meeting coded as a clash is outside the theatre (Paris, no military actor)
    from discernment.export.acled import acled_exclusion

    doc = _war_doc()
    clash = dataclasses.replace(doc.events[4], type="ASSAULT")
    assert acled_exclusion(doc, clash) == "outside_theatre"


def test_exports_geojson_features_say_their_precision():
    out = io.StringIO()
    export_geojson([_war_doc()], out)
    precision = {f["properties"]["place"]: f["properties"]["precision"] for f in json.loads(out.getvalue())["features"]}
    assert precision == {"Kharkiv": "settlement", "Ukraine": "country", "Paris": "settlement"}
    from discernment.export.precision import acled_precision, place_precision

    assert [place_precision(c) for c in ("PPLA2", "ADM2", "ADM1", "PCLI", None, "STM", "AIRP")] == [
        "settlement", "admin2", "admin1", "country", "unknown", "unknown", "site"]
    assert [acled_precision(c) for c in ("PPL", "ADM2", "ADM1", "PCLI")] == [1, 2, 3, 3]


def test_exports_from_the_store_honour_type_place_claimant(tmp_path):
    from discernment.export.store import export_store
    from discernment.store import Store
    from discernment.store.queries import Filters

    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    doc, war = make_doc(), _war_doc()
    store.ingest([doc, war], store.start_run("p", {}), "p")

    def geojson(**filters):
        out = io.StringIO()
        export_store(store, "geojson", out, Filters(limit=1000, **filters))
        return json.loads(out.getvalue())["features"]

    assert len(geojson()) == 7
    # before: the store exports took outlet, dates and place only, and wrote every event of the documents
    assert {f["properties"]["type"] for f in geojson(type="assault")} == {"ASSAULT"}
    assert len(geojson(type="ASSAULT")) == 4
    assert [f["properties"]["claimant"] for f in geojson(claimant="general staff")] == ["Ukrainian General Staff"]
    assert {f["properties"]["place"] for f in geojson(place="Paris")} == {"Paris"}
    out, left_out = io.StringIO(), Counter()
    assert export_store(store, "acled", out, Filters(limit=1000, type="ASSAULT"), left_out=left_out) == 2
    assert left_out == {"forecast": 1, "no_date": 1}
    store.close()
