"""The REST API against a store filled from examples/ (analysed for real) and hand-built documents."""

from __future__ import annotations

import csv
import io
import json

import pytest

from discernment.model import Document

from .conftest import EXAMPLES, make_client, overlap_document


def test_api_health_reports_documents_and_open_writes(client, web_store):
    data = client.get("/api/health").json()
    assert data["status"] == "ok" and data["documents"] == web_store.count() >= 8
    assert data["writes"] == "open"


def test_api_openapi_lists_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/analyze", "/api/search", "/api/claims",
                 "/api/timeline", "/api/places", "/api/sources", "/api/compare", "/api/clusters",
                 "/api/export/claims.csv", "/api/export/findings.csv", "/api/export/events.geojson"):
        assert path in paths
    assert not any(p.startswith("/doc") for p in paths)  # HTML pages are not part of the API


def test_api_documents_paginate_without_overlap(client, web_store):
    first = client.get("/api/documents?limit=3").json()
    second = client.get(f"/api/documents?limit=3&offset={first['next_offset']}").json()
    assert len(first["items"]) == 3 and first["next_offset"] == 3
    ids = [d["doc_id"] for d in first["items"] + second["items"]]
    assert len(ids) == len(set(ids))
    everything = client.get("/api/documents?limit=500").json()
    assert len(everything["items"]) == web_store.count() and everything["next_offset"] is None


def test_api_page_size_is_bounded(client):
    assert client.get("/api/claims?limit=100000").status_code == 422
    assert client.get("/api/claims?limit=0").status_code == 422
    assert client.get("/api/claims?offset=-1").status_code == 422


def test_api_document_is_the_contract_json(client, doc_ids):
    data = client.get(f"/api/documents/{doc_ids['overlap']}").json()
    assert data == overlap_document().to_dict()
    assert Document.from_dict(data).id == doc_ids["overlap"]


def test_api_unknown_document_is_404_and_bad_id_422(client):
    assert client.get("/api/documents/" + "0" * 64).status_code == 404
    assert client.get("/api/documents/not-an-id").status_code == 422


def test_api_claims_rows_point_at_their_exact_text(client, web_store):
    rows = client.get("/api/claims?limit=500").json()["items"]
    assert len(rows) >= 10
    texts = {}
    for row in rows:
        if row["doc_id"] not in texts:
            texts[row["doc_id"]] = web_store.get_document(row["doc_id"]).text
        assert texts[row["doc_id"]][row["start"]:row["end"]] == row["text"]


def test_api_claims_filters(client):
    rows = client.get("/api/claims?outlet=RIA%20Novosti").json()["items"]
    assert rows and {r["outlet"] for r in rows} == {"RIA Novosti"}
    typed = client.get("/api/claims?type=territorial_control&limit=500").json()["items"]
    assert typed and {r["type"] for r in typed} == {"territorial_control"}
    assert client.get("/api/claims?since=2024-11-23&until=2024-11-23").status_code == 200
    assert client.get("/api/claims?since=yesterday").status_code == 422


def test_api_search_finds_phrases(client, doc_ids):
    hits = client.get("/api/search", params={"q": '"heroic town"'}).json()["items"]
    assert [h["doc_id"] for h in hits] == [doc_ids["overlap"]]
    assert client.get("/api/search", params={"q": '" OR * NEAR('}).status_code == 200


def test_api_places_have_counts_and_coordinates(client):
    items = client.get("/api/places?limit=500").json()["items"]
    kup = [p for p in items if p["geonames_id"] == 703656]
    assert kup and kup[0]["lat"] == pytest.approx(49.71) and kup[0]["mentions"] >= 1 and kup[0]["claims"] >= 1
    assert "Kupyansk" in kup[0]["spellings"]


def test_api_timeline_for_a_place_has_claims_and_events(client):
    data = client.get("/api/timeline", params={"place": "Kupiansk"}).json()
    kinds = {e["kind"] for e in data["items"]}
    assert {"claim", "event"} <= kinds
    assert data["summary"]["geonames_id"] == 703656


def test_api_sources_profile_every_outlet(client):
    outlets = {p["outlet"] for p in client.get("/api/sources?limit=500").json()["items"]}
    assert {"TASS", "Reuters", "RIA Novosti"} <= outlets


def test_api_comparisons_alias_answers(client):
    r = client.get("/api/comparisons")
    assert r.status_code == 200 and isinstance(r.json()["items"], list)


