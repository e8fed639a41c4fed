"""The four daily loops of docs (../shared/USERS.md), end to end in a real Chromium, one test per user.

Each loop runs twice: on the invented articles of tests/data/loops/ (values asserted: this claimant, that
contradiction) and on ~60 real articles from ../shared/data/ukraine-war-news (the loop's mechanics asserted:
filters narrow, links land on the span, exports hold what the page shows). The real set is skipped when the
folder is absent, except under CI=true, where its absence fails. Rows listed in ../shared/data/RESERVED.md are
never read. Both sets are analysed by the real default pipeline (the session ``analyzer``).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from .test_browser import CHROMIUM, Watched, sync_api  # noqa: F401  (sync_api: skips without playwright)
from .test_browser import browser, shots  # noqa: F401  (the same Chromium and screenshot fixtures)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"),
]

REPO = Path(__file__).resolve().parents[2]
INVENTED = REPO / "tests" / "data" / "loops" / "articles.jsonl"
REAL = (REPO / ".." / "shared" / "data" / "ukraine-war-news" / "r2nery-ukraine-media").resolve()
RESERVED = (REPO / ".." / "shared" / "data" / "RESERVED.md").resolve()
# (file, outlet, how many): AP wire copy, Reuters and RT, on-topic rows spread over their dates.
REAL_FILES = [("75a53f4/AssociatedPress.csv", "AP", 25), ("b642e4f/Reuters.csv", "Reuters", 10),
              ("7b8972a/RT.csv", "RT", 25)]


def reserved_urls() -> set[str]:
    if not RESERVED.exists():
        return set()
    return {line[2:].strip() for line in RESERVED.read_text(encoding="utf-8").splitlines()
            if line.startswith("- http")}


def real_documents(config):
    from discernment.ingest import ReadOptions, read_inputs
    from discernment.model import Document

    if not REAL.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{REAL} is missing: the real-article loops must run on CI")
        pytest.skip(f"{REAL} not present (../shared/data is only on development and CI machines)")
    reserved = reserved_urls()
    options = ReadOptions.from_config(config)
    picked = []
    for name, outlet, n in REAL_FILES:
        docs = [d for d in read_inputs([str(REAL / name)], options) if isinstance(d, Document)]
        fit = sorted((d for d in docs if d.source.url not in reserved and len(d.text) < 12000
                      and re.search(r"Ukrain|Kharkiv|Donetsk|Kyiv", d.text[:3000])),
                     key=lambda d: (d.source.published or "", d.source.url or ""))
        step = max(1, len(fit) // n)
        for d in fit[::step][:n]:
            d.source = dataclasses.replace(d.source, outlet=outlet)  # the file's outlet, not the URL's host
            picked.append(d)
    assert not {d.source.url for d in picked} & reserved
    return picked


def invented_documents(config):
    from discernment.ingest import ReadOptions, read_inputs
    from discernment.model import Document

    return [d for d in read_inputs([str(INVENTED)], ReadOptions.from_config(config)) if isinstance(d, Document)]


def analysed_store(folder: Path, docs, analyzer):
    """A SQLite store in ``folder`` holding ``docs`` analysed by the real pipeline."""
    from discernment.store import Store

    store = Store(f"sqlite:///{folder / 'store.db'}")
    store.ingest(list(analyzer.pipe(docs)), store.start_run(analyzer.version, {}, "pytest"), analyzer.version)
    return store


@contextlib.contextmanager
def served(store):
    """The web app over ``store`` on a free loopback port (writes open, no analyzer loaded): yields its URL; the
    server stops and the store closes after."""
    from discernment.web import WebSettings, create_app, free_port, serve_in_background

    from .conftest import FakeAnalyzer

    port = free_port()
    app = create_app(store, WebSettings(port=port, token_env=""), analyzer_factory=FakeAnalyzer)
    running = serve_in_background(app, port=port, start_timeout=15)
    try:
        yield running.url
    finally:
        running.stop(timeout=5)
        store.close()


@pytest.fixture(scope="module", params=["invented", "real"])
def loop_server(request, tmp_path_factory, analyzer):
    """A store of the invented (or real) articles, analysed for real, served on loopback: (kind, url, store)."""
    docs = invented_documents(analyzer.config) if request.param == "invented" else real_documents(analyzer.config)
    store = analysed_store(tmp_path_factory.mktemp("loops-" + request.param), docs, analyzer)
    with served(store) as url:
        yield request.param, url, store


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    w = Watched(context)
    yield w
    w.check()
    context.close()


def api(page, base: str, path: str, **params):
    """GET an API URL with the page's request context; repeated parameters from lists."""
    query = urlencode([(k, x) for k, v in params.items() for x in (v if isinstance(v, list) else [v])
                       if x not in (None, "")])
    r = page.request.get(f"{base}{path}" + ("?" + query if query else ""))
    assert r.ok, (path, r.status, r.text()[:300])
    return r


