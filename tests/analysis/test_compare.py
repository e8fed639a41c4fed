"""Cross-source findings over invented articles (tests/data/compare), analysed by the full pipeline and stored in a
real SQLite store and PostgreSQL (when present). One test per pattern of tests/data/compare/manifest.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from discernment.analysis.compare import Settings, compare, fact_clusters
from discernment.analysis.stance import quantity_range, ranges_overlap
from discernment.export.findings import finding_rows, write_findings_csv
from discernment.model import Document, Source
from discernment.store import Store
from discernment.store.queries import Filters

DATA = Path(__file__).resolve().parents[1] / "data" / "compare"
MANIFEST = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))["patterns"]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def analysed(analyzer):
    """Every invented article, analysed once: {pattern: [Document]}."""
    out = {}
    for name, pattern in MANIFEST.items():
        out[name] = [analyzer(Document((DATA / f["path"]).read_text(encoding="utf-8"),
                                       Source(path=f["path"], outlet=f["outlet"], published=f["published"])))
                     for f in pattern["files"]]
    return out


@pytest.fixture
def store_of(store_url, analysed):
    stores = []

    def make(*patterns: str) -> Store:
        st = Store(store_url)
        docs = [d for p in patterns for d in analysed[p]]
        st.ingest(docs, st.start_run("test", {}), "test")
        stores.append(st)
        return st

    yield make
    for st in stores:
        st.close()


def kinds(findings, aspect=None):
    return sorted((f.kind, f.aspect) for f in findings if aspect is None or f.aspect == aspect)


def test_plant_and_city_are_different_subjects(store_of):
    found = compare(store_of("plant-and-city"))
    assert [f for f in found if f.kind == "contradiction"] == []
    clusters = fact_clusters(store_of("plant-and-city"))
    subjects = {(c.subject, c.value) for c in clusters}
    assert any("nuclear power plant" in s and v.startswith("RU") for s, v in subjects)
    assert any(s.startswith("Zapor") and "plant" not in s and v.startswith("UA") for s, v in subjects)


def test_historical_aside_gives_no_finding(store_of):
    assert compare(store_of("historical-aside")) == []


def test_number_that_does_not_name_the_place_is_compared_at_its_event(store_of):
    found = compare(store_of("number-without-place"))
    counts = [f for f in found if f.aspect == "count"]
    contradiction = [f for f in counts if f.kind == "contradiction"]
    assert len(contradiction) == 1
    f = contradiction[0]
    assert "Chaplyne" in f.subject and f.detail["why"] == "victims"
    assert {s["side"] for s in f.sources} == {"RU", "UA"}
    updates = [f for f in counts if f.kind == "update"]
    assert len(updates) == 1 and updates[0].detail["figures"][0].startswith("Twenty-two")
    assert "25" in updates[0].detail["figures"][-1]


def test_relays_of_one_statement_count_once(store_of):
    found = compare(store_of("relay"))
    control = [f for f in found if f.aspect == "control"]
    assert kinds(control) == [("contradiction", "control")]
    f = control[0]
    ru = next(s for s in f.sources if s["side"] == "RU")
    assert ru["source"] == "Russian Defence Ministry"
    assert set(ru["outlets"]) == {"TASS", "RIA Novosti", "RT"}
    assert not [x for x in found if x.kind == "agreement"]


def test_photo_captions_make_no_claimant_and_no_finding(store_of, analysed):
    (doc,) = analysed["photo-caption"]
    claimants = {(c.claimant.canonical or c.claimant.text).lower() for c in doc.claims if c.claimant}
    assert not any("satellite" in c or "photo" in c for c in claimants)
    texts = [c.text for c in doc.claims]
    assert len(texts) == len(set(texts))  # a caption repeated three times is one claim at most
    assert compare(store_of("photo-caption")) == []


def test_villages_of_one_name_in_two_regions_do_not_contradict(store_of):
    found = compare(store_of("same-name-villages"))
    assert [f for f in found if f.kind == "contradiction"] == []


def test_forecast_is_no_assertion(store_of):
    assert [f for f in compare(store_of("forecast")) if f.kind == "contradiction"] == []


def test_captured_then_retaken_in_one_article_is_no_contradiction(store_of):
    assert [f for f in compare(store_of("captured-then-retaken")) if f.kind == "contradiction"] == []


def test_kupiansk_capture_and_denial_contradict(store_of):
    found = compare(store_of("kupiansk-denial"))
    contradictions = [f for f in found if f.kind == "contradiction" and f.aspect == "control"]
    assert len(contradictions) == 1
    f = contradictions[0]
    assert f.subject in ("Kupyansk", "Kupiansk")
    assert {s["side"] for s in f.sources} == {"RU", "UA"}
    assert all(f.a.doc_id and f.a.end > f.a.start for c in f.claims)
    assert len(f.claims) >= 3


def test_opposite_blame_for_the_same_plant_contradicts(store_of):
    found = compare(store_of("blame"))
    blame = [f for f in found if f.aspect == "blame"]
    assert kinds(blame) == [("contradiction", "blame")]
    assert {blame[0].detail["blamed_a"], blame[0].detail["blamed_b"]} == {"RU", "UA"}
    assert "nuclear power plant" in blame[0].subject


def test_independent_reports_agree(store_of):
    found = compare(store_of("agreement"))
    agreements = [f for f in found if f.kind == "agreement" and f.aspect == "control"]
    assert len(agreements) == 1
    assert {o for s in agreements[0].sources for o in s["outlets"]} == {"AP", "Reuters"}


def test_no_duplicate_findings_over_every_pattern(store_of):
    found = compare(store_of(*MANIFEST))
    keys = [(f.kind, f.aspect, f.subject, tuple(sorted(s["source"] for s in f.sources))) for f in found]
    assert len(keys) == len(set(keys))
    pairs = [(f.aspect, f.subject, tuple(sorted(s["source"] for s in f.sources))) for f in found]
    assert len(pairs) == len(set(pairs))  # one finding per subject and pair of sources


def test_filters_kinds_and_exports(store_of, tmp_path):
    st = store_of(*MANIFEST)
    only = compare(st, Filters(place="Kupiansk"))
    assert only and all(f.subject in ("Kupyansk", "Kupiansk") for f in only)
    assert all(f.kind == "contradiction" for f in compare(st, kind="contradiction"))
    assert all(f.aspect == "blame" for f in compare(st, aspect="blame"))
    assert compare(st, Filters(since="2030-01-01")) == []
    rows = list(finding_rows(compare(st)))
    assert rows and all(r["reader"].startswith("/doc/") and r["party"] in ("a", "b") for r in rows)
    path = tmp_path / "findings.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        assert write_findings_csv(compare(st), out) == len(rows)


def test_a_wider_window_turns_a_change_into_a_contradiction(store_of):
    st = store_of("kupiansk-denial")
    narrow = compare(st, settings=Settings(window_days=-1))
    assert "contradiction" not in {f.kind for f in narrow if f.aspect == "control"}


def test_bundled_examples_find_the_kupiansk_contradiction(analyzer, config, store_url):
    from discernment.ingest import ReadOptions, read_inputs

    docs = [d for d in read_inputs([str(EXAMPLES)], ReadOptions.from_config(config, published="2024-11-22"))
            if isinstance(d, Document)]
    st = Store(store_url)
    st.ingest(analyzer.pipe(docs), st.start_run("test", {}), "test")
    found = compare(st)
    st.close()
    assert any(f.kind == "contradiction" and f.aspect == "control" and f.subject in ("Kupyansk", "Kupiansk")
               and {s["side"] for s in f.sources} == {"RU", "UA"} for f in found)


def test_quantity_ranges():
    assert quantity_range({"value": 2000, "low": 2000, "high": None}) == (2000.0, float("inf"))
    assert quantity_range({"value": 400, "low": None, "high": None}) == (400.0, 400.0)
    assert not ranges_overlap((2000, float("inf")), (360, 440))
    assert ranges_overlap((100, 100), (105, 105))


def test_compare_and_its_pages_never_write(store_of, store_url):
    """Reads must not write (issue 20: a cold /compare.json wrote claim vectors for 33 s): every table's row
    count and the SQLite files are unchanged after compare, clusters and their web pages."""
    import hashlib

    from fastapi.testclient import TestClient
    from sqlalchemy import text

    from discernment.store import schema as s
    from discernment.web import WebSettings, create_app

    store = store_of("kupiansk-denial", "blame", "agreement")

    def snapshot():
        with store.engine.connect() as conn:
            counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in s.metadata.tables}
        files = {}
        if store.dialect == "sqlite":
            path = Path(store.engine.url.database)
            for f in (path, path.with_name(path.name + "-wal")):
                files[f.name] = hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else None
        return counts, files

    store.engine.dispose()
    before = snapshot()
    assert compare(store) and fact_clusters(store) is not None
    client = TestClient(create_app(store, WebSettings(token_env="")), base_url="http://127.0.0.1")
    for url in ("/compare.json", "/compare", "/clusters.json", "/api/compare", "/api/clusters",
                "/api/export/findings.csv"):
        assert client.get(url).status_code == 200, url
    store.engine.dispose()
    assert snapshot() == before