def test_api_export_claims_csv_round_trips(client):
    r = client.get("/api/export/claims.csv", params={"outlet": "RIA Novosti"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and rows[0]["outlet"] == "RIA Novosti" and rows[0]["type"] == "territorial_control"
    # flat cells (no JSON), the article's URL and a reader link to the span
    assert rows[0]["quantities"] == "over 2,000" and rows[0]["places"] == "Kupiansk"
    assert rows[0]["reader"] == f"/doc/{rows[0]['doc_id']}?span={rows[0]['start']}-{rows[0]['end']}"
    assert "url" in rows[0] and rows[0]["hedged"] == "false"


def test_api_export_csv_defuses_formulas():
    from discernment.export.store import write_claims_csv
    from discernment.store.queries import LedgerRow

    row = LedgerRow("d", 0, 0, 9, "=HYPERLINK(1)", "strike", "@x", [], False, 0.1, None, "o", None, None)
    out = io.StringIO()
    write_claims_csv([row], out)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))[0]
    assert parsed["text"] == "'=HYPERLINK(1)" and parsed["claimant"] == "'@x"


def test_api_export_geojson_and_jsonl(client, doc_ids):
    r = client.get("/api/export/events.geojson")
    assert r.status_code == 200
    data = r.json()
    assert data["type"] == "FeatureCollection"
    assert any(f["properties"]["document"] == doc_ids["overlap"] for f in data["features"])
    lines = client.get("/api/export/documents.jsonl?limit=3").text.strip().splitlines()
    assert len(lines) == 3 and all(json.loads(line)["id"] for line in lines)


