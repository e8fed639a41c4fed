"""The verdict rule: a control assertion against a dated map's readings at its place (plain data, no map files)."""

from __future__ import annotations

import datetime as dt

import pytest

from discernment.analysis.verdicts import MapReading, holder_of, judge


def daily(status_by_day: dict[str, str], first: str, last: str, source: str = "map") -> list[MapReading]:
    """One reading a day from ``first`` to ``last``: the status of the latest key on or before each day."""
    out, day, end = [], dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    keys = sorted(status_by_day)
    while day <= end:
        current = max((k for k in keys if k <= day.isoformat()), default=None)
        if current is not None:
            out.append(MapReading(source, day.isoformat(), status_by_day[current]))
        day += dt.timedelta(days=1)
    return out


def check(holder, as_of, readings, **kwargs):
    on_day = max((r for r in readings if r.date <= as_of), key=lambda r: r.date, default=None)
    return judge(holder, as_of, on_day, [r for r in readings if r.date > as_of], **kwargs)


def test_holders_of_map_statuses():
    assert [holder_of(s) for s in ("occupied", "liberated", "outside", "unknown")] == ["RU", "UA", "UA", None]


def test_a_capture_the_map_never_shows_is_not_confirmed():
    """A report of 2025-11-20 that Russian forces had taken the town, on a map that shows its centre outside the
    occupied area every day up to the layer's last."""
    readings = daily({"2024-07-08": "outside"}, "2024-07-08", "2026-08-22")
    v = check("RU", "2025-11-20", readings)
    assert (v.verdict, v.snapshot_date, v.status, v.agree_date, v.lag_days) == \
        ("not_confirmed", "2025-11-20", "outside", None, None)


def test_the_map_agrees_on_the_day():
    readings = daily({"2022-09-01": "occupied", "2022-09-10": "liberated"}, "2022-09-01", "2022-09-30")
    assert check("UA", "2022-09-12", readings).verdict == "consistent"
    v = check("RU", "2022-09-05", readings)
    assert (v.verdict, v.lag_days, v.agree_date) == ("consistent", 0, "2022-09-05")


def test_the_map_agrees_later_with_the_lag():
    readings = daily({"2022-09-01": "occupied", "2022-09-10": "liberated"}, "2022-09-01", "2022-09-30")
    v = check("UA", "2022-09-07", readings)
    assert (v.verdict, v.status, v.agree_date, v.lag_days) == ("later", "occupied", "2022-09-10", 3)
    v = check("UA", "2022-09-07", readings, later_days=2)  # beyond the window: not confirmed, the date kept
    assert (v.verdict, v.agree_date, v.lag_days) == ("not_confirmed", "2022-09-10", 3)


def test_unknown_status_is_contested():
    readings = daily({"2022-10-01": "unknown", "2022-10-05": "occupied"}, "2022-10-01", "2022-10-10")
    assert check("RU", "2022-10-02", readings).verdict == "contested"
    assert check("UA", "2022-10-02", readings).verdict == "contested"


def test_no_coverage_is_no_map():
    readings = daily({"2022-08-01": "occupied"}, "2022-08-01", "2022-08-31")
    assert check("RU", "2021-05-01", readings).verdict == "no_map"  # before the layer begins
    weekly = [r for r in readings if r.date in ("2022-08-01", "2022-08-08")]
    assert check("RU", "2022-09-30", weekly).verdict == "no_map"  # the last snapshot is stale
    assert check("RU", "2022-09-30", weekly, staleness_days=60).verdict == "consistent"


def test_a_layer_that_starts_just_after_the_claim_still_covers_it():
    readings = daily({"2022-08-03": "occupied"}, "2022-08-03", "2022-08-20")
    v = check("RU", "2022-08-01", readings)
    assert (v.verdict, v.snapshot_date, v.agree_date, v.lag_days) == ("later", None, "2022-08-03", 2)
    assert check("UA", "2022-08-01", readings).verdict == "not_confirmed"


def test_partial_claims_say_so():
    readings = daily({"2025-01-01": "occupied"}, "2025-01-01", "2025-01-31")
    v = check("RU", "2025-01-10", readings, partial=True)
    assert v.verdict == "consistent" and v.partial and v.to_dict()["partial"] is True


def test_holder_must_be_a_side():
    with pytest.raises(ValueError):
        judge("INT", "2022-01-01", None, [])


# -- stored claims against a map ------------------------------------------------------------------------------------

