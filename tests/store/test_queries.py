"""The store's query layer on its own (issue "engineering health"): ledger sorting and paging, the filter checks,
search syntax, technique trends, and the store's URL and id helpers. Store tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from discernment.errors import DiscernError
from discernment.model import Claim, Claimant, DateMention, Document, Event, EventPlace, Source, Technique
from discernment.store import Store
from discernment.store.queries import (
    CLAIM_SORTS, EVENT_SORTS, Filters, check_choice, check_date, claims, count_claims, count_events, events,
    fts5_query, like_pattern, normalise_places, query_terms,
)
from discernment.store.store import (
    IngestStats, StoreError, normalise_url, outlet_of, redact_command, redact_url, sqlite_path,
)
from discernment.store.trends import (
    canonical_technique, known_techniques, month_rows, technique_months, technique_name, techniques_by_outlet,
)

# (outlet, published, [(sentence, type, claimant, checkworthy, date or None)], [(event type, date)], techniques)
ARTICLES = [
    ("RT", "2022-05-02",
     [("Russian forces shelled Avdiivka on 1 May, the ministry said.", "strike", "the ministry", 0.9, "2022-05-01"),
      ("Forty soldiers were killed near Popasna, a source said.", "casualties", "a source", 0.4, None)],
     [("ASSAULT", "2022-05-01")], ["Loaded_Language", "Loaded_Language", "Doubt"]),
    ("BBC", "2022-04-20",
     [("Ukraine retook Ruska Lozova on 19 April, officials said.", "territorial_control", "officials", 0.7,
       "2022-04-19")],
     [("SEIZE", "2022-04-19")], ["Doubt"]),
    ("AP", "2022-06-11",
     [("Two tanks were destroyed near Izium, the general staff said.", "equipment_losses", "the general staff", 0.8,
       "2022-06-10"),
      ("Talks will resume in July, the envoy said.", "statement", "the envoy", 0.2, None),
      ("Shelling hit Kharkiv on 9 June, the governor said.", "strike", "the governor", 0.6, "2022-06-09")],
     [("ASSAULT", "2022-06-09"), ("ASSAULT", None)], []),
    ("Reuters", None,
     [("A convoy moved towards Kupiansk, the mayor_office said.", "movement", "the mayor_office", 0.5, None)],
     [], ["Flag-Waving"]),
]


def _document(outlet, published, claim_specs, event_specs, techniques) -> Document:
    text = " ".join(s for s, *_ in claim_specs) + " Words follow here."
    claims_, events_ = [], []
    for sentence, ctype, claimant, score, date in claim_specs:
        start = text.index(sentence)
        dates = (DateMention(start, start + 5, sentence[:5], date),) if date else ()
        claims_.append(Claim(start, start + len(sentence), sentence, ctype, Claimant(claimant, claimant), (), False,
                             score, (), dates, ()))
    for k, (etype, date) in enumerate(event_specs):
        c = claims_[k]
        events_.append(Event(etype, c.start, c.end, "Russian forces", None, EventPlace("Avdiivka", 48.1, 37.7),
                             date, 0, k))
    techs = [Technique(i, i + 4, text[i:i + 4], label, 0.6) for i, label in enumerate(techniques)]
    return Document(text, source=Source(outlet=outlet, published=published, title=text[:20]), claims=claims_,
                    events=events_, techniques=techs)


@pytest.fixture
def store(store_url):
    st = Store(store_url)
    run = st.start_run("test-pipeline v1", {}, "pytest")
    st.ingest([_document(*a) for a in ARTICLES], run, "test-pipeline v1")
    yield st
    st.close()


def _expected_claims(key: str) -> list[str]:
    """The claim sentences in the order ``key`` asks, ties broken by newest publication (undated last)."""
    rows = []
    for outlet, published, specs, _, _ in ARTICLES:
        for sentence, ctype, _, score, date in specs:
            rows.append({"text": sentence, "outlet": outlet, "published": published, "type": ctype,
                         "checkworthy": score, "date": date or published})
    name, descending = key.lstrip("-"), key.startswith("-")

    def value(r, field):
        return r[field].lower() if isinstance(r[field], str) and field == "outlet" else r[field]

    # newest publication first as the tie-break (undated last), then the primary key descending or ascending
    rows.sort(key=lambda r: (r["published"] is None, tuple(-ord(ch) for ch in (r["published"] or ""))))
    if name != "published":
        present = [r for r in rows if r[name] is not None]
        missing = [r for r in rows if r[name] is None]
        present.sort(key=lambda r: value(r, name), reverse=descending)
        rows = present + missing
    elif not descending:
        dated = sorted((r for r in rows if r["published"]), key=lambda r: r["published"])
        rows = dated + [r for r in rows if not r["published"]]
    return [r["text"] for r in rows]


@pytest.mark.parametrize("key", [k for name in CLAIM_SORTS for k in (name, "-" + name)])
def test_claims_ledger_sorts_by_every_key_and_pages_without_overlap(store, key):
    full = [r.text for r in claims(store, Filters(sort=key, limit=100))]
    assert sorted(full) == sorted(_expected_claims("-published"))
    if key.lstrip("-") != "outlet":  # outlet ties keep the publication order; checked below on its own
        assert full == _expected_claims(key)
    paged = [r.text for k in range(len(full)) for r in claims(store, Filters(sort=key, limit=1, offset=k))]
    assert paged == full
    assert count_claims(store, Filters(sort=key)) == len(full)


def test_claims_ledger_sorts_outlets_case_blind_and_unknown_keys_keep_the_default(store):
    outlets = [r.outlet for r in claims(store, Filters(sort="outlet", limit=100))]
    assert outlets == sorted(outlets, key=str.lower)
    assert [r.text for r in claims(store, Filters(sort="nonsense", limit=100))] == \
        [r.text for r in claims(store, Filters(limit=100))]
    newest = [r.published for r in claims(store, Filters(limit=100))]
    assert newest[:3] == ["2022-06-11"] * 3 and newest[-1] is None


@pytest.mark.parametrize("key", [k for name in EVENT_SORTS for k in (name, "-" + name)])
def test_events_ledger_sorts_by_every_key_and_pages_without_overlap(store, key):
    full = [(r.doc_id, r.idx) for r in events(store, Filters(sort=key, limit=100))]
    assert len(full) == len(set(full)) == count_events(store, Filters()) == 4
    paged = [(r.doc_id, r.idx) for k in range(len(full)) for r in events(store, Filters(sort=key, limit=1, offset=k))]
    assert paged == full
    rows = events(store, Filters(sort=key, limit=100))
    if key.lstrip("-") == "type":
        types = [r.type for r in rows]
        assert types == sorted(types, reverse=key.startswith("-"))
    if key == "-date":
        # the event's own date, else its publication date: the undated AP event counts as of 11 June
        assert [r.date for r in rows][:2] == [None, "2022-06-09"]


def test_claim_filters_by_type_outlet_and_claimant_take_like_characters_literally(store):
    assert {r.type for r in claims(store, Filters(type="strike", limit=100))} == {"strike"}
    assert {r.outlet for r in claims(store, Filters(outlet="ap", limit=100))} == {"AP"}
    # "_" in a claimant filter is the character, not LIKE's any-one-character
    assert [r.claimant for r in claims(store, Filters(claimant="mayor_office"))] == ["the mayor_office"]
    assert claims(store, Filters(claimant="mayorxoffice")) == []
    assert claims(store, Filters(claimant="%")) == []


def test_filter_checks_name_the_filter_and_the_format():
    assert check_date(None, "since") is None and check_date("2024-02-29", "since") == "2024-02-29"
    for bad in ("2024-02-30", "24-03-01", "2024-3-1", "yesterday", "2024-03-01T00:00"):
        with pytest.raises(DiscernError) as err:
            check_date(bad, "--since")
        assert err.value.code == "E206" and "--since" in str(err.value) and "YYYY-MM-DD" in str(err.value)
    with pytest.raises(DiscernError) as err:
        Filters(claim_until="31/12/2022")
    assert err.value.code == "E206" and "claim_until" in str(err.value)
    assert check_choice("later", "verdict", ("later", "never")) == "later"
    with pytest.raises(DiscernError) as err:
        check_choice("wrong", "verdict", ("later", "never"))
    assert err.value.code == "E207" and "later, never" in str(err.value)


def test_place_filters_are_normalised():
    assert normalise_places(None) is None and normalise_places(["", "  "]) is None
    assert list(normalise_places([" Izium", "Izium", "Kupiansk "])) == ["Izium", "Kupiansk"]
    assert list(normalise_places("Bakhmut")) == ["Bakhmut"]


def test_like_pattern_escapes_its_wildcards():
    assert like_pattern("a_b%c\\d") == "%a\\_b\\%c\\\\d%"


def test_search_terms_and_fts5_syntax_cannot_be_injected():
    assert query_terms('Izium "general staff" shelled') == ["Izium", "general staff", "shelled"]
    assert query_terms('"" " ') == []
    assert fts5_query([["Izium", "Izyum"], ["shelled"]]) == '("Izium" OR "Izyum") AND "shelled"'
    # a quote inside a term cannot close the phrase and add FTS5 operators
    assert fts5_query([['x" OR NEAR(a b) "']]) == '"x OR NEAR(a b) "'
    assert fts5_query([[" "], []]) == '""'  # nothing to look for: the empty phrase, which matches nothing


def test_search_finds_a_phrase_and_survives_fts_operators(store):
    from discernment.store.queries import search

    hits = search(store, '"general staff"')
    assert [h.outlet for h in hits] == ["AP"]
    assert search(store, 'NEAR( OR AND "') == []


# -- technique trends -----------------------------------------------------------------------------------------
def test_technique_months_counts_per_outlet_and_month(store):
    table = technique_months(store, min_articles=1)
    cells = {(c.outlet, c.month): c for c in table.cells}
    assert table.months[-1] == "undated" and table.months[0] == "2022-04"
    rt = cells[("RT", "2022-05")]
    assert rt.techniques == 3 and rt.by_technique == {"Loaded_Language": 2, "Doubt": 1}
    assert rt.per_1000_words == round(1000 * 3 / rt.words, 3) and not rt.small_sample
    assert cells[("AP", "2022-06")].techniques == 0
    assert cells[("Reuters", "undated")].techniques == 1
    one = technique_months(store, technique="loaded language", min_articles=2)
    assert one.technique == "Loaded_Language" and one.technique_name == "Loaded language"
    assert {(c.outlet, c.techniques) for c in one.cells} >= {("RT", 2), ("BBC", 0)}
    assert all(c.small_sample for c in one.cells)
    unknown = technique_months(store, technique="no such technique")
    assert all(c.techniques == 0 for c in unknown.cells)
    rows = month_rows(one)
    assert rows[0].keys() >= {"outlet", "month", "technique", "per_1000_words"} and rows[0]["technique"] == \
        "Loaded_Language"
    assert month_rows(table)[0]["technique"] == "all"


def test_technique_trends_filter_by_outlet_and_dates(store):
    only_rt = technique_months(store, Filters(outlet="rt"))
    assert only_rt.outlets == ["RT"]
    spring = technique_months(store, Filters(since="2022-04-01", until="2022-04-30"))
    assert spring.outlets == ["BBC"] and spring.months == ["2022-04"]
    assert techniques_by_outlet(store) == {"RT": [("Loaded_Language", 2), ("Doubt", 1)], "BBC": [("Doubt", 1)],
                                           "Reuters": [("Flag-Waving", 1)]}


def test_technique_names_and_canonical_labels(store):
    assert technique_name("Name_Calling,Labeling") == "Name calling / labeling"
    assert technique_name("some_New,Label") == "Some New / Label"
    known = known_techniques(store)
    assert "Loaded_Language" in known and known == sorted(known, key=lambda t: technique_name(t).lower())
    assert canonical_technique(store, "LOADED_LANGUAGE") == "Loaded_Language"
    assert canonical_technique(store, "name calling / labeling") == "Name_Calling,Labeling"
    assert canonical_technique(store, "") is None and canonical_technique(store, "nothing") is None


# -- the store's own helpers ----------------------------------------------------------------------------------
def test_store_urls_are_normalised_and_passwords_never_shown(tmp_path, monkeypatch):
    assert normalise_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert normalise_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("DISCERN_DB", "sqlite:////tmp/env.db")
    assert normalise_url(None) == "sqlite:////tmp/env.db"
    assert sqlite_path("sqlite:////tmp/a.db") == "/tmp/a.db"
    assert sqlite_path("sqlite:///:memory:") is None and sqlite_path("postgresql+psycopg://h/db") is None
    assert "secret" not in redact_url("postgresql+psycopg://me:secret@host/db")
    assert redact_url("sqlite:////tmp/a.db") == "sqlite:////tmp/a.db"
    assert redact_command(["discern", "ingest", "--db", "postgresql://me:secret@h/db"]) == \
        "discern ingest --db postgresql://me:***@h/db"


def test_read_commands_never_create_a_store(tmp_path):
    with pytest.raises(StoreError) as err:
        Store(str(tmp_path / "missing.db"), create=False)
    assert err.value.code == "E605" and "missing.db" in str(err.value)
    assert not (tmp_path / "missing.db").exists()


def test_store_ids_runs_and_counts(store):
    ids = store.document_ids()
    assert len(ids) == store.count() == 4 and ids == sorted(ids)
    assert store.resolve_id(ids[0][:12]) == ids[0]
    assert store.resolve_id("") is None and store.resolve_id("zz-not-hex") is None
    assert store.resolve_id(ids[0][:0] + "0123456789abcdef" * 4) is None
    assert store.stored_pipeline(ids[0]) == "test-pipeline v1" and store.stored_pipeline("0" * 64) is None
    run = store.runs()[-1]
    assert run["pipeline"] == "test-pipeline v1" and run["command"] == "pytest"
    assert sorted(store.run_documents(run["id"])) == ids
    store.finish_run(run["id"], IngestStats(added=4))
    assert store.runs()[-1]["documents_added"] == 4 and store.runs()[-1]["finished_at"]
    assert store.count("claims") == 7 and store.count("events") == 4


def test_outlet_of_falls_back_to_the_host_then_unknown():
    assert outlet_of(Document("x", source=Source(outlet="  TASS "))) == "TASS"
    assert outlet_of(Document("x", source=Source(url="https://www.bbc.co.uk/news/1"))) == "bbc.co.uk"
    assert outlet_of(Document("x", source=Source())) == "unknown"


def test_ingest_stats_add_up():
    a, b = IngestStats(added=2, skipped=1), IngestStats(updated=3, refused=1)
    a.add(b)
    assert (a.added, a.updated, a.skipped, a.refused, a.total) == (2, 3, 1, 1, 6)
