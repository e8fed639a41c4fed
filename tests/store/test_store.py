"""The store on SQLite and on a real PostgreSQL server: the same tests for both."""

import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_model import full_document  # noqa: E402

from discernment.model import (  # noqa: E402
    Claim, Claimant, Document, Event, EventPlace, Place, Source, Technique,
)
from discernment.store import Store  # noqa: E402
from discernment.store.queries import Filters, claims, search, sources, timeline  # noqa: E402


def article(text: str, outlet: str, published: str, place: str, place_name: str, gid: int, ctype: str,
            claimant: str, technique: str | None = None, hedged: bool = False, event: str | None = None) -> Document:
    p = text.index(place)
    places = [Place(p, p + len(place), place, place_name, 49.7, 37.6, "UA", "Kharkiv Oblast", gid, "PPL", 0.9)]
    sentence_end = text.index(".") + 1
    claim = Claim(0, sentence_end, text[:sentence_end], ctype, Claimant(claimant, claimant), (), hedged, 0.7, (),
                  (), (0,))
    events = [Event(event, 0, sentence_end, "Russian forces", None, EventPlace(place, 49.7, 37.6), published, 0,
                    None)] if event else []
    techniques = [Technique(0, 5, text[0:5], technique, 0.6)] if technique else []
    return Document(text, source=Source(outlet=outlet, published=published, title=text[:20]), places=places,
                    claims=[claim], events=events, techniques=techniques)


@pytest.fixture
def corpus():
    return [
        article("Russian troops captured Kupyansk on Friday, the ministry said. More text follows here.", "RT",
                "2022-09-09", "Kupyansk", "Kupiansk", 706524, "territorial_control", "Russian Defence Ministry",
                technique="Loaded_Language", event="SEIZE"),
        article("Ukrainian forces retook Kupiansk, the General Staff said. Residents were evacuated.", "Reuters",
                "2022-09-10", "Kupiansk", "Kupiansk", 706524, "territorial_control", "Ukrainian General Staff",
                hedged=True),
        article("Shelling hit Izium overnight, officials said. Two people were hurt.", "BBC", "2022-09-11",
                "Izium", "Izium", 707292, "strike", "officials"),
    ]


@pytest.fixture
def store(store_url, corpus):
    st = Store(store_url)
    run = st.start_run("test-pipeline v1", {"k": 1}, "pytest")
    st.ingest(corpus, run, "test-pipeline v1")
    yield st
    st.close()


def test_store_roundtrip_is_lossless(store_url):
    st = Store(store_url)
    doc = full_document()
    st.ingest([doc], st.start_run("p", {}), "p")
    back = st.get_document(doc.id)
    assert back.to_dict() == doc.to_dict()
    st.close()


def test_store_ingest_is_idempotent_and_records_reanalysis(store_url, corpus):
    st = Store(store_url)
    first = st.ingest(corpus, st.start_run("v1", {}), "v1")
    again = st.ingest(corpus, st.start_run("v1", {}), "v1")
    newer = st.ingest(corpus[:1], st.start_run("v2", {}), "v2")
    assert (first.added, again.skipped, newer.updated) == (3, 3, 1)
    assert st.count("documents") == 3 and st.count("claims") == 3 and st.count("analyses") == 4
    assert st.get_document(corpus[0].id).to_dict() == corpus[0].to_dict()
    st.close()


def test_store_migrations_create_every_table(store_url):
    st = Store(store_url)
    names = set(inspect(st.engine).get_table_names())
    assert {"documents", "runs", "analyses", "entities", "places", "quotes", "claims", "claim_places", "events",
            "techniques", "alembic_version"} <= names
    Store(store_url).close()  # opening again (migrating again) is harmless
    st.close()


def test_store_failed_batch_leaves_nothing_half_written(store_url, corpus):
    st = Store(store_url)
    run = st.start_run("v1", {})

    def docs():
        yield corpus[0]
        raise RuntimeError("crash in the middle of a batch")

    with pytest.raises(RuntimeError):
        st.ingest(docs(), run, "v1", batch_size=10)
    assert st.count("documents") == 0 and st.count("claims") == 0
    st.close()


