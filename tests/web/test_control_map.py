"""Territorial claims against the control map in a real Chromium: an analyst's loop from the claims map (a date
control, the control layer, markers coloured by verdict) to the reader, the exports, the ledger's verdict
filter, the track records and the place timeline.

Runs twice: on invented articles and squares drawn by the test (values asserted: this claim is never borne out,
that one later by 8 days), and on ~60 real articles of ../shared/data/ukraine-war-news against the real DeepState
snapshots of April-November 2022 (mechanics asserted: markers = features = the API's count, links land on the
span, the filter narrows, the exports hold what the page shows).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from .test_browser import CHROMIUM, sync_api  # noqa: F401  (sync_api: skips without playwright)
from .test_browser import browser, shots  # noqa: F401  (the same Chromium and screenshot fixtures)
from .test_loops import analysed_store, api, download, popup_to_reader_and_back, real_documents, served
from .test_loops import watched  # noqa: F401  (the same browser context fixture)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"),
]

REPO = Path(__file__).resolve().parents[2]
DEEPSTATE = (REPO / ".." / "shared" / "data" / "control-maps" / "deepstate-history").resolve()

# (outlet, published, text): written for these tests.
INVENTED = [
    ("RT", "2025-11-20", "MOSCOW, Nov 20 - Russian troops have taken full control of the town of Kupyansk in the "
                         "Kharkov region, the Russian Defence Ministry said on Thursday."),
    ("Ukrinform", "2025-11-21", "KYIV, Nov 21 - Ukrainian troops continue to hold Kupiansk, the General Staff of "
                                "the Armed Forces of Ukraine said on Friday."),
    ("TASS", "2025-12-05", "MOSCOW, Dec 5 - Russian forces have liberated the village of Petropavlivka in the "
                           "Kharkov region, the Russian Defence Ministry said on Friday."),
]
FAR_EAST = (38.0, 48.5, 38.5, 49.0)  # occupied on every map, far from both towns
PETROPAVLIVKA = (37.68, 49.70, 37.75, 49.74)  # occupied from 2025-12-13 on (the village, not Kupiansk)


def _daily(folder: Path, day: str, squares) -> None:
    polygons = [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] for x0, y0, x1, y1 in squares]
    (folder / f"deepstatemap_data_{day.replace('-', '')}.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                                                    "geometry": {"type": "MultiPolygon", "coordinates": polygons}}]}))


@pytest.fixture(scope="module", params=["invented", "real"])
def map_server(request, tmp_path_factory, analyzer):
    """A store of the articles with a control layer imported and the claims judged, served on loopback."""
    from discernment.analysis.verdicts import refresh
    from discernment.maps import MapStore
    from discernment.model import Document, Source
    tmp = tmp_path_factory.mktemp("control-" + request.param)
    if request.param == "invented":
        docs = [Document(text, Source(path=f"{outlet}.txt", outlet=outlet, published=day))
                for outlet, day, text in INVENTED]
        maps = tmp / "front"
        maps.mkdir()
        for day in ("2025-11-15", "2025-11-22", "2025-11-29", "2025-12-06", "2025-12-13", "2025-12-20"):
            _daily(maps, day, [FAR_EAST] + ([PETROPAVLIVKA] if day >= "2025-12-13" else []))
        paths, layer = [str(maps)], "front"
    else:
        if not DEEPSTATE.exists():
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"{DEEPSTATE} is missing: the real control-map loop must run on CI")
            pytest.skip(f"{DEEPSTATE} not present (../shared/data is only on development and CI machines)")
        docs = real_documents(analyzer.config)
        # the snapshots of April to November 2022 (file names are unix times)
        paths = [str(p) for p in sorted(DEEPSTATE.glob("*.geojson")) if 1648771200 <= int(p.stem) <= 1669852800]
        layer = "deepstate"
    store = analysed_store(tmp, docs, analyzer)
    assert MapStore(store).import_paths(layer, paths).snapshots > 0
    refresh(store)
    with served(store) as url:
        yield request.param, url, store


def _features(page, base, **params) -> list[dict]:
    return api(page, base, "/api/verdicts.geojson", **params).json()["features"]


def test_loop_claims_against_the_map(watched, map_server, shots):
    kind, base, store = map_server
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 900})
    every = _features(page, base)
    if kind == "real" and not every:
        pytest.skip("no territorial claim of this sample could be judged")

    # 1. the claims map: the control layer of the newest claim's date under one marker per place and verdict
    page.goto(f"{base}/map/claims")
    page.wait_for_selector('#map[data-ready="1"]', timeout=20000)
    shown = int(page.get_attribute("#map", "data-features"))
    assert shown == len(every)
    assert page.locator(".leaflet-marker-icon.cl-marker").count() == int(page.get_attribute("#map", "data-markers"))
    assert int(page.get_attribute("#map", "data-control-areas")) >= 1
    first = api(page, base, "/api/maps").json()[0]["first"]
    newest = max(max(f["properties"]["as_of"] for f in every), first)  # never before the layer's first map
    assert page.input_value("input[name=date]") == newest
    assert page.get_attribute("#map", "data-control-date") <= newest
    if kind == "invented":
        verdicts = sorted((f["properties"]["place"], f["properties"]["holder"], f["properties"]["verdict"],
                           f["properties"]["lag_days"]) for f in every)
        assert verdicts == [("Kupyansk", "RU", "not_confirmed", None), ("Kupyansk", "UA", "consistent", 0),
                            ("Petropavlivka", "RU", "later", 8)]
        assert page.get_attribute("#map", "data-control-date") == "2025-11-29"  # the newest map on or before 12-05
        assert page.locator(".leaflet-marker-icon.verdict-not_confirmed").count() == 1
    page.screenshot(path=str(shots / f"control-map-{kind}.png"), full_page=True)

    # 2. only the claims the map never bore out, on the map of another date
    wanted = "not_confirmed" if kind == "invented" else max(
        {f["properties"]["verdict"] for f in every}, key=lambda v: sum(f["properties"]["verdict"] == v for f in every))
    page.select_option("select[name=verdict]", wanted)
    day = "2025-11-25" if kind == "invented" else "2022-09-20"
    page.fill("input[name=date]", day)
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/map/claims?**")
    page.wait_for_selector('#map[data-ready="1"]', timeout=20000)
    narrowed = _features(page, base, verdict=wanted)
    assert 0 < len(narrowed) <= len(every)
    assert int(page.get_attribute("#map", "data-features")) == len(narrowed)
    assert all(f["properties"]["verdict"] == wanted for f in narrowed)
    assert page.get_attribute("#map", "data-control-date") <= day
    if kind == "invented":
        assert page.get_attribute("#map", "data-control-date") == "2025-11-22"
    page.screenshot(path=str(shots / f"control-map-{kind}-{wanted}.png"), full_page=True)

    # 3. keyboard to a marker, its popup, the reader at the claim's span
    marker = page.locator(".leaflet-marker-icon.cl-marker").first
    assert marker.get_attribute("tabindex") == "0" and marker.get_attribute("title")
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content a.reader-link")
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert re.search(r"as of \d{4}-\d{2}-\d{2}", popup)
    if kind == "invented":
        assert "never agreed" in popup and "Russian Defence Ministry" in popup and "map of 2025-11-15: outside" in popup
    popup_to_reader_and_back(page, page.locator(".leaflet-popup-content"), timeout=20000)

    # 4. the export holds what the map shows
    exported = json.loads(download(page, "a.export >> nth=0"))
    assert len(exported["features"]) == len(narrowed)
    assert {f["properties"]["verdict"] for f in exported["features"]} == {wanted}

    # 5. the ledger's verdict filter and column
    page.goto(f"{base}/claims?verdict={wanted}")
    rows = page.locator("tr.ledger-row")
    total = api(page, base, "/api/claims", verdict=wanted, limit=1).json()["total"]
    assert rows.count() == min(total, 50) and total >= 1
    assert page.locator("tr.ledger-row .verdict").count() == rows.count()
    if kind == "invented":
        page.goto(f"{base}/claims?verdict=later")
        assert "map agreed later +8" in page.locator("tr.ledger-row .verdict").first.inner_text().replace("\xa0", " ")
    page.screenshot(path=str(shots / f"control-ledger-{kind}.png"), full_page=True)


def test_track_records_and_the_place_timeline(watched, map_server, shots):
    kind, base, store = map_server
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 900})
    data = api(page, base, "/sources.json").json()
    checked = sum(r["checked"] for r in data["claimants"])
    judged = [f for f in _features(page, base) if f["properties"]["verdict"] != "no_map"]
    if kind == "real" and not judged:
        pytest.skip("no territorial claim of this sample could be judged")
    assert 0 < checked <= len(judged)
    page.goto(f"{base}/sources")
    table = page.locator("table.records")
    assert table.count() == 1 and table.locator("tbody tr").count() == len(data["claimants"])
    if kind == "invented":
        ministry = next(r for r in data["claimants"] if r["who"] == "Russian Defence Ministry")
        assert (ministry["checked"], ministry["consistent"], ministry["within_7"], ministry["within_30"],
                ministry["never"], ministry["median_lag"]) == (2, 0, 0, 1, 1, 8.0)
        rt = next(p for p in data["items"] if p["outlet"] == "RT")
        assert (rt["track_record"]["checked"], rt["track_record"]["never"]) == (1, 1)
        section = page.locator("section.profile").filter(has=page.get_by_role("heading", name="RT", exact=True))
        assert section.locator(".track-record").inner_text().startswith("1 checked: 0 agreed on the day")
    page.screenshot(path=str(shots / f"control-sources-{kind}.png"), full_page=True)

    place = "Kupiansk" if kind == "invented" else judged[0]["properties"]["place"]
    timeline = api(page, base, f"/place/{place}.json").json()
    assert timeline["map"], "the place's status runs"
    page.goto(f"{base}/place/{place}")
    assert page.locator("th.map-col").count() == len({r["layer"] for r in timeline["map"]})
    assert page.locator("td.map-cell .map-status").count() >= 1
    if kind == "invented":
        assert page.locator("td.map-cell").first.inner_text().strip() == "not occupied (UA)"
        assert page.locator(".entry .verdict-not_confirmed").count() == 1
    page.screenshot(path=str(shots / f"control-place-{kind}.png"), full_page=True)