def test_stored_capture_claim_and_its_denial_against_a_map(analyzer, store_url):
    """The invented Kupiansk pattern of the compare tests: the Russian ministry says the town is taken, the
    Ukrainian General Staff that it holds. On a map that never shows the town occupied, the capture claim is not
    confirmed and the denial consistent; the track records say so per institution."""
    import json
    from pathlib import Path

    from discernment.analysis.compare import load_assertions
    from discernment.analysis.verdicts import check_control, track_records
    from discernment.model import Document, Source
    from discernment.store import Store

    data = Path(__file__).resolve().parents[1] / "data" / "compare"
    pattern = json.loads((data / "manifest.json").read_text(encoding="utf-8"))["patterns"]["kupiansk-denial"]
    docs = [analyzer(Document((data / f["path"]).read_text(encoding="utf-8"),
                              Source(path=f["path"], outlet=f["outlet"], published=f["published"])))
            for f in pattern["files"]]
    store = Store(store_url)
    store.ingest(docs, store.start_run("test", {}), "test")
    seen = []

    def read(lon, lat, as_of):  # the town's centre outside the occupied area on every daily map
        seen.append((round(lat, 1), round(lon, 1), as_of))
        days = daily({"2024-07-08": "outside"}, "2024-07-08", "2026-08-22")
        return max((r for r in days if r.date <= as_of), key=lambda r: r.date), [r for r in days if r.date > as_of]

    verdicts = check_control(load_assertions(store), read)
    assert verdicts and all((lat, lon) == (49.7, 37.6) for lat, lon, _ in seen)  # Kupiansk, however spelt
    by_holder = {v.holder: v.map.verdict for v in verdicts}
    assert by_holder == {"RU": "not_confirmed", "UA": "consistent"}
    records = {r.who: r for r in track_records(verdicts)}
    ru = records["Russian Defence Ministry"]  # said in RT and relayed by Reuters: one statement
    assert (ru.checked, ru.consistent, ru.within_30, ru.never, ru.median_lag) == (1, 0, 0, 1, None)
    ua = next(r for who, r in records.items() if who.startswith("Ukrainian"))
    assert (ua.checked, ua.consistent, ua.within_7, ua.never, ua.median_lag) == (1, 1, 1, 0, 0.0)


def _occupied_daily(folder, day: str, square: tuple[float, float, float, float]) -> None:
    """An occupied-area file in the one-polygon-per-day format, drawn by the test (a square, lon/lat)."""
    import json

    x0, y0, x1, y1 = square
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    data = {"type": "FeatureCollection", "name": "occupied",
            "features": [{"type": "Feature", "properties": {},
                          "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]}}]}
    (folder / f"deepstatemap_data_{day.replace('-', '')}.geojson").write_text(json.dumps(data), encoding="utf-8")


def test_maps_check_command_against_an_imported_layer(analyzer, tmp_path):
    """The whole path: claims stored, a daily layer imported (its occupied square east of the town, so the town
    is outside it), ``discern maps check`` gives each claim's verdict and the track records."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    from discernment.analysis.verdicts import check_store, load_verdicts, refresh
    from discernment.maps import MapStore
    from discernment.model import Document, Source
    from discernment.store import Store

    data = Path(__file__).resolve().parents[1] / "data" / "compare"
    pattern = json.loads((data / "manifest.json").read_text(encoding="utf-8"))["patterns"]["kupiansk-denial"]
    docs = [analyzer(Document((data / f["path"]).read_text(encoding="utf-8"),
                              Source(path=f["path"], outlet=f["outlet"], published=f["published"])))
            for f in pattern["files"]]
    db = tmp_path / "s.db"
    store = Store(f"sqlite:///{db}")
    store.ingest(docs, store.start_run("test", {}), "test")
    maps_dir = tmp_path / "daily"
    maps_dir.mkdir()
    for day in ("2025-09-10", "2025-09-17", "2025-09-24"):
        _occupied_daily(maps_dir, day, (38.0, 48.5, 38.5, 49.0))
    maps = MapStore(store)
    stats = maps.import_paths("daily", [str(maps_dir)])
    assert stats.snapshots == 3 and stats.failed == 0

    verdicts = check_store(store, maps)
    expected = {("RU", "not_confirmed", "2025-09-17", "outside"), ("UA", "consistent", "2025-09-17", "outside")}
    assert {(v.holder, v.map.verdict, v.map.snapshot_date, v.map.status) for v in verdicts} == expected
    # stored: import_paths alone judges nothing; refresh stores what check_store gives, and reading it back
    # gives the same verdicts with the claims' offsets
    assert load_verdicts(store) == []
    assert refresh(store) == len(verdicts)
    stored = load_verdicts(store)
    assert {(v.holder, v.map.verdict, v.map.snapshot_date, v.map.status) for v in stored} == expected
    assert [(v.support.doc_id, v.support.start, v.support.end) for v in stored] == \
        [(v.support.doc_id, v.support.start, v.support.end) for v in verdicts]
    assert refresh(store) == len(load_verdicts(store)) == len(verdicts)  # recomputing replaces, never adds

    run = subprocess.run([sys.executable, "-m", "discernment", "maps", "check", "--db", str(db), "-f", "json"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert {(r["holder"], r["verdict"]) for r in rows} == {("RU", "not_confirmed"), ("UA", "consistent")}
    assert all(r["doc_id"] and r["end"] > r["start"] and r["map"] == "daily" for r in rows)
    run = subprocess.run([sys.executable, "-m", "discernment", "maps", "check", "--db", str(db), "--records",
                          "source", "-f", "json"], capture_output=True, text=True, timeout=300)
    records = {r["who"]: r for r in json.loads(run.stdout)}
    assert records["Russian Defence Ministry"]["never"] == records["Russian Defence Ministry"]["checked"] == 1
