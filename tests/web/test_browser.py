"""The UI in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright; never `playwright install`).

Every page is opened with all requests to anything but 127.0.0.1 aborted and recorded: none may be attempted.
No dialog may open, no script error or CSP violation may be logged. Screenshots go to $DISCERN_WEB_SHOTS (or a
temporary directory) for a look by eye.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from .conftest import XSS_PAYLOAD

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.slow,  # starts Chromium and a live server
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("DISCERN_WEB_SHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Watched:
    """A page plus everything it tried that it must not: external requests, dialogs, errors, CSP violations."""

    def __init__(self, context):
        self.external: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda err: self.errors.append(f"pageerror: {err}"))
        self.page.on("console", self._console)

    def _route(self, route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def check(self):
        assert self.external == [], f"external requests attempted: {self.external}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"
        assert self.page.evaluate("typeof window.__pwned") == "undefined"
        assert self.errors == [], self.errors


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    w = Watched(context)
    yield w
    w.check()
    context.close()


def test_browser_reader_toggles_layers_and_shows_details(watched, live_server, doc_ids, shots):
    page = watched.page
    page.goto(f"{live_server}/doc/{doc_ids['overlap']}")
    quote_bg = "getComputedStyle(document.getElementById('q0')).backgroundColor"
    assert page.evaluate(quote_bg) not in ("rgba(0, 0, 0, 0)", "transparent")
    page.screenshot(path=str(shots / "reader.png"), full_page=True)

    page.click("#toggle-quotes")
    assert page.evaluate(quote_bg) == "rgba(0, 0, 0, 0)"
    page.click("#toggle-quotes")
    assert page.evaluate(quote_bg) != "rgba(0, 0, 0, 0)"
    page.click("#toggle-entities")  # off by default; on now
    assert page.evaluate("getComputedStyle(document.getElementById('e1')).boxShadow") != "none"

    page.hover("#p0")  # inside the claim, the quote and a technique: every visible layer there is described
    tip = page.locator("#tooltip")
    assert tip.is_visible()
    for detail in ("Kupiansk", "GPE", "Loaded_Language", "mixed", "territorial_control"):
        assert detail in tip.inner_text()
    page.screenshot(path=str(shots / "reader-tooltip.png"))

    page.mouse.move(5, 5)
    page.focus("#c0")
    assert tip.is_visible() and "Russian Ministry of Defence" in tip.inner_text()
    page.keyboard.press("Escape")
    assert not tip.is_visible()


def test_browser_reader_is_keyboard_accessible(watched, live_server, doc_ids):
    page = watched.page
    page.goto(f"{live_server}/doc/{doc_ids['overlap']}")
    page.focus("#toggle-entities")
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        ref = page.evaluate("document.activeElement.getAttribute('data-ref')")
        if ref:
            seen.append(ref)
            assert page.locator("#tooltip").is_visible(), ref
    assert {"c0", "q0", "p0"} <= set(seen)


def test_browser_ledger_row_opens_the_article_at_the_claim(watched, live_server, web_store, shots):
    page = watched.page
    page.set_viewport_size({"width": 1200, "height": 500})
    page.goto(f"{live_server}/claims?outlet=Reuters")
    page.screenshot(path=str(shots / "ledger.png"), full_page=True)
    rows = page.locator("tr.ledger-row")
    assert rows.count() >= 2
    target = rows.nth(rows.count() - 1)
    href = target.get_attribute("data-href")
    ref = href.split("#", 1)[1]
    target.locator("td").first.click()  # a click on the row, not on the link
    page.wait_for_selector(f'body[data-landed="{ref}"][data-ready="1"]')
    assert page.url.endswith(href)
    assert not page.locator("#tooltip").is_visible()  # landing opens no details over the next lines
    assert page.evaluate("document.activeElement.id") == ref
    box = page.locator(f"#{ref}").bounding_box()
    assert box is not None and 0 <= box["y"] <= 500
    classes = page.get_attribute(f"#{ref}", "class")
    assert "is-target" in classes
    doc_id = href.split("/doc/")[1].split("#")[0]
    claim = web_store.get_document(doc_id).claims[int(ref[1:])]
    fragments = page.eval_on_selector_all(f'mark[data-ref="{ref}"]', "els => els.map(e => e.textContent)")
    assert claim.text.startswith(fragments[0])
    page.screenshot(path=str(shots / "reader-landed.png"))


def test_browser_timeline_link_marks_the_span(watched, live_server, doc_ids):
    page = watched.page
    page.goto(f"{live_server}/place/Kupiansk")
    link = page.locator(f'a[href^="/doc/{doc_ids["overlap"]}?span="]').first
    link.click()
    page.wait_for_selector('body[data-landed="target"][data-ready="1"]')
    assert "is-target" in page.get_attribute("#target", "class")
    assert not page.locator("#tooltip").is_visible()


def test_browser_place_map_draws_offline(watched, live_server, shots):
    page = watched.page
    page.goto(f"{live_server}/place/Kupiansk")
    page.wait_for_selector('#map[data-ready="1"]', timeout=10000)
    assert page.get_attribute("#map", "data-markers") == "1"
    assert page.locator("#map path").count() > 150  # countries and 27 oblasts
    page.screenshot(path=str(shots / "place.png"), full_page=True)


def open_a_marker(page) -> bool:
    """Click place markers wholly inside the viewport until one opens its popup (Leaflet flattens markers out
    of view, and an opened popup pans the map, moving the others); False when none does."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    view = page.viewport_size or {"width": 1280, "height": 800}
    for marker in page.locator(".leaflet-marker-icon").all():
        box = marker.bounding_box()
        if (box and box["width"] > 0 and 0 <= box["y"] and box["y"] + box["height"] <= view["height"]
                and 0 <= box["x"] and box["x"] + box["width"] <= view["width"]):
            marker.click(force=True)
            try:  # Leaflet opens the popup on the click event; a marker under another one gets no popup
                page.wait_for_selector(".leaflet-popup-content", timeout=2000)
                return True
            except PlaywrightTimeout:  # no popup from this one: try the next marker
                continue
    return False