def test_api_analyze_returns_contract_json(client):
    r = client.post("/api/analyze", json={"text": "Reuters reported shelling.", "outlet": "X",
                                          "published": "2024-01-02"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["source"]["outlet"] == "X" and data["source"]["published"] == "2024-01-02"
    assert data["entities"][0]["text"] == "Reuters"


def test_api_analyze_rejects_bad_requests(client):
    assert client.post("/api/analyze", json={}).status_code == 422
    assert client.post("/api/analyze", json={"text": "a", "fetch": "https://example.org"}).status_code == 422
    assert client.post("/api/analyze", json={"text": "   "}).status_code == 422
    assert client.post("/api/analyze", json={"text": "x", "published": "not a date"}).status_code == 422


def test_api_analyze_upload_reads_by_extension(client):
    data = (EXAMPLES / "feed.xml").read_bytes()
    r = client.post("/api/analyze/upload", files={"file": ("../../feed.xml", data, "application/rss+xml")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["documents"]) == 2 and body["errors"] == []
    assert body["documents"][0]["source"]["path"] == "feed.xml"


def test_api_ingest_then_delete(tmp_path):
    from discernment.store import Store

    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    client = make_client(store)
    r = client.post("/api/documents", json={"text": "Kyiv said the city held.", "outlet": "Kyiv Independent"})
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["added"] == 1 and store.count() == 1
    again = client.post("/api/documents", json={"text": "Kyiv said the city held."}).json()
    assert again["skipped"] == 1 and again["added"] == 0
    doc_id = result["documents"][0]
    up = client.post("/api/documents/upload", files={"file": ("a.txt", b"Odesa was quiet.", "text/plain")})
    assert up.json()["added"] == 1 and store.count() == 2
    assert client.delete(f"/api/documents/{doc_id}").json() == {"doc_id": doc_id, "deleted": True}
    assert client.delete(f"/api/documents/{doc_id}").status_code == 404
    assert store.count() == 1


def test_api_analyze_with_the_real_pipeline(web_store, analyzer):
    from discernment.web import WebSettings, create_app

    from .conftest import loopback_client

    app = create_app(web_store, WebSettings(token_env=""), analyzer_factory=lambda: analyzer)
    client = loopback_client(app)
    text = (EXAMPLES / "wire-report.txt").read_text(encoding="utf-8")
    data = client.post("/api/analyze", json={"text": text, "outlet": "Reuters"}).json()
    assert data == analyzer(Document(text), outlet="Reuters").to_dict() | {"source": data["source"]}
    assert data["claims"] and all(text[c["start"]:c["end"]] == c["text"] for c in data["claims"])
    assert client.get("/api/health").json()["analyzer_loaded"] is True


PAGES_WITH_DATE_FILTERS = ["/documents", "/search", "/claims", "/places", "/place/Izium", "/sources", "/compare",
                           "/clusters"]


def _routes_with_date_filters(client):
    """(path, params) for every route taking the since/until filters: the API's from its OpenAPI schema, and
    each HTML page (not in the schema) with its JSON twin."""
    required = {"q": "Izium", "place": "Izium"}
    found = []
    for path, item in client.get("/openapi.json").json()["paths"].items():
        params = (item.get("get") or {}).get("parameters", [])
        if {"since", "until"} <= {p["name"] for p in params}:
            found.append((path, {p["name"]: required[p["name"]] for p in params if p.get("required")}))
    for page in PAGES_WITH_DATE_FILTERS:
        found += [(page, {"q": "Izium"} if page == "/search" else {}), (page + ".json", {})]
    return found


def test_api_invalid_filter_dates_are_422_on_every_route(client):
    """A since/until that is not a calendar date is a 422 naming the parameter on every route (it used to be a
    200 with nothing in it, as if nothing matched); an empty value (an HTML form's) still means no filter."""
    routes = _routes_with_date_filters(client)
    paths = {path for path, _ in routes}
    assert {"/api/claims", "/api/documents", "/api/search", "/api/timeline", "/api/export/claims.csv",
            "/api/export/documents.jsonl"} <= paths and len(paths) >= 25
    for path, params in routes:
        for name in ("since", "until"):
            for bad in ("2024-13-45", "2024-02-30", "garbage", "2024-1-5", "20240101"):
                r = client.get(path, params={**params, name: bad})
                assert r.status_code == 422, (path, name, bad, r.status_code)
                assert name in json.dumps(r.json()["detail"]), (path, r.text)
        assert client.get(path, params={**params, "since": "", "until": ""}).status_code == 200, path
        assert client.get(path, params={**params, "since": "2024-02-29", "until": "2024-12-31"}).status_code == 200


def test_api_invalid_filter_date_message(client):
    detail = client.get("/api/claims?since=2024-13-45").json()["detail"]
    assert detail[0]["loc"] == ["query", "since"]
    assert "'since' is not a calendar date" in detail[0]["msg"] and "YYYY-MM-DD" in detail[0]["msg"]
    page = client.get("/claims?until=garbage", headers={"Accept": "text/html"})
    assert page.status_code == 422 and "until" in page.text


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/", "http://[::1/", "http://" + "a" * 64 + ".com/feed",
                                 "http://example.com:abc/"])
@pytest.mark.parametrize("path", ["/api/analyze", "/api/documents"])
def test_api_malformed_fetch_url_is_422(tmp_path, url, path):
    from discernment.store import Store

    client = make_client(Store(f"sqlite:///{tmp_path / 's.db'}"))
    r = client.post(path, json={"fetch": url})
    assert r.status_code == 422, r.text
    assert r.json()["detail"]["code"] == "E110" and "malformed URL" in r.json()["detail"]["reason"]


# -- the four daily loops: every list filters, counts and sorts alike --------------------------------------------
LISTS = ["/api/documents", "/api/claims", "/api/events", "/api/places", "/api/compare", "/api/clusters"]


@pytest.mark.parametrize("path", LISTS)
def test_api_lists_give_their_total_in_body_and_header(client, path):
    r = client.get(path, params={"limit": 2})
    assert r.status_code == 200, r.text
    body = r.json()
    assert isinstance(body["total"], int) and body["total"] >= len(body["items"])
    assert r.headers["X-Total-Count"] == str(body["total"])
    assert (body["next_offset"] is None) == (body["total"] <= 2)


@pytest.mark.parametrize("path", LISTS)
def test_api_lists_take_every_shared_filter(client, path):
    schema = client.get("/openapi.json").json()["paths"][path]["get"]["parameters"]
    names = {p["name"] for p in schema}
    assert {"outlet", "since", "until", "claim_since", "claim_until", "place", "technique", "claimant", "type",
            "sort", "limit", "offset"} <= names
    place = next(p for p in schema if p["name"] == "place")
    assert place["schema"]["anyOf"][0]["type"] == "array"  # repeatable


def test_api_total_counts_every_page(client):
    everything = client.get("/api/claims", params={"limit": 500}).json()
    page = client.get("/api/claims", params={"limit": 3, "offset": 3}).json()
    assert page["total"] == everything["total"] == len(everything["items"])


def test_api_documents_honour_claimant_type_technique_place(client, web_store, doc_ids):
    # before: /api/documents ignored place, technique, claimant and type
    total = client.get("/api/documents").json()["total"]
    for params in ({"claimant": "Russian Ministry of Defence", "type": "territorial_control"},
                   {"technique": "flag waving"}, {"technique": "FLAG-WAVING", "place": "Kupyansk"}):
        body = client.get("/api/documents", params=params).json()
        ids = [d["doc_id"] for d in body["items"]]
        assert doc_ids["overlap"] in ids and body["total"] < total, params
    for doc_id in [d["doc_id"] for d in client.get("/api/documents", params={"type": "strike"}).json()["items"]]:
        assert any(c.type == "strike" for c in web_store.get_document(doc_id).claims)


def test_api_claims_technique_overlaps_the_claim(client, doc_ids):
    rows = client.get("/api/claims", params={"technique": "loaded language", "limit": 500}).json()["items"]
    assert doc_ids["overlap"] in {r["doc_id"] for r in rows}
    # the XSS document's technique (an odd label) spans only its last sentence, after its one claim
    assert doc_ids["xss"] not in {r["doc_id"] for r in rows}


def test_api_place_repeats_and_spellings(client, doc_ids):
    kup = {(r["doc_id"], r["idx"]) for r in client.get("/api/claims?place=Kupyansk&limit=500").json()["items"]}
    izi = {(r["doc_id"], r["idx"]) for r in client.get("/api/claims?place=Izium&limit=500").json()["items"]}
    both = client.get("/api/claims?place=Kupyansk&place=Izium&limit=500").json()
    assert kup and izi and {(r["doc_id"], r["idx"]) for r in both["items"]} == kup | izi
    assert both["total"] == len(kup | izi)
    from discernment.store.queries import gazetteer

    if gazetteer() is not None:
        for spelling in ("Изюм", "Izyum", "Izjum"):
            rows = client.get("/api/claims", params={"place": spelling, "limit": 500}).json()["items"]
            assert {(r["doc_id"], r["idx"]) for r in rows} == izi, spelling


def test_api_since_until_are_publication_dates(client):
    rows = client.get("/api/claims", params={"since": "2024-11-23", "until": "2024-11-23", "limit": 500}).json()
    assert rows["items"] and {r["published"] for r in rows["items"]} == {"2024-11-23"}
    newest = client.get("/api/claims", params={"limit": 500}).json()["items"]
    assert [r["published"] for r in newest] == sorted((r["published"] or "" for r in newest), reverse=True)
    oldest = client.get("/api/claims", params={"limit": 500, "sort": "published"}).json()["items"]
    assert oldest[0]["published"] <= oldest[-1]["published"]
    assert client.get("/api/claims", params={"sort": "drop table"}).status_code == 422


def test_api_events_ledger(client, doc_ids):
    body = client.get("/api/events", params={"limit": 500}).json()
    assert body["total"] == len(body["items"]) >= 2
    row = next(e for e in body["items"] if e["doc_id"] == doc_ids["overlap"])
    assert {"doc_id", "start", "end", "type", "date", "place", "lat", "lon", "precision", "actor", "target",
            "fatalities", "claimant", "outlet", "published", "url"} <= set(row)
    assert (row["type"], row["place"], row["precision"], row["claimant"]) == (
        "SEIZE", "Kupyansk", "settlement", "Russian Ministry of Defence")
    for params in ({"type": "seize"}, {"event_type": "SEIZE"}):
        typed = client.get("/api/events", params={**params, "limit": 500}).json()
        assert typed["items"] and {e["type"] for e in typed["items"]} == {"SEIZE"}
    kup = client.get("/api/events?place=Kupiansk&type=SEIZE&limit=500").json()
    assert doc_ids["overlap"] in [e["doc_id"] for e in kup["items"]] and kup["total"] < body["total"]


def test_api_export_geojson_honours_type_place_claimant(client, doc_ids):
    def features(**params):
        r = client.get("/api/export/events.geojson", params=params)
        assert r.status_code == 200, r.text
        return r.json()["features"]

    everything = features()
    assert {f["properties"]["type"] for f in everything} >= {"SEIZE", "ASSAULT"}
    # before: type, place and claimant were ignored (type=ASSAULT gave every event)
    assault = features(type="ASSAULT")
    assert assault and {f["properties"]["type"] for f in assault} == {"ASSAULT"} and len(assault) < len(everything)
    kup = features(place="Kupyansk", type="SEIZE")
    assert doc_ids["overlap"] in [f["properties"]["document"] for f in kup]
    assert {f["properties"]["type"] for f in kup} == {"SEIZE"} and len(kup) < len(everything)
    claimed = features(claimant="Ministry of Defence")
    assert claimed and all("Ministry of Defence" in (f["properties"]["claimant"] or "") for f in claimed)
    assert all(f["properties"]["precision"] in ("settlement", "site", "admin2", "admin1", "country", "unknown")
               for f in everything)
    with_places = features(type="SEIZE", places="true")
    assert {f["properties"]["kind"] for f in with_places} == {"event", "place"}
    assert {f["properties"]["type"] for f in with_places if f["properties"]["kind"] == "event"} == {"SEIZE"}


def test_api_export_acled_honours_filters_and_leaves_out_unlocated(client):
    r = client.get("/api/export/acled.csv", params={"type": "SEIZE"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and all(row["latitude"] and row["event_date"] for row in rows)
    assert int(r.headers["X-Left-Out"]) >= 0
    every = list(csv.DictReader(io.StringIO(client.get("/api/export/acled.csv").text)))
    assert len(rows) < len(every)