def download(page, selector: str) -> str:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_text(encoding="utf-8")


def popup_to_reader_and_back(page, popup, timeout: int):
    """Follow a map popup's first reader link: it points at a span, the reader lands centred on it, and going
    back brings the map up again."""
    link = popup.locator("a.reader-link").first
    assert re.fullmatch(r"/doc/[0-9a-f]{64}\?span=\d+-\d+", link.get_attribute("href"))
    link.click()
    assert_landed_centred(page, "target")
    page.go_back()
    page.wait_for_selector('#map[data-ready="1"]', timeout=timeout)


def assert_landed_centred(page, ref: str, claim_text: str | None = None):
    """The reader landed on ``ref``: marked, centred in the window (unless the text starts above the middle),
    focused, and with no details box open over the next lines."""
    page.wait_for_selector(f'body[data-landed="{ref}"][data-ready="1"]')
    assert not page.locator("#tooltip").is_visible()
    marks = page.locator(f'mark[data-ref="{ref}"].is-target')
    assert marks.count() >= 1
    box = page.evaluate(f"""() => {{
        const els = [...document.querySelectorAll('mark[data-ref="{ref}"].is-target')];
        const top = Math.min(...els.map(e => e.getBoundingClientRect().top));
        const bottom = Math.max(...els.map(e => e.getBoundingClientRect().bottom));
        return {{top, bottom, scroll: window.scrollY, height: window.innerHeight}};
    }}""")
    middle = (box["top"] + box["bottom"]) / 2
    if box["scroll"] > 0:
        assert abs(middle - box["height"] / 2) < 0.12 * box["height"], box
    else:
        assert middle <= box["height"] / 2 + 0.12 * box["height"], box
    if claim_text:
        marked = page.eval_on_selector_all(f'mark[data-ref="{ref}"]:not(.hl-claimant)',
                                           "els => els.map(e => e.textContent).join('')")
        assert claim_text[:30] in marked or marked[:30] in claim_text


