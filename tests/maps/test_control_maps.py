"""Control maps: readers (DeepState snapshots, occupied-daily, generic GeoJSON), the store's point queries, the CLI.

Fixtures in tests/data/maps are invented squares (never real map geometry): "Testville" at (30.5, 50.5) is
occupied on 2022-09-01, liberated from 2022-09-08; the next snapshot comes 28 days later (a gap).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from discernment.errors import ReadError
from discernment.maps import MapSettings, MapStore, detect_kind, read_file, read_paths
from discernment.store import Store

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "maps"
REAL = Path(os.environ.get("DISCERN_CONTROL_MAPS", REPO.parent / "shared" / "data" / "control-maps"))
TESTVILLE = (30.5, 50.5)
GREY = (31.5, 50.5)
EAST = (32.5, 50.5)


def status_of(snap, lon, lat):
    import shapely

    return {st for st, g in snap.geometries.items() if shapely.intersects_xy(g, lon, lat)}


@pytest.fixture
def maps(store_url):
    store = Store(store_url)
    yield MapStore(store)
    store.close()


def test_maps_kind_is_told_from_the_file_name():
    assert detect_kind("x/1662062400.geojson") == "deepstate"
    assert detect_kind("deepstatemap_data_20240708.geojson") == "occupied-daily"
    assert detect_kind("isw_2024-07-09.geojson") == "geojson"


def test_maps_deepstate_reader_statuses_names_and_geometry_kinds():
    (snap,) = read_file(DATA / "deepstate" / "1662062400.geojson")
    assert snap.date == dt.date(2022, 9, 1)  # 20:00 UTC is still the 1st
    assert set(snap.geometries) == {"occupied", "unknown", "liberated"}
    assert status_of(snap, *TESTVILLE) == {"occupied"}  # name with a trailing newline
    assert status_of(snap, *GREY) == {"unknown"}  # name with a trailing NBSP
    assert status_of(snap, *EAST) == {"liberated"}  # a dated "Liberated 25.03"
    assert status_of(snap, 33.5, 44.5) == {"occupied"}  # Crimea: a GeometryCollection (its line dropped)
    assert status_of(snap, 38.5, 47.5) == {"occupied"}  # CADR and CALR: held since 2014
    assert status_of(snap, 29.2, 47.2) == set()  # Transnistria: not Ukraine, left out
    assert status_of(snap, 35.2, 50.5) == {"occupied"} and status_of(snap, 35.5, 50.2) == set()  # a bow tie repaired by make_valid
    assert snap.ignored["Kyiv"] == 0  # a Point is no area, not even counted as ignored
    assert snap.features == 6


def test_maps_status_words_normalise_nbsp_newlines_and_case():
    settings = MapSettings.from_config()
    assert settings.classify("Звільнено /// Liberated\xa0/// geoJSON.status.dismissed\n") == "liberated"
    assert settings.classify("Окуповано /// Occupied\xa0/// geoJSON.status.occupied") == "occupied"
    assert settings.classify("Під питанням /// Contested") == "unknown"
    assert settings.classify("Окуповані території Латвії.\n///\nOccupied Latvia territories.") == "ignore"
    assert settings.classify("Дорога Тростянець-Суми 31.03") is None
    from discernment.config import Config

    own = MapSettings.from_config(Config.load(None, ['maps.occupied=["russian advance"]']))
    assert own.classify("Russian advance") == "occupied"


def test_maps_raw_api_format_keeps_polygons_and_drops_points(tmp_path):
    import json

    doc = json.loads((DATA / "deepstate" / "1662595200.geojson").read_text(encoding="utf-8"))
    doc["features"].append({"type": "Feature", "properties": {"name": "arrow", "styleUrl": "#icon"},
                            "geometry": {"type": "Point", "coordinates": [30.1, 50.1]}})
    path = tmp_path / "1662595200.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    (snap,) = read_file(path)
    assert status_of(snap, *TESTVILLE) == {"liberated"} and sum(snap.ignored.values()) == 0


def test_maps_occupied_daily_and_generic_layers():
    (day,) = read_file(DATA / "daily" / "deepstatemap_data_20240710.geojson")
    assert day.date == dt.date(2024, 7, 10) and set(day.geometries) == {"occupied"}
    assert status_of(day, 37.75, 48.25) == {"occupied"}
    (gen,) = read_file(DATA / "generic" / "isw_2024-07-09.geojson",
                       settings=MapSettings(status_property="status"))
    assert gen.date == dt.date(2024, 7, 9)
    assert status_of(gen, 36.2, 47.2) == {"occupied"} and status_of(gen, 36.7, 47.2) == {"unknown"}
    assert status_of(gen, 35.7, 47.2) == set() and gen.ignored["Russian advance"] == 1
    dated = read_file(DATA / "generic" / "newsroom_layer.geojson",
                      settings=MapSettings(status_property="control", date_property="day"))
    assert [s.date for s in dated] == [dt.date(2024, 7, 1), dt.date(2024, 7, 2)]
    assert status_of(dated[0], 36.7, 47.2) == set() and status_of(dated[1], 36.7, 47.2) == {"occupied"}


@pytest.mark.parametrize("name,reason", [("1662000000.geojson", "not JSON"),
                                         ("1662100000.geojson", "not GeoJSON"),
                                         ("undated_map.geojson", "no date")])
def test_maps_bad_file_is_E113_naming_file_and_reason(name, reason):
    with pytest.raises(ReadError) as err:
        read_file(DATA / "bad" / name)
    assert err.value.code == "E113" and name in err.value.path and reason in err.value.reason


def test_maps_bad_files_do_not_stop_the_others():
    errors = []
    snaps = list(read_paths([DATA / "bad", DATA / "deepstate"], on_error=errors.append))
    assert len(errors) == 3 and all(e.code == "E113" for e in errors)
    assert [s.date.isoformat() for s in snaps] == ["2022-09-01", "2022-09-08", "2022-10-06"]


def test_maps_status_at_inside_outside_by_date(maps):
    stats = maps.import_paths("ds", [DATA / "deepstate"])
    assert (stats.files, stats.snapshots, stats.failed) == (3, 3, 0)
    on = maps.status_at(*TESTVILLE, "2022-09-01", layer="ds")
    assert (on.status, on.date, on.layer) == ("occupied", dt.date(2022, 9, 1), "ds")
    assert maps.status_at(*TESTVILLE, "2022-09-07").status == "occupied"  # the latest map on or before
    assert maps.status_at(*TESTVILLE, dt.date(2022, 9, 8)).status == "liberated"
    assert maps.status_at(*GREY, "2022-09-09").status == "unknown"
    assert maps.status_at(20.0, 60.0, "2022-09-09").status == "outside"
    assert maps.status_at(30.1, 50.5, "2022-10-06").status == "occupied"
    assert maps.status_at(*TESTVILLE, "2022-08-31") == ("no_map", None, "ds")  # before the first map


def test_maps_staleness_refuses_an_old_map(maps):
    maps.import_paths("ds", [DATA / "deepstate"])
    late = maps.status_at(*TESTVILLE, "2022-10-01")  # 23 days after the 09-08 map; default staleness 14
    assert late.status == "no_map" and late.date == dt.date(2022, 9, 8)
    assert maps.status_at(*TESTVILLE, "2022-10-01", staleness_days=30).status == "liberated"
    assert maps.status_at(*TESTVILLE, "2022-09-08", staleness_days=0).status == "liberated"
    assert maps.status_at(*TESTVILLE, "2022-09-09", staleness_days=0).status == "no_map"


def test_maps_statuses_after_and_status_many(maps):
    maps.import_paths("ds", [DATA / "deepstate"])
    later = list(maps.statuses_after(30.3, 50.5, "2022-09-01"))
    assert [(m.status, m.date.isoformat()) for m in later] == [("occupied", "2022-09-08"),
                                                               ("liberated", "2022-10-06")]
    assert [m.date for m in maps.statuses_after(30.3, 50.5, "2022-09-01", until="2022-09-30")] == [
        dt.date(2022, 9, 8)]
    assert [m.status for m in maps.statuses_after(20.0, 60.0, "2022-08-01")] == ["outside"] * 3
    queries = [(*TESTVILLE, "2022-09-01"), (*GREY, "2022-09-08"), (20.0, 60.0, "2022-09-02"),
               (*TESTVILLE, "2022-10-01"), (30.1, 50.5, "2022-10-07"), (35.2, 50.5, "2022-09-03")]
    assert maps.status_many(queries) == [maps.status_at(x, y, d) for x, y, d in queries]


def test_maps_geometry_cache_is_bounded_and_lazy(store_url):
    store = Store(store_url)
    MapStore(store).import_paths("ds", [DATA / "deepstate"])
    maps = MapStore(store, cache_snapshots=2)
    assert maps.status_at(20.0, 60.0, "2022-09-01").status == "outside"
    assert maps.loads == 0  # outside every bounding box: answered from the index
    for day in ("2022-09-01", "2022-09-08", "2022-10-06", "2022-09-02", "2022-10-07"):
        maps.status_at(*TESTVILLE, day, staleness_days=60)
        assert len(maps.cached()) <= 2
    assert maps.loads == 4  # 09-01, 09-08, 10-06, then 09-01 again (evicted); 10-07 reuses 10-06
    assert [d for _, d in maps.cached()] == [dt.date(2022, 9, 1), dt.date(2022, 10, 6)]
    store.close()


def test_maps_reimport_is_idempotent(maps):
    maps.import_paths("ds", [DATA / "deepstate"])
    maps.import_paths("ds", [DATA / "deepstate" / "1662595200.geojson", DATA / "deepstate"])
    from sqlalchemy import func, select

    from discernment.store import schema as s

    with maps.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(s.map_snapshots)).scalar()
    assert rows == 3 + 3 + 2  # statuses of each date, once
    (layer,) = maps.layers()
    assert (layer["name"], layer["kind"], layer["snapshots"], layer["first"], layer["last"]) == (
        "ds", "deepstate", 3, "2022-09-01", "2022-10-06")
    assert maps.status_at(*TESTVILLE, "2022-09-08").status == "liberated"


def test_maps_two_layers_and_the_newest_map_answers(maps):
    maps.import_paths("ds", [DATA / "deepstate"])
    maps.import_paths("daily", [DATA / "daily"])
    assert maps.status_at(37.75, 48.25, "2024-07-09", layer="daily").status == "outside"
    assert maps.status_at(37.75, 48.25, "2024-07-10").layer == "daily"  # newest map without a layer named
    assert maps.status_at(37.75, 48.25, "2024-07-10").status == "occupied"
    assert maps.status_at(*TESTVILLE, "2024-07-10", layer="ds").status == "no_map"


def discern(*args):
    return subprocess.run([sys.executable, "-m", "discernment", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=300)


def test_maps_cli_import_and_list(tmp_path):
    db = str(tmp_path / "maps.db")
    ok = discern("maps", "import", str(DATA / "deepstate"), "--name", "ds", "--db", db)
    assert ok.returncode == 0, ok.stderr
    assert "3 files, 3 snapshots stored, 0 failed" in ok.stderr and ok.stdout == ""
    bad = discern("maps", "import", str(DATA / "daily"), str(DATA / "bad"), "--name", "daily", "--db", db,
                  "--kind", "occupied-daily")
    assert bad.returncode == 1
    assert "1662000000.geojson: not JSON" in bad.stderr and "[E113]" in bad.stderr
    assert "2 snapshots stored, 3 failed" in bad.stderr  # undated_map has no YYYYMMDD: also refused
    listed = discern("maps", "list", "--db", db, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    import json

    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    assert rows["ds"]["snapshots"] == 3 and rows["daily"]["first"] == "2024-07-08"
    assert rows["daily"]["kind"] == "occupied-daily"
    again = discern("maps", "import", str(DATA / "deepstate"), "--name", "ds", "--db", db)
    assert again.returncode == 0 and json.loads(discern("maps", "list", "--db", db, "-f", "json").stdout)[1][
        "snapshots"] == 3


@pytest.mark.data
@pytest.mark.slow
def test_maps_real_deepstate_history_matches_the_hand_checked_facts(tmp_path):
    if not REAL.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"control-map data missing at {REAL} (CI must have it)")
        pytest.skip(f"no control-map data at {REAL}")
    maps = MapStore(Store(f"sqlite:///{tmp_path / 'real.db'}"))
    stats = maps.import_paths("deepstate", [REAL / "deepstate-history"])
    assert (stats.files, stats.snapshots, stats.failed) == (248, 248, 0)
    balakliia, izium = (36.8586, 49.4627), (37.2567, 49.2128)
    assert maps.status_at(*balakliia, "2022-09-01").status == "occupied"
    for day in ("2022-09-08", "2022-09-12", "2022-10-01"):
        assert maps.status_at(*balakliia, day).status not in ("occupied", "no_map")
    assert maps.status_at(*izium, "2022-09-05").status == "occupied"
    for day in ("2022-09-12", "2022-09-20", "2022-11-30"):
        assert maps.status_at(*izium, day).status not in ("occupied", "no_map")
    after = {m.status for m in maps.statuses_after(*izium, "2022-09-12")}
    assert "occupied" not in after
    maps.import_paths("daily", [REAL / "deepstate-occupied-daily"])
    kupiansk, pokrovsk = (37.6156, 49.7106), (37.1815, 48.2826)
    assert maps.status_at(*kupiansk, "2026-08-22", layer="daily").status == "outside"
    for day in ("2025-12-01", "2026-03-01", "2026-08-22"):
        assert maps.status_at(*pokrovsk, day, layer="daily").status == "occupied"
