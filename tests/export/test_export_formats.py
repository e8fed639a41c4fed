"""The store's exports, library level: the claims CSV, GeoJSON, ACLED CSV, findings CSV and documents JSON Lines of
one small store built from invented articles, plus the cells, precision and findings helpers on hand-built input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from importlib import resources

import jsonschema
import pytest

from discernment.analysis.compare import Finding, Support
from discernment.export.acled import ACLED_COLUMNS, BACKGROUND_DAYS, FUTURE_DAYS, acled_exclusion, export_acled
from discernment.export.cells import SafeDictWriter, safe_cell
from discernment.export.findings import FINDING_COLUMNS, finding_rows, write_findings_csv
from discernment.export.geojson import event_place, export_geojson
from discernment.export.precision import acled_precision, place_precision
from discernment.export.store import (
    CLAIM_COLUMNS,
    documents_by_id,
    export_claims_csv,
    export_store,
    stored_documents,
    write_claims_csv,
)
from discernment.model import Document, Event, EventPlace, Place, Source
from discernment.store import Store
from discernment.store.queries import Filters, LedgerRow, claims, events

# Invented articles: a capture claim, a denial of it, a strike with casualties at a town (and a relayed claim
# about two more towns), and a count of drones with events at an oblast and at the country's centroid. The count
# opens with "+29", which a spreadsheet would read as a formula.
ARTICLES = [
    ("capture.txt", "RT", "2024-05-12",
     "MOSCOW, May 12 - Russian troops have taken full control of the village of Ocheretyne in the Donetsk region, "
     "the Russian Defence Ministry said on Sunday. The ministry said 120 Ukrainian soldiers were killed in the "
     "fighting."),
    ("denial.txt", "Kyiv Independent", "2024-05-13",
     "KYIV, May 13 - Ukraine's General Staff denied that Russian forces had captured Ocheretyne, saying on Monday "
     "that Ukrainian units still hold the village. \"The enemy is lying,\" spokesman Dmytro Lykhovii told "
     "reporters."),
    ("strike.txt", "Reuters", "2024-05-14",
     "KHARKIV, May 14 - A Russian missile strike on Kharkiv killed seven civilians and wounded 21 on Tuesday, "
     "regional governor Oleh Syniehubov said. The missile hit a printing house in the city, he said. "
     "According to Ukrinform, citing the Ukrainian General Staff, Russian troops attacked Vovchansk and Kupiansk "
     "on Monday, killing 12 soldiers."),
    ("count.txt", "AP", "2024-05-20",
     "+29 of 31 Russian drones were shot down over the Kyiv and Odesa regions overnight, the Ukrainian air force "
     "said on Monday. Russian forces shelled the Donetsk region on Sunday, killing two people, governor Vadym "
     "Filashkin said. Russian forces shelled Ukraine overnight, killing three people, the interior ministry said."),
]
ALL = Filters(limit=100_000)


@pytest.fixture(scope="module")
def store(analyzer, tmp_path_factory):
    path = tmp_path_factory.mktemp("exports") / "war.db"
    store = Store(f"sqlite:///{path}")
    docs = [analyzer(Document(text, Source(path=name, outlet=outlet, published=day)))
            for name, outlet, day, text in ARTICLES]
    store.ingest(docs, store.start_run("test", {}), "test")
    yield store
    store.close()


@pytest.fixture(scope="module")
def ids(store):
    """outlet -> document id."""
    return {doc.source.outlet: doc.id for doc in stored_documents(store, ALL)}


def _claims_csv(store, filters=ALL) -> tuple[list[str], list[dict], int]:
    out = io.StringIO()
    n = export_claims_csv(store, out, filters)
    text = out.getvalue()
    header = next(csv.reader(io.StringIO(text)))
    return header, list(csv.DictReader(io.StringIO(text))), n


# -- claims CSV ----------------------------------------------------------------------------------------------------
def test_claims_csv_has_the_ledger_columns_and_one_row_per_claim(store):
    header, rows, n = _claims_csv(store)
    assert header == CLAIM_COLUMNS
    ledger = claims(store, ALL)
    assert len(ledger) >= 8  # every article has at least one claim
    assert n == len(rows) == len(ledger)
    assert [(r["doc_id"], int(r["idx"])) for r in rows] == [(c.doc_id, c.idx) for c in ledger]
    assert {r["outlet"] for r in rows} == {"RT", "Kyiv Independent", "Reuters", "AP"}


@pytest.mark.parametrize("filters", [
    Filters(limit=1000, outlet="Reuters"),
    Filters(limit=1000, place="Kharkiv"),
    Filters(limit=1000, place="Donetsk Oblast"),  # an oblast takes in Ocheretyne
    Filters(limit=1000, type="casualties"),
    Filters(limit=1000, since="2024-05-13", until="2024-05-14"),
    Filters(limit=2, offset=1, sort="published"),
], ids=["outlet", "town", "oblast", "type", "dates", "page"])
def test_claims_csv_rows_are_the_ledger_rows_for_the_same_filters(store, filters):
    _, rows, n = _claims_csv(store, filters)
    ledger = claims(store, filters)
    assert ledger and n == len(ledger)
    assert [(r["doc_id"], int(r["idx"])) for r in rows] == [(c.doc_id, c.idx) for c in ledger]
    assert len(ledger) < len(claims(store, ALL))  # the filter left something out, else it proves nothing


def test_claims_csv_filters_select_what_they_name(store, ids):
    _, reuters, _ = _claims_csv(store, Filters(limit=1000, outlet="Reuters"))
    assert {r["outlet"] for r in reuters} == {"Reuters"} and {r["doc_id"] for r in reuters} == {ids["Reuters"]}
    _, kharkiv, _ = _claims_csv(store, Filters(limit=1000, place="Kharkiv"))
    assert kharkiv and all("Kharkiv" in r["places"].split("; ") for r in kharkiv)
    _, dated, _ = _claims_csv(store, Filters(limit=1000, since="2024-05-13", until="2024-05-14"))
    assert {r["published"] for r in dated} == {"2024-05-13", "2024-05-14"}
    _, oblast, _ = _claims_csv(store, Filters(limit=1000, place="Donetsk Oblast"))
    assert ids["Kyiv Independent"] in {r["doc_id"] for r in oblast}  # Ocheretyne lies in Donetsk Oblast


def test_claims_csv_reader_links_and_offsets_recover_the_exact_claim(store):
    _, rows, _ = _claims_csv(store)
    docs = {}
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert row["reader"] == f"/doc/{row['doc_id']}?span={start}-{end}"
        doc = docs.setdefault(row["doc_id"], store.get_document(row["doc_id"]))
        assert row["text"] == safe_cell(doc.text[start:end])
        assert doc.claims[int(row["idx"])].text == doc.text[start:end]


def test_claims_csv_joins_lists_with_semicolons(store, ids):
    _, rows, _ = _claims_csv(store)
    by_key = {(r["doc_id"], int(r["idx"])): r for r in rows}
    for c in claims(store, ALL):
        row = by_key[(c.doc_id, c.idx)]
        assert row["places"] == "; ".join(c.places)
        assert row["quantities"] == "; ".join(q["text"] for q in c.quantities)
        assert row["via"] == "; ".join(c.via)
        assert row["hedged"] == ("true" if c.hedged else "false")
        assert "[" not in row["places"] and "{" not in row["quantities"]  # no JSON in a cell
    strike = next(r for r in rows if r["doc_id"] == ids["Reuters"] and "Kharkiv" in r["text"])
    assert strike["quantities"] == "seven; 21" and strike["places"] == "Kharkiv"
    relayed = next(r for r in rows if r["doc_id"] == ids["Reuters"] and "Vovchansk" in r["text"])
    assert relayed["places"] == "Vovchansk; Kupyansk" and relayed["via"] == "Ukrinform"
    # a claim the maps never judged leaves the map columns empty, not "None"
    assert all(r[k] == "" for r in rows for k in CLAIM_COLUMNS if k.startswith("map_") or k == "verdict")


def test_claims_csv_defuses_a_claim_that_starts_like_a_formula(store, ids):
    _, rows, _ = _claims_csv(store)
    plus = [r for r in rows if r["doc_id"] == ids["AP"] and r["text"].startswith("'+")]
    assert len(plus) == 1 and plus[0]["text"].startswith("'+29 of 31 Russian drones")
    doc = store.get_document(ids["AP"])
    assert doc.text[int(plus[0]["start"]):int(plus[0]["end"])] == plus[0]["text"][1:]
    assert not any(r["text"].startswith("'") for r in rows if r is not plus[0])


def test_write_claims_csv_defuses_every_text_cell_and_keeps_numbers(store):
    row = claims(store, Filters(limit=1, outlet="Reuters"))[0]
    forged = LedgerRow(row.doc_id, 0, 3, 40, '=HYPERLINK("http://evil.example","click")', "strike", "@spokesman",
                       ["-relay", "+wire"], True, 0.5, None, "+Outlet", "2024-05-14", "-Title",
                       places=["=Kharkiv", "Izium"], quantities=[{"text": "-3"}], url="http://x.example/a")
    out = io.StringIO()
    assert write_claims_csv([forged], out) == 1
    (cells,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert cells["text"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert cells["claimant"] == "'@spokesman" and cells["outlet"] == "'+Outlet" and cells["title"] == "'-Title"
    assert cells["via"] == "'-relay; +wire"  # joined first, then defused as one cell
    assert cells["places"] == "'=Kharkiv; Izium" and cells["quantities"] == "'-3"
    assert cells["hedged"] == "true" and cells["start"] == "3" and cells["end"] == "40" and cells["idx"] == "0"
    assert cells["reader"] == f"/doc/{row.doc_id}?span=3-40"
    assert cells["date"] == "" and cells["verdict"] == ""  # None is an empty cell
    assert write_claims_csv([], io.StringIO()) == 0


def test_safe_cell_puts_an_apostrophe_before_formula_text_only():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(start + "SUM(A1:A9)") == "'" + start + "SUM(A1:A9)"
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("-2+3") == "'-2+3"
    for kept in ("Kharkiv", "a=b", " =1", "", "'=already"):
        assert safe_cell(kept) == kept
    for number in (-3, -0.5, 0, 7, None, True):
        assert safe_cell(number) is number
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=["cell", "value"], lineterminator="\n")
    writer.writeheader()
    writer.writerows([{"cell": "=cmd", "value": -1}, {"cell": "ok", "value": "@x"}])
    writer.writerow({"cell": "+1", "value": 2.5})
    assert out.getvalue() == "cell,value\n'=cmd,-1\nok,'@x\n'+1,2.5\n"


# -- GeoJSON -------------------------------------------------------------------------------------------------------
def _geojson(store, filters=ALL) -> tuple[dict, int]:
    out = io.StringIO()
    n = export_store(store, "geojson", out, filters)
    return json.loads(out.getvalue()), n


def test_geojson_is_a_feature_collection_of_located_events(store):
    data, n = _geojson(store)
    assert data["type"] == "FeatureCollection" and n == len(data["features"])
    ledger = events(store, ALL)
    located = [e for e in ledger if e.lat is not None and e.lon is not None]
    assert len(located) < len(ledger)  # some events have no coordinates: they are left out
    assert n == len(located) >= 4
    assert {(f["properties"]["document"], f["properties"]["event"]) for f in data["features"]} == \
        {(e.doc_id, e.idx) for e in located}
    for feature in data["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        assert feature["properties"]["kind"] == "event"


def test_geojson_points_are_lon_lat_and_cite_their_sentence(store):
    data, _ = _geojson(store)
    ledger = {(e.doc_id, e.idx): e for e in events(store, ALL)}
    for feature in data["features"]:
        p = feature["properties"]
        event = ledger[(p["document"], p["event"])]
        assert feature["geometry"]["coordinates"] == [event.lon, event.lat]
        assert p["place"] == event.place and p["precision"] == event.precision and p["type"] == event.type
        doc = store.get_document(p["document"])
        assert doc.text[p["start"]:p["end"]] == p["text"]
    kharkiv = next(f for f in data["features"] if f["properties"]["place"] == "Kharkiv")
    lon, lat = kharkiv["geometry"]["coordinates"]
    assert 36 < lon < 37 and 49.5 < lat < 50.5  # longitude first: Kharkiv is at 36.25 E, 49.98 N
    assert kharkiv["properties"]["fatalities"] == 7 and kharkiv["properties"]["outlet"] == "Reuters"


def test_geojson_precision_says_town_oblast_or_country(store):
    data, _ = _geojson(store)
    precision = {f["properties"]["place"]: f["properties"]["precision"] for f in data["features"]}
    assert precision["Kharkiv"] == "settlement" and precision["Ocheretyne"] == "settlement"
    assert precision["Donetsk region"] == "admin1"
    assert precision["Ukraine"] == "country"
    assert set(precision.values()) <= {"settlement", "site", "admin2", "admin1", "country", "unknown"}


def test_geojson_honours_the_event_filters(store):
    seize, n = _geojson(store, Filters(limit=1000, type="seize"))
    assert n >= 1 and {f["properties"]["type"] for f in seize["features"]} == {"SEIZE"}
    reuters, _ = _geojson(store, Filters(limit=1000, outlet="Reuters"))
    assert reuters["features"] and {f["properties"]["outlet"] for f in reuters["features"]} == {"Reuters"}
    none, n = _geojson(store, Filters(limit=1000, since="2030-01-01"))
    assert n == 0 and none == {"type": "FeatureCollection", "features": []}


def test_geojson_places_are_added_only_when_asked(store, ids):
    doc = store.get_document(ids["AP"])
    out = io.StringIO()
    without = export_geojson([doc], out)
    out = io.StringIO()
    with_places = export_geojson([doc], out, include_places=True)
    features = json.loads(out.getvalue())["features"]
    places = [f for f in features if f["properties"]["kind"] == "place"]
    located = [p for p in doc.places if p.lat is not None and p.lon is not None]
    assert located and with_places == without + len(places) and len(places) == len(located)
    assert [f["geometry"]["coordinates"] for f in places] == [[p.lon, p.lat] for p in located]
    assert {f["properties"]["precision"] for f in places} >= {"admin1", "country"}


# -- precision -----------------------------------------------------------------------------------------------------
def test_precision_of_a_town_an_oblast_and_a_country_from_the_store(store, ids):
    places = {p.text: p for doc_id in ids.values() for p in store.get_document(doc_id).places}
    town, oblast, country = places["Kharkiv"], places["Donetsk region"], places["Ukraine"]
    assert (place_precision(town.feature), acled_precision(town.feature)) == ("settlement", 1)
    assert (place_precision(oblast.feature), acled_precision(oblast.feature)) == ("admin1", 3)
    assert (place_precision(country.feature), acled_precision(country.feature)) == ("country", 3)


def test_precision_codes():
    assert [place_precision(c) for c in ("PPL", "ppla", "PPLC", "AIRP", "NVB", "ADM2", "ADM3", "ADM1", "ADM1H",
                                         "PCLI", "PCLD", "TERR", "STM", "", None)] == \
        ["settlement", "settlement", "settlement", "site", "unknown", "admin2", "admin2", "admin1", "admin1",
         "country", "country", "country", "unknown", "unknown", "unknown"]
    assert [acled_precision(c) for c in ("PPLX", "DAM", "ADM2", "RGN", "ADM1", "PCLI", "STM", None)] == \
        [1, 1, 2, 2, 3, 3, 3, 3]


# -- ACLED CSV -----------------------------------------------------------------------------------------------------
def _acled(store, filters=ALL) -> tuple[list[str], list[dict], int, Counter]:
    out, left_out = io.StringIO(), Counter()
    n = export_store(store, "acled", out, filters, left_out=left_out)
    text = out.getvalue()
    return next(csv.reader(io.StringIO(text))), list(csv.DictReader(io.StringIO(text))), n, left_out


def test_acled_columns_rows_and_what_is_left_out(store):
    header, rows, n, left_out = _acled(store)
    assert tuple(header) == ACLED_COLUMNS
    assert n == len(rows) >= 3
    ledger = events(store, ALL)
    assert n + sum(left_out.values()) == len(ledger)  # every event is either a row or counted as left out
    assert left_out["no_location"] == sum(1 for e in ledger if e.lat is None)
    assert left_out["country_only"] == sum(1 for e in ledger if e.precision == "country")
    assert set(left_out) <= {"no_location", "country_only", "no_date", "background", "forecast", "outside_theatre"}
    assert "Ukraine" not in {r["location"] for r in rows}  # placed at the country's centroid only
    assert all(r["event_date"] and r["latitude"] and r["longitude"] for r in rows)


def test_acled_maps_event_types_and_fills_the_columns(store):
    _, rows, _, _ = _acled(store)
    by_place = {r["location"]: r for r in rows}
    kharkiv = by_place["Kharkiv"]  # "missile strike": heavy weapons
    assert (kharkiv["event_type"], kharkiv["sub_event_type"]) == \
        ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert kharkiv["geo_precision"] == "1" and kharkiv["fatalities"] == "7" and kharkiv["event_date"] == "2024-05-14"
    assert kharkiv["source"] == "Reuters; claimed by Oleh Syniehubov"
    assert kharkiv["notes"].startswith("KHARKIV, May 14 - A Russian missile strike on Kharkiv")
    assert (float(kharkiv["latitude"]), float(kharkiv["longitude"])) == pytest.approx((49.98, 36.25), abs=0.05)
    shelled = by_place["Donetsk region"]  # "shelled": heavy weapons, at an oblast
    assert shelled["event_type"] == "Explosions/Remote violence" and shelled["geo_precision"] == "3"
    assert shelled["fatalities"] == "2"
    seize = by_place["Ocheretyne"]  # "captured": SEIZE, filed by ACLED as a battle
    assert (seize["event_type"], seize["sub_event_type"]) == ("Battles", "Armed clash")
    assert seize["fatalities"] == "0"  # no count given: 0, as ACLED writes it
    assert {r["event_type"] for r in rows} <= {"Battles", "Explosions/Remote violence", "Violence against civilians",
                                               "Strategic developments", "Protests", "Riots"}


def test_acled_exclusion_says_why_for_each_stored_event(store, ids):
    doc = store.get_document(ids["AP"])
    reasons = {e.place.text if e.place else None: acled_exclusion(doc, e) for e in doc.events}
    assert reasons["Ukraine"] == "country_only" and reasons["Donetsk region"] is None
    unplaced = [(d, e) for d in stored_documents(store, ALL) for e in d.events if e.place is None]
    assert unplaced and {acled_exclusion(d, e) for d, e in unplaced} == {"no_location"}


def _dated(days: int) -> Document:
    text = "Russian forces shelled Kupiansk, the governor said."
    at = text.index("Kupiansk")
    date = (dt.date(2024, 5, 10) + dt.timedelta(days=days)).isoformat()
    return Document(text, source=Source(outlet="Wire", published="2024-05-10"),
                    places=[Place(at, at + 8, "Kupiansk", "Kupyansk", 49.71, 37.62, "UA", "Kharkiv Oblast", 703656,
                                  "PPL", 0.9)],
                    events=[Event("ASSAULT", 0, len(text), actor="Russian forces",
                                  place=EventPlace("Kupiansk", 49.71, 37.62), date=date)])


@pytest.mark.parametrize("days, reason", [
    (-BACKGROUND_DAYS, None), (-BACKGROUND_DAYS - 1, "background"), (0, None),
    (FUTURE_DAYS, None), (FUTURE_DAYS + 1, "forecast"),
])
def test_acled_background_and_forecast_bounds(days, reason):
    doc = _dated(days)
    assert acled_exclusion(doc, doc.events[0]) == reason
    out, left_out = io.StringIO(), Counter()
    assert export_acled([doc], out, left_out=left_out) == (0 if reason else 1)
    assert left_out == (Counter({reason: 1}) if reason else Counter())
    assert event_place(doc, doc.events[0]) is doc.places[0]


def test_acled_honours_the_event_type_filter(store):
    _, rows, n, left_out = _acled(store, Filters(limit=1000, type="SEIZE"))
    assert n == len(rows) >= 1 and {r["event_type"] for r in rows} == {"Battles"}
    assert not left_out  # the located, dated capture is a row
    _, rows, n, left_out = _acled(store, Filters(limit=1000, since="2030-01-01"))
    assert n == 0 and rows == [] and not left_out


# -- findings CSV --------------------------------------------------------------------------------------------------
def _support(doc_id: str, text: str, source: str, outlet: str, value: str, start: int = 0, side: str = "RU") -> Support:
    return Support(doc_id, 0, start, start + len(text), text, outlet, None, None, "2024-05-12", source, side, source,
                   "2024-05-12", False, [], None, value)


def test_findings_csv_from_the_store_cites_both_sides(store, ids):
    out = io.StringIO()
    n = export_store(store, "findings", out)
    header = next(csv.reader(io.StringIO(out.getvalue())))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert header == FINDING_COLUMNS and n == len(rows)
    # the capture (RT) and the denial (Kyiv Independent) of Ocheretyne contradict each other
    ocheretyne = [r for r in rows if r["subject"] == "Ocheretyne" and r["aspect"] == "control"]
    assert {r["kind"] for r in ocheretyne} == {"contradiction"}
    assert {r["outlet"] for r in ocheretyne} == {"RT", "Kyiv Independent"}
    assert {r["party"] for r in ocheretyne} == {"a", "b"}
    for row in rows:
        assert row["reader"] == f"/doc/{row['doc_id']}?span={row['start']}-{row['end']}"
        doc = store.get_document(row["doc_id"])
        assert safe_cell(doc.text[int(row["start"]):int(row["end"])]) == row["text"]


def test_write_findings_csv_on_a_hand_built_finding():
    a = _support("d1", "=Russian troops took the village", "Russian MoD", "+RT", "RU took it")
    b = _support("d2", "Ukrainian units still hold the village", "General Staff", "Kyiv Post", "UA holds it", 40, "UA")
    stray = _support("d3", "A relay of the capture", "Blogger", "Blog", "RU took it", 5)
    finding = Finding("contradiction", "control", "Ocheretyne", "Ocheretyne", 698759, "@they disagree", a, b,
                      [{"source": "Russian MoD", "side": "RU", "outlets": ["+RT"]},
                       {"source": "General Staff", "side": "UA", "outlets": ["Kyiv Post"]}], [a, b, stray])
    second = Finding("agreement", "count", "Kharkiv", "Kharkiv", 706483, "same count", b, b,
                     [{"source": "General Staff", "side": "UA", "outlets": ["Kyiv Post"]}], [b])
    assert [r["party"] for r in finding_rows([finding])] == ["a", "b", ""]  # a source outside the pair: no party
    out = io.StringIO()
    assert write_findings_csv([finding, second], out) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["finding"] for r in rows] == ["1", "1", "1", "2"]
    first = rows[0]
    assert first["text"] == "'=Russian troops took the village" and first["outlet"] == "'+RT"
    assert first["reason"] == "'@they disagree" and first["kind"] == "contradiction"
    assert first["reader"] == "/doc/d1?span=0-32" and rows[1]["reader"] == "/doc/d2?span=40-78"
    assert first["hedged"] == "False" and first["url"] == ""
    assert write_findings_csv([], io.StringIO()) == 0


# -- documents JSON Lines ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def contract():
    return json.loads(resources.files("discernment").joinpath("schema/document.schema.json").read_text("utf-8"))


def test_documents_jsonl_round_trips_the_stored_documents(store, contract):
    out = io.StringIO()
    n = export_store(store, "json", out)
    lines = out.getvalue().splitlines()
    assert n == len(lines) == len(ARTICLES)
    published = []
    for line in lines:
        data = json.loads(line)
        jsonschema.validate(data, contract)
        assert data == store.get_document(data["id"]).to_dict()
        published.append(data["source"]["published"])
    assert published == sorted(published)  # oldest publication first
    assert sorted(json.loads(line)["text"] for line in lines) == sorted(text for *_, text in ARTICLES)


def test_documents_jsonl_honours_filters(store, ids):
    out = io.StringIO()
    assert export_store(store, "json", out, Filters(limit=1000, outlet="AP")) == 1
    assert json.loads(out.getvalue())["id"] == ids["AP"]
    out = io.StringIO()
    assert export_store(store, "json", out, Filters(limit=1000, since="2024-05-13", until="2024-05-14")) == 2
    assert {json.loads(x)["source"]["outlet"] for x in out.getvalue().splitlines()} == {"Kyiv Independent", "Reuters"}


def test_documents_by_id_keeps_the_order_and_skips_missing_ids(store, ids):
    wanted = [ids["AP"], "0" * 64, ids["RT"]]
    assert [d.id for d in documents_by_id(store, wanted)] == [ids["AP"], ids["RT"]]


def test_export_store_refuses_an_unknown_format(store):
    with pytest.raises(ValueError, match="unknown export format"):
        export_store(store, "xlsx", io.StringIO())


def test_the_csv_header_is_written_as_given():
    import io

    from discernment.export.cells import SafeDictWriter

    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=["=head", "text"], lineterminator="\n")
    writer.writeheader()
    writer.writerow({"=head": "=1+1", "text": "-2"})
    assert out.getvalue().splitlines() == ["=head,text", "'=1+1,'-2"]