# -- 1. Olena: the ledger for the last day and her oblasts, a claim at its sentence, the CSV -------------------
def test_loop_olena_ledger_to_reader_to_csv(watched, loop_server, shots):
    kind, base, store = loop_server
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 600})
    everything = api(page, base, "/api/claims", limit=1).json()["total"]
    days = sorted({d["published"][:10] for d in api(page, base, "/api/documents", limit=500).json()["items"]
                   if d["published"]})
    last_day = days[-1]
    first_day = last_day if kind == "invented" else days[-min(len(days), 8)]  # real: the last few days
    page.goto(f"{base}/claims")
    page.fill("input[name=since]", first_day)
    page.fill("input[name=until]", last_day)
    page.click("details.multi summary")
    regions = page.locator("details.multi input[name=place]").evaluate_all(
        "els => els.filter(e => e.parentElement.textContent.includes('(region)')).map(e => e.value)")
    if kind == "invented":
        wanted = ["Kharkiv Oblast", "Donetsk Oblast"]
    else:  # the two regions most mentioned in these days
        busy = api(page, base, "/api/places", since=first_day, until=last_day, limit=200).json()["items"]
        wanted = list(dict.fromkeys(p["admin1"] for p in busy if p["admin1"] in regions))[:2]
    assert len(wanted) == 2 and set(wanted) <= set(regions), regions
    for value in wanted:
        page.check(f"details.multi input[name=place][value='{value}']")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/claims?**")
    query = parse_qs(urlparse(page.url).query)
    assert sorted(query["place"]) == sorted(wanted) and query["since"] == [first_day]
    expected = api(page, base, "/api/claims", since=first_day, until=last_day, place=wanted, limit=500).json()
    assert expected["total"] <= everything
    page.screenshot(path=str(shots / f"loop-olena-ledger-{kind}.png"), full_page=True)
    rows = page.locator("tr.ledger-row")
    assert rows.count() == min(expected["total"], 50)
    if expected["total"] == 0:
        pytest.skip(f"no claim from {first_day} to {last_day} in {wanted} in this sample")
    assert f"of {expected['total']:,}" in page.locator(".pager .count").first.inner_text()
    if kind == "invented":
        assert expected["total"] >= 4
        claimants = rows.locator("td.claimant").all_inner_texts()
        assert all(c.strip() and c.strip() != "the outlet" for c in claimants), claimants
        assert any("Syniehubov" in c for c in claimants) and any("Kyrylenko" in c for c in claimants)
        # the oblast takes in its towns: Kupiansk and Izium are in Kharkiv Oblast, Bakhmut in Donetsk Oblast
        places = " ".join(rows.locator("td[data-label=Places]").all_inner_texts())
        assert re.search(r"Kupyansk|Kupiansk|Izyum|Izium", places) and "Bakhmut" in places

    # click a claim: the reader opens at that sentence, centred, the claimant highlighted, no details open
    row = rows.first
    href = row.get_attribute("data-href")
    ref = href.split("#", 1)[1]
    item = expected["items"][0]
    row.locator("td").first.click()
    assert_landed_centred(page, ref, item["text"])
    doc = store.get_document(href.split("/doc/")[1].split("#")[0])
    claim = doc.claims[int(ref[1:])]
    if claim.claimant is not None and claim.claimant.start is not None:
        who = page.locator(f'mark.hl-claimant[data-ref="{ref}"]')
        assert who.count() >= 1 and "is-claimant-target" in who.first.get_attribute("class")
        assert page.evaluate("el => getComputedStyle(el).fontWeight", who.first.element_handle()) in ("700", "bold")
    page.screenshot(path=str(shots / f"loop-olena-reader-{kind}.png"))
    page.go_back()
    page.wait_for_url("**/claims?**")

    # Export CSV: exactly the filtered claims, a URL and a reader link per row, no JSON in any cell
    text = download(page, "a.export-csv")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == expected["total"]
    header = list(table[0]) if table else []
    url_col = next((h for h in header if h.lower() in ("url", "source_url", "article_url")), None)
    link_col = next((h for h in header if "reader" in h.lower() or h.lower() == "link"), None)
    assert url_col and link_col, header
    assert {(r["doc_id"], int(r["idx"])) for r in table} == {(i["doc_id"], i["idx"]) for i in expected["items"]}
    for r in table:
        assert "/doc/" + r["doc_id"] in r[link_col]
        for value in r.values():
            assert not (value or "").lstrip().startswith(("[", "{")), value


# -- 2. Mark: a figure searched as a phrase, its cluster across outlets, a contradiction side by side ----------
def test_loop_mark_search_to_cluster_to_contradiction(watched, loop_server, shots):
    kind, base, store = loop_server
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    phrase = "2,000 militants" if kind == "invented" else "nuclear power plant"
    page.goto(f"{base}/search")
    page.fill("form.search-form input[name=q]", phrase)
    page.select_option("form.search-form select[name=mode]", "phrase")
    page.click("form.search-form button[type=submit]")
    page.wait_for_url("**mode=phrase**")
    hits = page.locator("ol.hits > li")
    loose = api(page, base, "/search.json", q=phrase, mode="any").json()["total"]
    exact = api(page, base, "/search.json", q=phrase, mode="phrase").json()
    assert hits.count() == min(exact["total"], 50) and exact["total"] <= loose
    if kind == "invented":
        assert exact["total"] == 2  # "over 2,000 militants": State Wire and Western Wire relaying it; not "2,500"
    if exact["total"] == 0:
        pytest.skip(f"no article has {phrase!r} in this sample")
    marks = hits.first.locator("p.snippet mark").all_inner_texts()
    assert marks and all(re.sub(r"\W+", " ", m).strip().lower() == re.sub(r"\W+", " ", phrase).lower()
                         for m in marks), marks
    assert "[" not in "".join(marks)
    page.screenshot(path=str(shots / f"loop-mark-search-{kind}.png"), full_page=True)
    link = hits.first.locator("a.hit-link")
    assert "?span=" in link.get_attribute("href")
    link.click()
    assert_landed_centred(page, "target")
    marked = page.eval_on_selector_all('mark[data-ref="target"]', "els => els.map(e => e.textContent).join('')")
    assert re.sub(r"\W+", " ", marked).lower() == re.sub(r"\W+", " ", phrase).lower()

    # the clusters page for the figure: claims across outlets, first carrier first, claimant and relay shown
    figure = "2,000" if kind == "invented" else ""
    page.goto(f"{base}/clusters?" + urlencode({"text": figure}))
    clusters = page.locator("section.cluster")
    if kind == "invented":
        assert clusters.count() >= 1
        best = max(range(clusters.count()), key=lambda i: clusters.nth(i).locator("tbody tr").count())
        cluster = clusters.nth(best)
        rows = cluster.locator("tbody tr")
        assert rows.count() >= 2
        dates = [rows.nth(i).locator("td").first.inner_text().split("\n")[0] for i in range(rows.count())]
        assert dates == sorted(dates)
        outlets = {rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())}
        assert len(outlets) >= 2 and "State Wire" in outlets
        assert cluster.locator("thead").inner_text().count("Relayed via") == 1
        assert all(rows.nth(i).locator("td").nth(2).inner_text().strip() for i in range(rows.count()))
    page.screenshot(path=str(shots / f"loop-mark-clusters-{kind}.png"), full_page=True)

    # a contradiction, both sources side by side
    page.goto(f"{base}/compare?kind=contradiction")
    findings = page.locator("section.finding-contradiction")
    if kind == "invented":
        assert findings.count() >= 1
    if findings.count():
        sides = findings.first.locator("div.side")
        assert sides.count() == 2
        a, b = (sides.nth(i).bounding_box() for i in range(2))
        assert abs(a["y"] - b["y"]) < 5 and a["x"] != b["x"]  # side by side
        page.screenshot(path=str(shots / f"loop-mark-compare-{kind}.png"), full_page=True)


