"""Verdicts kept in the store: judged on import and on ingest, per layer, at a site's own point, read back by the
ledger, the track records and the place timeline. Invented articles and squares drawn by the tests."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from discernment.analysis.verdicts import (
    MapJudge, StatusRun, Verdict, _Asserted, check_control, judgeable, load_verdicts, refresh, site_point,
    status_on, status_runs, store_records,
)

CAPTURE = ("MOSCOW, Nov 20 - Russian troops have taken full control of the town of Kupyansk in the Kharkov region, "
           "the Russian Defence Ministry said on Thursday.")
PLANT = ("KYIV, Aug 20 - The Russian-controlled Zaporizhzhia nuclear power plant was shelled again on Saturday, "
         "the IAEA said.")
KUPIANSK = (37.61581, 49.71003)
ENERHODAR = (34.5858, 47.5119)


def _square(folder, name: str, square, status_name: str | None = None) -> None:
    """A map file drawn by the test: an occupied-daily file (no status name) or a DeepState-style snapshot."""
    x0, y0, x1, y1 = square
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    props = {"name": status_name} if status_name else {}
    geometry = {"type": "MultiPolygon", "coordinates": [[ring]]} if not status_name else \
        {"type": "Polygon", "coordinates": [ring]}
    (folder / name).write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry}]}), encoding="utf-8")


def _daily(folder, day: str, square) -> None:
    _square(folder, f"deepstatemap_data_{day.replace('-', '')}.geojson", square)


@pytest.fixture
def judged_store(analyzer, store_url, tmp_path):
    """A store holding the capture claim (2025-11-20) and the plant claim (2022-08-20), with two layers: "east"
    (an occupied square east of Kupiansk, 2025-11-15 and 2025-11-22) and "wide" (a square over both Kupiansk and
    Enerhodar, occupied, 2022-08-18, 2025-11-10 and 2025-12-30)."""
    from discernment.maps import MapStore
    from discernment.model import Document, Source
    from discernment.store import Store

    store = Store(store_url)
    docs = [analyzer(Document(CAPTURE, Source(path="capture.txt", outlet="RT", published="2025-11-20"))),
            analyzer(Document(PLANT, Source(path="plant.txt", outlet="AP", published="2022-08-20")))]
    store.ingest(docs, store.start_run("test", {}), "test")
    east, wide = tmp_path / "east", tmp_path / "wide"
    east.mkdir()
    wide.mkdir()
    for day in ("2025-11-15", "2025-11-22"):
        _daily(east, day, (38.0, 48.5, 38.5, 49.0))
    for day in ("2022-08-18", "2025-11-10", "2025-12-30"):
        _daily(wide, day, (33.0, 47.0, 39.0, 50.0))
    maps = MapStore(store)
    assert maps.import_paths("east", [str(east)]).snapshots == 2
    assert maps.import_paths("wide", [str(wide)]).snapshots == 3
    assert refresh(store) == 3  # capture on two layers, plant on one
    return store


def test_each_layer_covering_the_date_judges_and_the_newest_is_primary(judged_store):
    every = load_verdicts(judged_store, primary=False)
    capture = sorted((v.map.source, v.map.verdict, v.map.snapshot_date, v.primary) for v in every if v.place == "Kupyansk")
    assert capture == [("east", "not_confirmed", "2025-11-15", True), ("wide", "consistent", "2025-11-10", False)]
    primary = [v for v in load_verdicts(judged_store) if v.place == "Kupyansk"]
    assert [(v.map.source, v.map.verdict) for v in primary] == [("east", "not_confirmed")]
    text = judged_store.get_document(primary[0].support.doc_id).text
    assert text[primary[0].support.start:primary[0].support.end] == primary[0].support.text


def test_a_named_site_is_judged_at_its_own_point(judged_store):
    """The Zaporizhzhia plant stands at Enerhodar: inside the "wide" square, while the city of Zaporizhzhia
    (35.1 E, 47.85 N) is inside it too; on "east" the plant has no map for 2022 at all."""
    plant = [v for v in load_verdicts(judged_store, primary=False) if v.place == "Zaporizhzhya"]
    assert [(round(v.lon, 4), round(v.lat, 4), v.map.source, v.map.verdict) for v in plant] == \
        [(*ENERHODAR, "wide", "consistent")]


def test_site_points_countries_and_unknown_regional_sites():
    assert site_point("nuclear power plant", "Zaporizhzhya") == ENERHODAR
    assert site_point("plant", "Enerhodar") == ENERHODAR
    assert site_point("nuclear power plant", "Rivne") is False  # a regional kind the table does not know
    assert site_point("railway station", "Kramatorsk") is None  # the town's point serves

    def asserted(place, country, site=None, lon=30.0, lat=50.0):
        return _Asserted(SimpleNamespace(as_of="2022-08-20", published="2022-08-20"), "control", {"holder": "RU"},
                         place, lat, lon, country, site, 0, None)

    kept = judgeable([asserted("Kyiv", "UA"), asserted("Aleppo", "SY"), asserted("Rivne", "UA", "nuclear power plant"),
                      asserted("Zaporizhzhia", "UA", "nuclear power plant"), asserted("Nowhere", None)], ["UA"])
    assert [(a.place, a.lon, a.lat) for a in kept] == [("Kyiv", 30.0, 50.0), ("Zaporizhzhia", *ENERHODAR)]
    assert [a.place for a in judgeable([asserted("Aleppo", "SY")], [])] == ["Aleppo"]  # [] judges everywhere


def test_verdicts_are_recomputed_on_import_and_on_ingest(analyzer, tmp_path):
    """maps import judges what is stored; an ingest into a store with maps judges the new documents; a
    re-analysis replaces the old rows instead of adding to them."""
    from discernment.maps import MapStore
    from discernment.model import Document, Source
    from discernment.runner import ingest_inputs
    from discernment.ingest import ReadOptions
    from discernment.store import Store

    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    maps_dir = tmp_path / "east"
    maps_dir.mkdir()
    for day in ("2025-11-15", "2025-11-22"):
        _daily(maps_dir, day, (38.0, 48.5, 38.5, 49.0))
    MapStore(store).import_paths("east", [str(maps_dir)])
    assert load_verdicts(store) == []  # import_paths alone stores maps; the CLI's import also refreshes
    article = tmp_path / "capture.txt"
    article.write_text(CAPTURE, encoding="utf-8")
    ingest_inputs([str(article)], analyzer, ReadOptions.from_config(analyzer.config, published="2025-11-20", outlet="RT"), store)
    assert [(v.place, v.map.verdict) for v in load_verdicts(store)] == [("Kupyansk", "not_confirmed")]
    ingest_inputs([str(article)], analyzer, ReadOptions.from_config(analyzer.config, published="2025-11-20", outlet="RT"), store, replace=True)
    assert len(load_verdicts(store, primary=False)) == 1
    doc = analyzer(Document(CAPTURE, Source(path="x", outlet="RT", published="2025-11-20")))
    store.delete_document(doc.id)
    assert load_verdicts(store, primary=False) == []  # a deleted document takes its verdicts with it


def test_ledger_filter_column_csv_and_track_records(judged_store):
    from io import StringIO

    from discernment.export.store import write_claims_csv
    from discernment.store.queries import Filters, claims, count_claims

    rows = claims(judged_store, Filters(verdict="not_confirmed"))
    assert [(r.verdict, r.map["place"], r.map["holder"], r.map["source"]) for r in rows] == \
        [("not_confirmed", "Kupyansk", "RU", "east")]
    assert count_claims(judged_store, Filters(verdict="checked")) == 2
    assert count_claims(judged_store, Filters(verdict="later")) == 0
    every = claims(judged_store, Filters())
    assert sorted(r.verdict or "-" for r in every).count("-") == len(every) - 2
    out = StringIO()
    write_claims_csv(rows, out)
    import csv

    cells = next(csv.DictReader(StringIO(out.getvalue())))
    assert (cells["verdict"], cells["map_layer"], cells["map_snapshot"], cells["map_status"]) == \
        ("not_confirmed", "east", "2025-11-15", "outside")
    with pytest.raises(Exception) as err:
        Filters(verdict="maybe")
    assert getattr(err.value, "code", None) == "E207"
    by_outlet = {r.who: r for r in store_records(judged_store, by="outlet")}
    assert (by_outlet["RT"].checked, by_outlet["RT"].never) == (1, 1)
    assert (by_outlet["AP"].checked, by_outlet["AP"].consistent, by_outlet["AP"].median_lag) == (1, 1, 0.0)


def test_status_runs_and_the_status_on_a_date(judged_store):
    from discernment.maps import MapStore

    runs = status_runs(MapStore(judged_store), *KUPIANSK)
    assert [(r.status, r.first, r.last) for r in runs["east"]] == [("outside", "2025-11-15", "2025-11-22")]
    assert [(r.status, r.first, r.last) for r in runs["wide"]] == [("occupied", "2022-08-18", "2025-12-30")]
    seq = [StatusRun("m", "occupied", "2022-09-01", "2022-09-09"), StatusRun("m", "liberated", "2022-09-11", "2022-10-01")]
    assert status_on(seq, "2022-08-31") is None
    assert status_on(seq, "2022-09-05").status == "occupied"
    assert status_on(seq, "2022-09-10").status == "occupied"  # the latest snapshot on or before it
    assert status_on(seq, "2022-09-11").status == "liberated"
    assert status_on(seq, "2022-10-10").status == "liberated"
    assert status_on(seq, "2022-10-20") is None  # older than the staleness: no map


def test_map_judge_gives_the_contract_field_and_a_list_for_several_layers(judged_store):
    from discernment.maps import MapStore

    doc = {"id": "d", "published": "2025-11-20", "places": [{"name": "Kupyansk", "lat": KUPIANSK[1],
                                                             "lon": KUPIANSK[0], "country_code": "UA"}],
           "claims": [{"assertions": [{"aspect": "control", "place": 0, "holder": "RU", "as_of": "2025-11-20"}]},
                      {"assertions": [{"aspect": "control", "place": None, "holder": "UA"}]},
                      {"assertions": [{"aspect": "count"}]}]}
    MapJudge(MapStore(judged_store)).annotate([doc])
    first, unplaced, count = doc["claims"]
    assert [m["verdict"] for m in first["map"]] == ["not_confirmed", "consistent"]  # east (newest), then wide
    assert first["map"][0]["status"] == "UA" and first["map"][1]["status"] == "RU"
    assert first["assertions"][0]["map"] == first["map"]
    assert unplaced["map"]["verdict"] == "no_map" and unplaced["map"]["status"] == "none"
    assert "map" not in count


def test_check_control_with_one_reader_keeps_one_verdict():
    a = _Asserted(SimpleNamespace(as_of="2022-09-12", published="2022-09-12"), "control", {"holder": "UA"},
                  "Izium", 49.2, 37.3, "UA", None, 0, None)
    from discernment.analysis.verdicts import MapReading

    out = check_control([a], lambda lon, lat, d: (MapReading("m", "2022-09-10", "occupied"),
                                                 [MapReading("m", "2022-09-13", "liberated")]))
    assert [(v.map.verdict, v.map.lag_days, v.primary) for v in out] == [("later", 1, True)]
    assert Verdict(None, None, None, "no_map").to_dict()["verdict"] == "no_map"
