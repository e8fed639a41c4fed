"""The web queries and pages on both store backends (PostgreSQL needs DATABASE_URL; scripts/test.sh sets it)."""

from __future__ import annotations

from discernment.model import Document, Source

from .conftest import make_client, overlap_document, xss_document


def test_backends_pages_and_api_answer_the_same(store_url):
    from discernment.store import Store

    store = Store(store_url)
    undated = Document("Kyiv reported a quiet night.", source=Source(outlet="Kyiv Independent"))
    store.ingest([overlap_document(), xss_document(), undated], store.start_run("hand-built", {}), "hand-built")
    client = make_client(store)
    docs = client.get("/api/documents").json()["items"]
    assert [d["doc_id"] for d in docs][-1] == undated.id  # undated last on every backend
    places = {p["name"]: p for p in client.get("/api/places").json()["items"]}
    assert places["Kupiansk"]["claims"] == 1 and places["Kupiansk"]["mentions"] == 1
    assert client.get("/api/timeline?place=Kupiansk").json()["summary"]["geonames_id"] == 703656
    for page in ("/documents", "/claims", "/places", "/place/Kupiansk", "/sources", f"/doc/{undated.id}",
                 "/search?q=heroic"):
        assert client.get(page).status_code == 200, page
    assert client.delete(f"/api/documents/{undated.id}").status_code == 200
    assert store.count() == 2
    store.close()