# -- 3. Sam: the events map filtered by type, dates and region; a popup to the reader; the GeoJSON -------------
def test_loop_sam_events_map_to_geojson(watched, loop_server, shots):
    kind, base, store = loop_server
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 900})
    every = api(page, base, "/api/events", limit=1).json()["total"]
    if kind == "invented":
        etype, since, until, region = "ASSAULT", "2022-09-20", "2022-10-08", "Kharkiv Oblast"
    else:
        rows = api(page, base, "/api/events", limit=500).json()["items"]
        located = [r for r in rows if r["lat"] is not None and r["date"]]
        if not located:
            pytest.skip("no located event in this sample")
        etype = max({r["type"] for r in located}, key=lambda t: sum(r["type"] == t for r in located))
        dates = sorted(r["date"] for r in located if r["type"] == etype)
        since, until, region = dates[0], dates[-1], None
    page.goto(f"{base}/map")
    page.select_option("select[name=type]", etype)
    page.fill("input[name=claim_since]", since)
    page.fill("input[name=claim_until]", until)
    if region:
        page.click("details.multi summary")
        page.check(f"details.multi input[name=place][value='{region}']")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/map?**")
    page.wait_for_selector('#map[data-ready="1"]', timeout=15000)
    params = dict(type=etype, claim_since=since, claim_until=until, place=[region] if region else None, limit=500)
    listed = api(page, base, "/api/events", **params).json()
    assert listed["total"] <= every
    located = [e for e in listed["items"] if e["lat"] is not None]
    shown = int(page.get_attribute("#map", "data-features"))
    assert shown == len(located), (shown, len(located), listed["total"])
    assert page.locator(".leaflet-marker-icon").count() == int(page.get_attribute("#map", "data-markers"))
    if kind == "invented":
        assert shown >= 3 and all(e["type"] == "ASSAULT" for e in listed["items"])
        towns = {e["place"] for e in located}
        assert {"Izium", "Kupiansk"} & towns and not {"Bakhmut", "Avdiivka"} & towns
    page.screenshot(path=str(shots / f"loop-sam-map-{kind}.png"), full_page=True)
    if shown == 0:
        pytest.skip("no located event for these filters in this sample")

    # keyboard: Tab to a marker, Enter opens its popup, whose link opens the reader at the event's span
    marker = page.locator(".leaflet-marker-icon").first
    assert marker.get_attribute("tabindex") == "0" and marker.get_attribute("title")
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content a.reader-link")
    popup = page.locator(".leaflet-popup-content")
    assert re.search(r"located at", popup.inner_text())
    page.screenshot(path=str(shots / f"loop-sam-popup-{kind}.png"))
    popup_to_reader_and_back(page, popup, timeout=15000)

    # Export GeoJSON: the same events, all of the type, within the dates, each with its precision
    data = json.loads(download(page, "a.export-geojson"))
    features = [f for f in data["features"] if f["properties"].get("kind", "event") == "event"]
    assert len(features) == shown
    for f in features:
        p = f["properties"]
        assert p["type"] == etype and since <= (p["date"] or "")[:10] <= until, p
        assert p["precision"] in ("settlement", "site", "admin2", "admin1", "country", "unknown")