def test_store_search_finds_words_and_phrases_with_filters(store):
    assert [h.outlet for h in search(store, "Kupiansk", spellings=False)] == ["Reuters"]
    hits = search(store, '"General Staff"')
    assert len(hits) == 1 and "[" in hits[0].snippet
    assert search(store, "said", Filters(outlet="BBC"))[0].outlet == "BBC"
    assert {h.outlet for h in search(store, "said", Filters(since="2022-09-10"))} == {"Reuters", "BBC"}
    assert [h.outlet for h in search(store, "said", Filters(technique="Loaded_Language"))] == ["RT"]
    assert search(store, "nonexistentword") == []
    assert search(store, 'odd "query -with: punctuation*') == []


def test_store_search_matches_every_stored_spelling_of_a_place(store):
    # "Kupyansk" (RT) and "Kupiansk" (Reuters) resolved to the same GeoNames id
    assert sorted(h.outlet for h in search(store, "Kupyansk")) == ["RT", "Reuters"]
    assert [h.outlet for h in search(store, "Kupyansk", spellings=False)] == ["RT"]
    assert sorted(h.outlet for h in search(store, "Kupiansk said")) == ["RT", "Reuters"]


def test_store_claims_ledger_filters_by_place_across_spellings(store):
    rows = claims(store, Filters(place="Kupyansk"))
    assert sorted(r.outlet for r in rows) == ["RT", "Reuters"]
    assert all(r.places == ["Kupiansk"] for r in rows)
    assert [r.outlet for r in claims(store, Filters(type="strike"))] == ["BBC"]
    assert [r.outlet for r in claims(store, Filters(claimant="defence ministry"))] == ["RT"]
    row = claims(store, Filters(outlet="RT"))[0]
    doc = store.get_document(row.doc_id)
    assert doc.text[row.start:row.end] == row.text


def test_store_timeline_orders_claims_and_events_by_date(store):
    entries = timeline(store, "Kupiansk")
    assert [(e.date, e.outlet, e.kind) for e in entries] == [
        ("2022-09-09", "RT", "claim"), ("2022-09-09", "RT", "event"), ("2022-09-10", "Reuters", "claim")]
    event = entries[1]
    assert event.type == "SEIZE" and event.claimant == "Russian Defence Ministry"


def test_store_sources_profile_outlets(store):
    profiles = {p.outlet: p for p in sources(store)}
    assert set(profiles) == {"RT", "Reuters", "BBC"}
    assert profiles["Reuters"].hedged_rate == 1.0 and profiles["RT"].hedged_rate == 0.0
    assert profiles["RT"].top_techniques == [("Loaded_Language", 1)]
    assert profiles["RT"].techniques_per_1000_words > 0


def test_store_delete_document_removes_every_layer(store, corpus):
    assert store.delete_document(corpus[0].id)
    assert store.get_document(corpus[0].id) is None and store.count("claims") == 2 and store.count("events") == 0
    assert search(store, "captured") == []


def test_store_head_revision_constant_matches_the_migrations():
    from importlib import resources

    from alembic.script import ScriptDirectory

    from discernment.store.store import HEAD_REVISION

    scripts = ScriptDirectory(str(resources.files("discernment.store") / "migrations"))
    assert scripts.get_current_head() == HEAD_REVISION


def test_store_mark_duplicates_hides_same_outlet_copies_only(store_url):
    body = ("Russian forces shelled the centre of Kharkiv overnight, damaging a school and two apartment blocks, "
            "the regional governor said on Tuesday. Two people were injured and taken to hospital, and emergency "
            "crews worked through the night to clear the rubble from the streets around the school.")
    first = article(body + " First version.", "RT", "2022-09-09", "Kharkiv", "Kharkiv", 706483, "strike", "governor")
    recrawl = article(body + " Second version.", "RT", "2022-09-10", "Kharkiv", "Kharkiv", 706483, "strike",
                      "governor")
    relay = article(body + " Third version.", "TASS", "2022-09-10", "Kharkiv", "Kharkiv", 706483, "strike",
                    "governor")
    st = Store(store_url)
    st.ingest([first, recrawl, relay], st.start_run("p", {}), "p")
    assert st.mark_duplicates() == 2
    assert st.get_document(recrawl.id).duplicate_of == first.id
    assert sorted(r.outlet for r in claims(st, Filters(place="Kharkiv"))) == ["RT", "TASS"]
    assert len(claims(st, Filters(place="Kharkiv", include_copies=True))) == 3
    assert sorted(h.outlet for h in search(st, "rubble")) == ["RT", "TASS"]
    st.close()
