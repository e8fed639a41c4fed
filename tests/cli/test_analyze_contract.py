"""`discern analyze` as CONTRACT.md fixes it: fields, offsets, exit codes, nothing but JSON on stdout."""

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

REPO = Path(__file__).resolve().parents[2]
DISCERN = [sys.executable, "-m", "discernment"]


def run(args, stdin=None, cwd=None):
    return subprocess.run(DISCERN + args, input=stdin, capture_output=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def schema():
    text = resources.files("discernment").joinpath("schema/document.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def assert_offsets_exact(doc: dict) -> None:
    text = doc["text"]

    def check(item):
        if isinstance(item, dict):
            if isinstance(item.get("start"), int) and isinstance(item.get("end"), int) and "text" in item:
                assert text[item["start"]:item["end"]] == item["text"], item
            for value in item.values():
                check(value)
        elif isinstance(item, list):
            for value in item:
                check(value)

    for layer in ("entities", "places", "quotes", "claims", "events", "techniques"):
        check(doc[layer])


@pytest.fixture(scope="module")
def examples_run():
    return run(["analyze", "examples", "--published", "2024-11-22"], cwd=REPO)


def test_cli_examples_print_valid_contract_jsonl(examples_run, schema):
    assert examples_run.returncode == 0, examples_run.stderr.decode()
    lines = examples_run.stdout.decode("utf-8").splitlines()
    assert len(lines) == 7  # 5 files + 2 feed entries; examples/NOTICE has no supported extension
    for line in lines:
        doc = json.loads(line)
        jsonschema.validate(doc, schema)
        assert_offsets_exact(doc)
    paths = [json.loads(line)["source"]["path"] for line in lines]
    assert paths == sorted(paths), "directory entries come in name order"


def test_cli_metadata_options_fill_gaps_only(examples_run):
    docs = [json.loads(line) for line in examples_run.stdout.decode().splitlines()]
    by_path = {}
    for d in docs:
        by_path.setdefault(d["source"]["path"], d)
    assert by_path["examples/wire-report.txt"]["source"]["published"] == "2024-11-22"
    assert by_path["examples/think-tank-page.html"]["source"]["published"] == "2022-09-10"


def test_cli_bad_inputs_exit_1_and_the_rest_still_print(tmp_path, schema):
    (tmp_path / "good.txt").write_text("Russian troops shelled Kharkiv on Monday, officials said.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   ", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "x.pdfx").write_text("x", encoding="utf-8")
    result = run(["analyze", str(tmp_path / "empty.txt"), str(tmp_path / "good.txt"), str(tmp_path / "bin.txt"),
                  str(tmp_path / "x.pdfx"), "--outlet", "Test Wire"])
    assert result.returncode == 1
    [line] = result.stdout.decode().splitlines()
    doc = json.loads(line)
    jsonschema.validate(doc, schema)
    assert doc["source"]["outlet"] == "Test Wire"
    err = result.stderr.decode()
    for name in ("empty.txt", "bin.txt", "x.pdfx"):
        assert name in err


def test_cli_stdin_and_json_format(schema):
    result = run(["analyze", "-", "--format", "json", "--published", "2022-09-10"],
                 stdin="Zelensky said Ukrainian forces had retaken Izium.".encode("utf-8"))
    assert result.returncode == 0
    [doc] = json.loads(result.stdout)
    jsonschema.validate(doc, schema)
    assert doc["source"]["path"] is None and doc["source"]["published"] == "2022-09-10"


def test_cli_usage_errors_exit_2():
    assert run(["analyze"]).returncode == 2
    assert run(["analyze", "-", "--published", "not-a-date"], stdin=b"x").returncode == 2
    assert run(["analyze", "-", "--set", "no.such=1"], stdin=b"x").returncode == 2
    assert run(["analyze", "-", "--format", "yaml"], stdin=b"x").returncode == 2


def test_cli_output_file_gets_jsonl_and_stdout_a_summary(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run(["analyze", "examples/wire-report.txt", "-o", str(out)], cwd=REPO)
    assert result.returncode == 0
    assert "Ukraine denies losing Kupiansk" in result.stdout.decode()
    [line] = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["source"]["path"] == "examples/wire-report.txt"


def _occupied_daily(folder: Path, day: str, square: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = square
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    (folder / f"deepstatemap_data_{day.replace('-', '')}.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                                                    "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]}}]}))


def test_control_map_adds_a_verdict_to_each_territorial_claim(tmp_path, schema):
    """--control-map with a folder of snapshots: the capture claim of the state-media example against a map whose
    occupied square lies east of Kupiansk (not_confirmed), the wire's denial (consistent); with a store holding the
    same maps imported, the same verdicts; a store without maps is refused."""
    maps = tmp_path / "maps"
    maps.mkdir()
    for day in ("2025-11-15", "2025-11-22", "2025-12-01"):
        _occupied_daily(maps, day, (38.0, 48.5, 38.5, 49.0))
    args = ["analyze", "examples/state-media-report.txt", "examples/wire-report.txt", "--published", "2025-11-21",
            "-f", "jsonl"]
    res = run(args + ["--control-map", str(maps)], cwd=REPO)
    assert res.returncode == 0, res.stderr.decode()
    docs = [json.loads(line) for line in res.stdout.decode().splitlines()]
    verdicts = {}
    for doc in docs:
        jsonschema.validate(doc, schema)
        assert_offsets_exact(doc)
        for claim in doc["claims"]:
            if any(a["aspect"] == "control" for a in claim.get("assertions", ())):
                assert "map" in claim, claim["text"]
                verdicts.setdefault(doc["source"]["path"], set()).add((claim["asserts"]["holder"], claim["map"]["verdict"],
                                                                     claim["map"]["status"]))
            else:
                assert "map" not in claim
    assert verdicts["examples/state-media-report.txt"] == {("RU", "not_confirmed", "UA")}
    assert ("UA", "consistent", "UA") in verdicts["examples/wire-report.txt"]
    capture = next(c for c in docs[0]["claims"] if "map" in c)
    assert capture["map"]["source"] == "maps" and capture["map"]["snapshot_date"] == "2025-11-15"

    db = tmp_path / "maps.db"
    imported = run(["maps", "import", str(maps), "--name", "daily", "--db", str(db)], cwd=REPO)
    assert imported.returncode == 0, imported.stderr.decode()
    res = run(args + ["--control-map", str(db)], cwd=REPO)
    assert res.returncode == 0, res.stderr.decode()
    again = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert [[c["map"]["verdict"] for c in d["claims"] if "map" in c] for d in again] == \
        [[c["map"]["verdict"] for c in d["claims"] if "map" in c] for d in docs]

    empty = tmp_path / "empty.db"
    run(["ingest", "examples/wire-report.txt", "--db", str(empty)], cwd=REPO)
    res = run(args + ["--control-map", str(empty)], cwd=REPO)
    assert res.returncode == 2 and b"holds no control maps" in res.stderr and not res.stdout