# -- 4. Dr Petrovic: techniques per outlet and month, one technique, small samples flagged, CSV = JSON ----------
def test_loop_petrovic_techniques_by_month_to_csv(watched, loop_server, shots):
    kind, base, store = loop_server
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base}/sources")
    page.click("nav.tabs a:has-text('per month')")
    page.wait_for_url("**/sources/months**")
    options = page.locator("select[name=technique] option").evaluate_all(
        "els => els.map(e => [e.value, e.textContent])")
    assert len(options) >= 15  # "any" and the 14 PTC techniques, by readable names
    assert ["Name_Calling,Labeling", "Name calling / labeling"] in options
    assert not any("…" in label or "_" in label for value, label in options)
    page.select_option("select[name=technique]", "Loaded_Language")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**technique=Loaded_Language**")
    cells = page.locator("table.months td.cell")
    twin = api(page, base, "/sources/months.json", technique="Loaded_Language").json()
    assert twin["technique"] == "Loaded_Language" and cells.count() == len(twin["cells"]) > 0
    flagged = page.locator("table.months td.small-sample")
    assert flagged.count() == sum(c["small_sample"] for c in twin["cells"])
    if flagged.count():
        assert flagged.first.locator(".small-flag").is_visible()
    for c in twin["cells"]:
        assert c["small_sample"] == (c["articles"] < 5)
        cell = page.locator(f"table.months td.cell[data-outlet='{c['outlet']}'][data-month='{c['month']}']")
        assert float(cell.get_attribute("data-rate")) == c["per_1000_words"]
    if kind == "invented":
        assert twin["months"] == ["2022-09", "2022-10"] and flagged.count() == len(twin["cells"])
        state = {c["month"]: c for c in twin["cells"] if c["outlet"] == "State Wire"}
        assert state["2022-09"]["techniques"] >= 1
    page.screenshot(path=str(shots / f"loop-petrovic-months-{kind}.png"), full_page=True)
    rows = list(csv.DictReader(io.StringIO(download(page, "a.export-csv"))))
    assert [(r["outlet"], r["month"], int(r["articles"]), int(r["techniques"]), float(r["per_1000_words"]),
             r["small_sample"] == "true") for r in rows] == \
        [(c["outlet"], c["month"], c["articles"], c["techniques"], c["per_1000_words"], c["small_sample"])
         for c in twin["cells"]]
    assert {r["technique"] for r in rows} == {"Loaded_Language"}


# -- 390 px: every main page fits a phone --------------------------------------------------------------------
def test_loop_pages_fit_a_390px_phone(browser, loop_server, shots):
    kind, base, store = loop_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    w = Watched(context)
    page = w.page
    claim = api(page, base, "/api/claims", limit=1).json()["items"][0]
    reader = f"/doc/{claim['doc_id']}?span={claim['start']}-{claim['end']}"
    for path in ["/documents", "/claims", "/search?q=Kupiansk", reader, "/places", "/place/Kupiansk", "/map",
                 "/sources", "/sources/months", "/compare", "/clusters"]:
        page.goto(base + path)
        page.wait_for_load_state("load")
        if page.locator("#map").count():
            page.wait_for_selector('#map[data-ready="1"], #map[data-error]', timeout=15000)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        name = re.sub(r"\W+", "-", path.split("?")[0].strip("/"))[:20] or "root"
        if path in ("/claims", reader, "/map", "/sources/months"):
            page.screenshot(path=str(shots / f"phone-{name}.png"))
    page.goto(base + "/claims")
    cell = page.locator("td.claim-text").first.bounding_box()
    assert cell["width"] >= 250  # the claim stays readable: rows are cards
    page.goto(base + reader)
    page.wait_for_selector('body[data-ready="1"]')
    panel = page.locator("fieldset.layers").bounding_box()
    assert panel["height"] < 0.15 * 844  # collapsed to a toggle
    page.click("label.layers-button")
    assert page.locator("#toggle-claims").is_visible()
    page.click("label.layers-button")
    page.locator("mark.hl[tabindex]").first.focus()
    tip = page.locator("#tooltip")
    assert tip.is_visible() and tip.bounding_box()["height"] <= 0.4 * 844
    page.screenshot(path=str(shots / "phone-reader-details.png"))
    w.check()
    context.close()