def test_browser_places_map_has_a_marker_per_place(watched, live_server, shots):
    page = watched.page
    page.goto(f"{live_server}/places?limit=100")
    page.wait_for_selector('#map[data-ready="1"]', timeout=10000)
    assert int(page.get_attribute("#map", "data-markers")) >= 5
    assert open_a_marker(page)
    assert page.locator(".leaflet-popup-content a").count() == 1
    page.screenshot(path=str(shots / "places.png"), full_page=True)


def test_browser_sources_side_by_side(watched, live_server, shots):
    page = watched.page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server}/sources")
    assert page.locator("section.profile").count() >= 5
    assert page.locator("svg.bar rect.bar-fg").count() >= 20
    page.screenshot(path=str(shots / "sources.png"), full_page=True)


@pytest.mark.parametrize("path", ["/doc/{xss}", "/documents", "/claims?limit=500", "/places?limit=500",
                                  "/place/Izium", "/place/" + quote(XSS_PAYLOAD, safe=""), "/sources",
                                  "/search?q=Izium", "/compare"])
def test_browser_hostile_article_executes_nothing(watched, live_server, doc_ids, path, shots):
    page = watched.page
    page.goto(live_server + path.format(xss=doc_ids["xss"]))
    page.wait_for_load_state("load")
    if path.startswith("/doc/"):
        for box in page.locator("fieldset.layers input").all():
            if not box.is_checked():
                box.check()
        for mark in page.locator("mark[data-ref]").all():
            mark.hover()
        page.screenshot(path=str(shots / "hostile-reader.png"), full_page=True)
    if page.locator("#map").count():
        page.wait_for_selector('#map[data-ready="1"], #map[data-error]', timeout=10000)
        open_a_marker(page)
    page.wait_for_timeout(100)
    # ``watched`` checks on teardown: window.__pwned undefined, no dialog, no external request, no error.


def test_browser_fact_checker_sets_contradicting_sources_side_by_side(watched, live_server, shots):
    """Mark's loop: the findings page filtered to contradictions, both sources side by side, a claim opened at its
    exact sentence, the CSV of the selection, then the same fact across outlets."""
    page = watched.page
    page.set_viewport_size({"width": 1300, "height": 900})
    page.goto(f"{live_server}/compare")
    page.select_option("select[name=kind]", "contradiction")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**kind=contradiction**")
    findings = page.locator("section.finding-contradiction")
    assert findings.count() >= 1
    first = findings.first
    assert "Kupyansk" in first.locator("h2").inner_text() or "Kupiansk" in first.locator("h2").inner_text()
    sides = first.locator("div.side")
    assert sides.count() == 2
    texts = [sides.nth(i).locator("h3").inner_text() for i in range(2)]
    assert any("RU" in t for t in texts) and any("UA" in t for t in texts)
    assert "says" in first.locator("p.why").inner_text()
    page.screenshot(path=str(shots / "compare.png"), full_page=True)
    csv_href = page.get_attribute("a.export", "href")
    assert csv_href.startswith("/api/export/findings.csv") and "kind=contradiction" in csv_href
    csv = page.request.get(live_server + csv_href)
    assert csv.ok and csv.text().splitlines()[0].startswith("finding,kind,aspect,subject")
    link = sides.nth(0).locator("a[href^='/doc/']").first
    claim_text = link.inner_text().rstrip("…. ")[:40]
    link.click()
    page.wait_for_selector("#d-target")  # the reader names the linked span and marks it
    marked = page.eval_on_selector_all('mark[data-ref="target"]', "els => els.map(e => e.textContent).join('')")
    assert claim_text[:20] in marked
    page.screenshot(path=str(shots / "compare-landed.png"))
    page.goto(f"{live_server}/clusters")
    assert page.locator("section.cluster").count() >= 1
    assert page.locator("tr.first-carrier").count() >= 1
    page.screenshot(path=str(shots / "clusters.png"), full_page=True)
