"""The store commands end to end: ingest the team's examples, then query them in every output format."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def discern(*args, check=True):
    result = subprocess.run([sys.executable, "-m", "discernment", *args], capture_output=True, cwd=REPO,
                            timeout=600, env={**__import__("os").environ, "COLUMNS": "200"})
    if check and result.returncode != 0:
        raise AssertionError(result.stderr.decode())
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "examples.db"
    first = discern("ingest", "examples", "--db", str(path), "--published", "2024-11-22")
    assert "7 added" in first.stderr.decode()
    return str(path)


def test_cli_ingest_again_skips_everything(db):
    again = discern("ingest", "examples", "--db", db, "--published", "2024-11-22")
    assert "0 added" in again.stderr.decode() and "7 already stored" in again.stderr.decode()


def test_cli_ingest_reports_bad_files_and_stores_the_rest(tmp_path):
    (tmp_path / "good.txt").write_text("Russian forces shelled Kharkiv on Monday, the governor said.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    result = discern("ingest", str(tmp_path), "--db", str(tmp_path / "s.db"), check=False)
    assert result.returncode == 1 and "bad.txt" in result.stderr.decode() and "1 added" in result.stderr.decode()


def test_cli_search_json_and_csv(db):
    hits = json.loads(discern("search", "Kupiansk", "--db", db, "--format", "json").stdout)
    # the search also matches the other spellings the store resolved to the same town
    assert hits and all("[Kupiansk]" in h["snippet"] or "[Kupyansk]" in h["snippet"] for h in hits)
    assert any("[Kupyansk]" in h["snippet"] for h in hits)
    rows = list(csv.DictReader(io.StringIO(discern("search", "drones", "--db", db, "--format", "csv").stdout.decode())))
    assert rows and {"doc_id", "snippet", "outlet"} <= set(rows[0])


def test_cli_claims_rows_point_at_their_text(db):
    rows = json.loads(discern("claims", "--db", db, "--format", "json", "--limit", "500").stdout)
    from discernment.store import Store

    store = Store(db)
    for row in rows:
        doc = store.get_document(row["doc_id"])
        assert doc.text[row["start"]:row["end"]] == row["text"]


def test_cli_timeline_sources_compare_clusters_run(db):
    assert discern("timeline", "Kupyansk", "--db", db, "--format", "json").returncode == 0
    profiles = json.loads(discern("sources", "--db", db, "--format", "json").stdout)
    assert sum(p["articles"] for p in profiles) == 7
    assert isinstance(json.loads(discern("compare", "--db", db, "--format", "json").stdout), list)
    assert isinstance(json.loads(discern("clusters", "--db", db, "--format", "json").stdout), list)
    table = discern("sources", "--db", db).stdout.decode()
    assert "Example Monitor" in table


def test_cli_bad_store_url_is_a_usage_error(tmp_path):
    result = discern("search", "x", "--db", "postgresql://nobody@127.0.0.1:1/none", check=False)
    assert result.returncode == 2 and "cannot open store" in result.stderr.decode()


def test_cli_show_prints_a_span_in_context(db):
    rows = json.loads(discern("claims", "--db", db, "--format", "json", "--limit", "1").stdout)
    row = rows[0]
    out = discern("show", row["doc_id"][:12], "--db", db, "--span", f"{row['start']}:{row['end']}").stdout.decode()
    assert f"characters {row['start']}:{row['end']}" in out
    doc = json.loads(discern("show", row["doc_id"], "--db", db, "--format", "json").stdout)
    assert doc["id"] == row["doc_id"]
    assert discern("show", "ffff", "--db", db, check=False).returncode == 1


def test_cli_claims_place_repeats_any_of_them(db):
    def keys(*places):
        args = [a for p in places for a in ("--place", p)]
        rows = json.loads(discern("claims", "--db", db, "--format", "json", "--limit", "5000", *args).stdout)
        return {(r["doc_id"], r["idx"]) for r in rows}

    kup, kharkiv = keys("Kupiansk"), keys("Kharkiv")
    assert kup and kharkiv and keys("Kupiansk", "Kharkiv") == kup | kharkiv


def test_cli_export_geojson_and_acled_honour_the_type(db, tmp_path):
    everything = json.loads(discern("export", "--db", db, "--format", "geojson").stdout)["features"]
    types = sorted({f["properties"]["type"] for f in everything})
    assert len(types) >= 2  # else the filter below proves nothing
    # before: --type did not exist and every event was exported
    typed = json.loads(discern("export", "--db", db, "--format", "geojson", "--type", types[0].lower()).stdout)
    assert typed["features"] and {f["properties"]["type"] for f in typed["features"]} == {types[0]}
    assert all("precision" in f["properties"] for f in everything)
    result = discern("export", "--db", db, "--format", "acled", "-o", str(tmp_path / "a.csv"))
    rows = list(csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert all(r["latitude"] and r["event_date"] for r in rows)
    assert "exported" in result.stderr.decode()


def test_cli_ingest_since_until_limit_and_outlet_from_the_url(tmp_path):
    records = [{"text": f"Russian forces shelled Kharkiv on day {day}, the governor said.", "published": f"2024-03-{day:02d}",
                "url": f"https://www.example-news.org/a/{day}"} for day in (1, 2, 3, 4, 5)]
    records.append({"text": "An undated note about Kharkiv, the governor said.", "url": "https://x.example/1"})
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    first = discern("ingest", str(path), "--db", db, "--since", "2024-03-02", "--until", "2024-03-04", "--limit", "2")
    assert "2 added" in first.stderr.decode(), first.stderr.decode()
    docs = json.loads(discern("claims", "--db", db, "--format", "json").stdout)
    assert {d["published"] for d in docs} == {"2024-03-02", "2024-03-03"}
    # no outlet column: the outlet is the URL's host, in the stored source too (it used to be stored as null)
    from discernment.store import Store

    store = Store(db)
    doc = store.get_document(docs[0]["doc_id"])
    assert doc.source.outlet == "example-news.org"
    second = discern("ingest", str(path), "--db", db, "--since", "2024-03-02", "--until", "2024-03-04")
    assert "1 added" in second.stderr.decode() and "published outside" in second.stderr.decode()
    assert discern("ingest", str(path), "--db", db, "--since", "2024-3-2", check=False).returncode == 2


def test_cli_events_ledger_filters_by_type(db):
    rows = json.loads(discern("events", "--db", db, "--format", "json", "--limit", "5000").stdout)
    assert rows and {"place", "precision", "published", "claimant", "doc_id", "start", "end"} <= set(rows[0])
    kind = rows[0]["type"]
    typed = json.loads(discern("events", "--db", db, "--format", "json", "--type", kind, "--limit", "5000").stdout)
    assert typed and {r["type"] for r in typed} == {kind}
