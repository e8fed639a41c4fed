"""The read commands end to end (`claims`, `events`, `timeline`, `sources`, `search`, `show`, `export`, `maps list`,
`maps check`) on one small store of invented articles, and the usage errors they answer with exit status 2."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from discernment.model import Document, Source
from discernment.store import Store
from discernment.store.queries import Filters, claims

REPO = Path(__file__).resolve().parents[2]

# Invented articles: a capture claim, its denial, a shelling with casualties in a city, a count of drones with
# events at an oblast and at the country's centroid.
ARTICLES = [
    ("tass.txt", "TASS", "2024-06-03",
     "MOSCOW, June 3 - Russian forces have captured the village of Staromaiorske in the Donetsk region, the Russian "
     "Defence Ministry said on Monday. It said Ukraine lost up to 85 servicemen in the area over the past day."),
    ("ukrinform.txt", "Ukrinform", "2024-06-04",
     "KYIV, June 4 - The Ukrainian army denied on Tuesday that Staromaiorske had fallen, saying its troops repelled "
     "three assaults near the village. \"The village remains under our control,\" a brigade spokesman said."),
    ("guardian.txt", "The Guardian", "2024-06-07",
     "ZAPORIZHZHIA, June 7 - Russian shelling killed four civilians in Zaporizhzhia on Friday, regional governor "
     "Ivan Fedorov said. A glide bomb hit an industrial site on the edge of the city, he added."),
    ("bbc.txt", "BBC", "2024-06-10",
     "Ukraine's air force said on Monday that Russia launched 24 Shahed drones overnight and that 22 of them were "
     "destroyed over the Mykolaiv and Kherson regions. Russian troops also shelled Ukraine's south, officials said."),
]
OUTLETS = {outlet for _, outlet, _, _ in ARTICLES}


def discern(*args, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "discernment", *args], capture_output=True, cwd=REPO, timeout=300,
                            env={**os.environ, "COLUMNS": "200"})
    if check and result.returncode != 0:
        raise AssertionError(f"discern {' '.join(args)} exited {result.returncode}: {result.stderr.decode()}")
    return result


def as_json(*args):
    return json.loads(discern(*args, "--format", "json").stdout)


@pytest.fixture(scope="module")
def db(analyzer, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("cli") / "war.db"
    store = Store(f"sqlite:///{path}")
    docs = [analyzer(Document(text, Source(path=name, outlet=outlet, published=day)))
            for name, outlet, day, text in ARTICLES]
    store.ingest(docs, store.start_run("test", {}), "test")
    store.close()
    return str(path)


@pytest.fixture(scope="module")
def ids(db) -> dict[str, str]:
    """outlet -> document id."""
    store = Store(db, create=False)
    out = {r.outlet: r.doc_id for r in claims(store, Filters(limit=1000))}
    store.close()
    return out


@pytest.fixture(scope="module")
def ledger(db) -> list[dict]:
    """Every claim, as `discern claims --format json` gives it."""
    return as_json("claims", "--db", db, "--limit", "1000")


def keys(rows) -> list[tuple[str, int]]:
    return [(r["doc_id"], int(r["idx"])) for r in rows]


# -- claims --------------------------------------------------------------------------------------------------------
def test_claims_json_rows_cite_their_text_newest_first(db, ledger):
    assert len(ledger) >= len(ARTICLES) and {r["outlet"] for r in ledger} == OUTLETS
    assert {"doc_id", "idx", "start", "end", "text", "type", "claimant", "via", "hedged", "outlet", "published",
            "places", "quantities", "as_of", "verdict"} <= set(ledger[0])
    published = [r["published"] for r in ledger]
    assert published == sorted(published, reverse=True)  # the default order: newest publication first
    store = Store(db, create=False)
    for row in ledger:
        assert store.get_document(row["doc_id"]).text[row["start"]:row["end"]] == row["text"]
    store.close()


def test_claims_csv_has_the_same_rows_as_json(db, ledger):
    text = discern("claims", "--db", db, "--format", "csv", "--limit", "1000").stdout.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert keys(rows) == keys(ledger)
    assert {"doc_id", "idx", "start", "end", "text", "outlet", "published"} <= set(rows[0])
    assert [r["text"].removeprefix("'") for r in rows] == [r["text"] for r in ledger]


def test_claims_place_filter_any_spelling_and_repeated(db, ledger, ids):
    city = as_json("claims", "--db", db, "--place", "Zaporizhzhia")
    assert city and {r["doc_id"] for r in city} == {ids["The Guardian"]}
    assert all("Zaporizhzhya" in r["places"] for r in city)  # stored under GeoNames' spelling
    # repeated: any of them; "Zaporizhzhya" is the other spelling of the same city
    both = as_json("claims", "--db", db, "--place", "Staromaiorske", "--place", "Zaporizhzhya")
    village = [k for k, r in zip(keys(both), both) if r["doc_id"] != ids["The Guardian"]]
    assert set(keys(both)) - set(village) == set(keys(city))
    assert village and {r["outlet"] for r in both if r["doc_id"] != ids["The Guardian"]} == {"TASS"}
    assert set(village) == {k for k, r in zip(keys(ledger), ledger) if "Staromaiorske" in r["places"]}
    oblast = as_json("claims", "--db", db, "--place", "Donetsk Oblast")  # an oblast takes in its villages
    assert set(village) <= set(keys(oblast)) and not set(keys(city)) & set(keys(oblast))


def test_claims_outlet_filter(db, ledger):
    bbc = as_json("claims", "--db", db, "--outlet", "BBC")
    assert bbc and {r["outlet"] for r in bbc} == {"BBC"}
    assert keys(bbc) == [k for k, r in zip(keys(ledger), ledger) if r["outlet"] == "BBC"]


def test_claims_since_until_are_inclusive_publication_dates(db, ledger):
    rows = as_json("claims", "--db", db, "--since", "2024-06-04", "--until", "2024-06-07")
    assert {r["outlet"] for r in rows} == {"Ukrinform", "The Guardian"}
    assert keys(rows) == [k for k, r in zip(keys(ledger), ledger) if "2024-06-04" <= r["published"] <= "2024-06-07"]


def test_claims_sort(db, ledger):
    oldest = as_json("claims", "--db", db, "--sort", "published", "--limit", "1000")
    assert [r["published"] for r in oldest] == sorted(r["published"] for r in ledger)
    worthy = as_json("claims", "--db", db, "--sort", "-checkworthy", "--limit", "1000")
    assert [r["checkworthy"] for r in worthy] == sorted((r["checkworthy"] for r in ledger), reverse=True)
    assert sorted(keys(worthy)) == sorted(keys(ledger))  # the same rows, in another order


def test_claims_limit_and_offset_page_through_the_ledger(db, ledger):
    assert len(ledger) >= 5
    page = as_json("claims", "--db", db, "--limit", "3", "--offset", "2")
    assert keys(page) == keys(ledger)[2:5]
    assert discern("claims", "--db", db, "--limit", "0", check=False).returncode == 2  # --limit is at least 1


# -- events, timeline, sources, search, show -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def event_rows(db) -> list[dict]:
    """Every event, as `discern events --format json` gives it."""
    return as_json("events", "--db", db, "--limit", "1000")


def test_events_ledger_and_its_filters(db, ids, event_rows):
    rows = event_rows
    assert rows and {"type", "date", "place", "lat", "lon", "precision", "claimant", "doc_id", "start", "end",
                     "text"} <= set(rows[0])
    store = Store(db, create=False)
    for row in rows:
        assert store.get_document(row["doc_id"]).text[row["start"]:row["end"]] == row["text"]
    store.close()
    seize = as_json("events", "--db", db, "--type", "seize")  # any case
    assert [(r["type"], r["place"], r["precision"], r["doc_id"]) for r in seize] == \
        [("SEIZE", "Staromaiorske", "settlement", ids["TASS"])]
    city = as_json("events", "--db", db, "--place", "Zaporizhzhia")
    assert city and {(r["place"], r["outlet"]) for r in city} == {("Zaporizhzhia", "The Guardian")}
    assert city[0]["fatalities"] == 4
    assert {r["precision"] for r in rows if r["place"] == "Ukraine"} == {"country"}


def test_timeline_of_a_place_by_date(db, ids):
    rows = as_json("timeline", "Staromaiorske", "--db", db)
    assert rows and {r["doc_id"] for r in rows} == {ids["TASS"]}
    assert {r["kind"] for r in rows} == {"claim", "event"}
    assert ("event", "SEIZE") in {(r["kind"], r["type"]) for r in rows}
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    city = as_json("timeline", "Zaporizhzhya", "--db", db)
    assert city and {r["outlet"] for r in city} == {"The Guardian"}


def test_sources_profiles_carry_a_track_record_key(db, ledger):
    profiles = as_json("sources", "--db", db)
    assert {p["outlet"] for p in profiles} == OUTLETS
    assert all("track_record" in p and p["track_record"] is None for p in profiles)  # no maps imported
    assert sum(p["articles"] for p in profiles) == len(ARTICLES)
    assert sum(p["claims"] for p in profiles) == len(ledger)
    for p in profiles:
        assert sum(p["claims_by_type"].values()) == p["claims"]
        assert p["claims"] == sum(1 for r in ledger if r["outlet"] == p["outlet"])


def test_search_finds_words_and_phrases(db, ids):
    hits = as_json("search", "glide bomb", "--db", db)
    assert [h["doc_id"] for h in hits] == [ids["The Guardian"]]
    assert "[glide]" in hits[0]["snippet"] or "[glide bomb]" in hits[0]["snippet"]
    # both the capture and the denial name the village; --outlet keeps one
    assert [h["doc_id"] for h in as_json("search", "Staromaiorske", "--db", db, "--outlet", "Ukrinform")] == \
        [ids["Ukrinform"]]
    assert as_json("search", '"glide bomb"', "--db", db, "--outlet", "BBC") == []


def test_show_prints_a_span_in_context(db, ledger):
    row = next(r for r in ledger if r["outlet"] == "The Guardian")
    span = f"{row['start']}:{row['end']}"
    out = discern("show", row["doc_id"][:12], "--db", db, "--span", span, "--context", "5").stdout.decode()
    assert row["doc_id"] in out and "The Guardian" in out and f"characters {span}" in out
    assert " ".join(row["text"].split()) in " ".join(out.split())
    doc = json.loads(discern("show", row["doc_id"], "--db", db, "--format", "json").stdout)
    assert doc["id"] == row["doc_id"] and doc["text"][row["start"]:row["end"]] == row["text"]
    outside = discern("show", row["doc_id"], "--db", db, "--span", f"0:{len(doc['text']) + 1}", check=False)
    assert outside.returncode == 2 and "outside the text" in outside.stderr.decode()
    assert discern("show", "ffffffff", "--db", db, check=False).returncode == 1


# -- export --------------------------------------------------------------------------------------------------------
def test_export_formats_write_files_consistent_with_the_lists(db, ledger, event_rows, tmp_path):
    def export(fmt: str) -> tuple[str, str]:
        path = tmp_path / f"out.{fmt}"
        result = discern("export", "--db", db, "--format", fmt, "-o", str(path))
        assert path.exists() and path.stat().st_size > 0
        return path.read_text(encoding="utf-8"), result.stderr.decode()

    text, err = export("csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(keys(rows)) == sorted(keys(ledger)) and f"exported {len(rows)} rows" in err
    assert all(r["reader"] == f"/doc/{r['doc_id']}?span={r['start']}-{r['end']}" for r in rows)

    text, err = export("json")
    docs = [json.loads(line) for line in text.splitlines()]
    assert len(docs) == len(ARTICLES) and f"exported {len(docs)} documents" in err
    assert {d["source"]["outlet"] for d in docs} == OUTLETS

    events = event_rows
    located = [e for e in events if e["lat"] is not None]
    text, err = export("geojson")
    features = json.loads(text)["features"]
    assert json.loads(text)["type"] == "FeatureCollection" and f"exported {len(features)} rows" in err
    assert len(features) == len(located) < len(events)
    assert sorted(f["geometry"]["coordinates"] for f in features) == sorted([e["lon"], e["lat"]] for e in located)

    text, err = export("acled")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and f"exported {len(rows)} rows" in err
    left = len(events) - len(rows)
    assert left > 0 and f"left out {left} events ACLED would not code" in err
    assert "no location" in err and "country only" in err


def test_export_to_standard_output_honours_filters(db, ledger):
    text = discern("export", "--db", db, "--format", "csv", "--outlet", "BBC").stdout.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["outlet"] for r in rows} == {"BBC"}
    assert len(rows) == sum(1 for r in ledger if r["outlet"] == "BBC")
    geo = json.loads(discern("export", "--db", db, "--format", "geojson", "--type", "SEIZE").stdout)
    assert [f["properties"]["place"] for f in geo["features"]] == ["Staromaiorske"]


# -- control maps on a store without any -----------------------------------------------------------------------------
def test_maps_list_and_check_on_a_store_without_maps(db):
    assert as_json("maps", "list", "--db", db) == []
    assert as_json("maps", "check", "--db", db) == []
    assert as_json("maps", "check", "--db", db, "--records", "source") == []


# -- usage errors ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [["claims"], ["timeline", "Kharkiv"], ["show", "abc"], ["maps", "list"]])
def test_a_missing_store_is_refused_and_nothing_is_created(command, tmp_path):
    missing = tmp_path / "nowhere" / "war.db"
    result = discern(*command, "--db", str(missing), check=False)
    assert result.returncode == 2 and "E605" in result.stderr.decode() and result.stdout == b""
    assert not missing.parent.exists()


def test_export_to_a_missing_store_writes_no_output_file(tmp_path):
    output = tmp_path / "claims.csv"
    result = discern("export", "--db", str(tmp_path / "war.db"), "--format", "csv", "-o", str(output), check=False)
    assert result.returncode == 2 and "E605" in result.stderr.decode()
    assert not output.exists() and not (tmp_path / "war.db").exists()


def test_an_unknown_verdict_is_a_usage_error(db):
    result = discern("claims", "--db", db, "--verdict", "plausible", check=False)
    assert result.returncode == 2 and "--verdict" in result.stderr.decode() and result.stdout == b""


@pytest.mark.parametrize("command, option, value", [
    (["claims"], "--since", "garbage"), (["events"], "--until", "2024-13-45"),
    (["export", "--format", "csv"], "--since", "2024-02-30"),
])
def test_a_bad_date_is_a_usage_error(db, tmp_path, command, option, value):
    output = tmp_path / "out.csv"
    extra = ["-o", str(output)] if command[0] == "export" else []
    result = discern(*command, "--db", db, option, value, *extra, check=False)
    err = result.stderr.decode()
    assert result.returncode == 2 and "E206" in err and repr(value) in err and result.stdout == b""
    assert not output.exists()
