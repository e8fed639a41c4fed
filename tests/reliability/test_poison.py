"""Issue 20, data loss: no record may block a store or silently drop its neighbours.

Each test here failed on the code before the fix: a poison JSONL record stopped ingest for good, a NUL byte
failed the PostgreSQL batch, one bad byte after 64 KB dropped a hundred good records, a non-UTF-8 file name lost
the directory, CSV exports wrote formulas raw, a re-ingest with fewer components deleted layers, and
PostgreSQL passwords were printed and stored.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from discernment.config import Config
from discernment.errors import DiscernError, ReadError, StoreError
from discernment.ingest import ReadOptions, read_inputs
from discernment.model import Claim, Claimant, Document, Event, EventPlace, Place, Source
from discernment.store import Store

ROOT = Path(__file__).resolve().parents[2]
GOOD = "Russian forces shelled Kharkiv on Monday, the regional governor said. Three people were wounded."


def _read(*paths, options: ReadOptions | None = None):
    options = options or ReadOptions.from_config(Config.defaults())
    return list(read_inputs([str(p) for p in paths], options))


def _poison_jsonl(path: Path) -> Path:
    lines = [
        json.dumps({"text": GOOD + " First.", "title": "one"}),
        '{"text": "x \\ud800 lone surrogate in the text"}',
        '{"title": "a \\udc00", "text": "A lone surrogate in the title."}',
        "[" * 5000 + "]" * 5000,
        '{"text": "a huge number", "n": ' + "9" * 5000 + "}",
        json.dumps({"text": GOOD + " Second.", "title": "two"}),
        json.dumps({"text": GOOD + " Third.", "title": "three"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_poison_records_are_named_by_line_and_skipped(tmp_path):
    items = _read(_poison_jsonl(tmp_path / "poison.jsonl"))
    docs = [i for i in items if isinstance(i, Document)]
    errors = {e.path.rsplit(":", 1)[1]: e for e in items if isinstance(e, ReadError)}
    assert [d.source.title for d in docs] == ["one", "two", "three"]
    assert sorted(errors) == ["2", "3", "4", "5"]
    assert all(e.code == "E106" for e in errors.values())
    assert "'text'" in errors["2"].reason and "'title'" in errors["3"].reason
    assert "nested too deeply" in errors["4"].reason and "digits" in errors["5"].reason
    for doc in docs:  # every document that comes out serialises as UTF-8
        json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")


def test_poison_json_array_records_are_skipped_one_by_one(tmp_path):
    path = tmp_path / "records.json"
    path.write_text('[{"text": "A fine report from Kharkiv."}, {"text": "bad \\ud800"}, '
                    '{"text": "Another fine report."}]', encoding="utf-8")
    items = _read(path)
    assert [type(i).__name__ for i in items] == ["Document", "ReadError", "Document"]
    assert items[1].path.endswith(":[2]") and items[1].code == "E106"


def test_poison_one_bad_byte_after_64_kb_costs_only_its_record(tmp_path):
    records = [json.dumps({"text": f"Record {i}: " + "Russian artillery hit the town. " * 8}) for i in range(400)]
    data = ("\n".join(records) + "\n").encode()
    at = data.index(b"Record 300") + 7
    assert at > 65536
    path = tmp_path / "big.jsonl"
    path.write_bytes(data[:at] + b"\xff" + data[at:])
    items = _read(path)
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(docs) == 399
    assert [(e.code, e.path) for e in errors] == [("E104", f"{path}:301")]


def test_poison_csv_bad_byte_and_embedded_newlines_keep_line_numbers(tmp_path):
    rows = [f'{i},"Report {i} from Kharkiv,\nwith a second line."' for i in range(2000)]
    data = ("id,text\n" + "\n".join(rows) + "\n").encode()
    at = data.index(b"Report 1500") + 7
    assert at > 65536
    path = tmp_path / "table.csv"
    path.write_bytes(data[:at] + b"\xff" + data[at:])
    items = _read(path)
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(docs) == 1999
    assert [(e.code, e.path) for e in errors] == [("E104", f"{path}:{2 + 2 * 1500}")]
    assert "Report 1501 from Kharkiv,\nwith a second line." in [d.text for d in docs]


def test_poison_line_over_max_bytes_is_refused_alone(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join([json.dumps({"text": "short one"}), json.dumps({"text": "x" * 5000}),
                               json.dumps({"text": "short two"})]) + "\n", encoding="utf-8")
    options = ReadOptions.from_config(Config.load(None, ["readers.max_bytes=1000"]))
    items = _read(path, options=options)
    assert [getattr(i, "text", None) for i in items] == ["short one", None, "short two"]
    assert (items[1].code, items[1].path) == ("E111", f"{path}:2")


def test_poison_json_array_over_max_bytes_is_refused(tmp_path):
    path = tmp_path / "array.json"
    path.write_text(json.dumps([{"text": "y" * 400} for _ in range(10)]), encoding="utf-8")
    options = ReadOptions.from_config(Config.load(None, ["readers.max_bytes=1000"]))
    [item] = _read(path, options=options)
    assert item.code == "E111" and "JSON Lines" in item.reason


def test_poison_nul_byte_stored_the_same_on_both_back_ends(tmp_path, store_url):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"Russian forces shelled Kharkiv.\x00 Officials said three people died.\n")
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"text": "Text with a \u0000 NUL.", "title": "title \u0000 too"}) + "\n")
    docs = [i for i in _read(nul, good, rows) if isinstance(i, Document)]
    assert len(docs) == 3
    store = Store(store_url)
    stats = store.ingest(docs, store.start_run("p", {}), "p")
    assert stats.added == 3 and stats.refused == 0
    stored = store.get_document(docs[0].id)
    assert stored.text == "Russian forces shelled Kharkiv.\ufffd Officials said three people died.\n"
    assert store.get_document(docs[2].id).source.title == "title \ufffd too"
    with pytest.raises(DiscernError) as err:  # the Python API refuses NUL with a clear code
        Document("a \x00 b")
    assert err.value.code == "E007"


def test_poison_document_the_database_refuses_costs_only_itself(store_url):
    store = Store(store_url)
    good = [Document(f"{GOOD} Number {i}.") for i in range(3)]
    bad = Document("placeholder text")
    bad._text = "refused \ud800 text"  # what no reader makes, but a buggy caller could
    refused = []
    stats = store.ingest([good[0], bad, good[1], good[2]], store.start_run("p", {}), "p",
                         on_error=lambda doc, err: refused.append((doc.id, err.code)))
    assert stats.added == 3 and stats.refused == 1
    assert refused == [(bad.id, "E603")]
    assert sorted(store.document_ids()) == sorted(d.id for d in good)


def test_poison_invalid_utf8_file_name_is_escaped_and_read(tmp_path):
    root = tmp_path / "dir"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    name = os.fsencode(root) + b"/bad\xffname.txt"
    with open(name, "wb") as fh:
        fh.write(GOOD.encode() + b" Another.")
    items = _read(root)
    assert all(isinstance(i, Document) for i in items) and len(items) == 2
    paths = sorted(i.source.path for i in items)
    assert paths[0].endswith("bad\\xffname.txt")
    json.dumps([i.to_dict() for i in items], ensure_ascii=False).encode("utf-8")


def test_poison_fifo_in_a_directory_is_reported_not_waited_on(tmp_path):
    root = tmp_path / "dir"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(root / "pipe.txt")
    result = []
    reader = threading.Thread(target=lambda: result.extend(_read(root)), daemon=True)
    reader.start()
    reader.join(30)
    assert not reader.is_alive(), "the directory walk hung on a FIFO"
    assert [(type(i).__name__, getattr(i, "code", None)) for i in result] == [("Document", None), ("ReadError", "E101")]


def _formula_doc() -> Document:
    text = '=HYPERLINK("http://evil.example/x","click") said the ministry in Kharkiv on Monday.'
    at = text.index("Kharkiv")
    place = Place(at, at + 7, "Kharkiv", name="Kharkiv", lat=50.0, lon=36.25, country_code="UA", admin1="07",
                  geonames_id=706483, feature="PPLA")
    claim = Claim(0, len(text), text, "statement", claimant=Claimant("the ministry"))
    event = Event("attack", 0, len(text), actor="+cmd|' /C calc'!A0", place=EventPlace("Kharkiv", 50.0, 36.25),
                  date="2024-03-01")
    return Document(text, source=Source(outlet="@outlet", title="-2+3", published="2024-03-01"),
                    claims=[claim], events=[event], places=[place])


def test_poison_csv_exports_defuse_formulas(tmp_path):
    from discernment.export.store import export_store
    from discernment.render import print_rows
    from discernment.store.queries import claims

    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    store.ingest([_formula_doc()], store.start_run("p", {}), "p")
    for fmt in ("csv", "acled"):
        out = io.StringIO()
        export_store(store, fmt, out)
        cells = [c for row in csv.reader(io.StringIO(out.getvalue())) for c in row]
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), (fmt, cells)
        assert any(c.startswith("'=HYPERLINK") or c.startswith("'+cmd") for c in cells), fmt
    out = io.StringIO()
    print_rows(claims(store, __import__("discernment.store.queries", fromlist=["Filters"]).Filters()), "csv",
               ["text"], out)
    cells = [c for row in csv.reader(io.StringIO(out.getvalue())) for c in row]
    assert "'=HYPERLINK(\"http://evil.example/x\",\"click\") said the ministry in Kharkiv on Monday." in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_poison_reingest_with_fewer_components_keeps_layers(tmp_path, analyzer):
    from discernment.api import Analyzer
    from discernment.runner import ingest_inputs

    article = tmp_path / "a.txt"
    article.write_text("Ukraine's military said on Tuesday that Russian troops had withdrawn from the village of "
                       "Pisky after heavy fighting. The Russian defence ministry denied it.\n", encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    options = ReadOptions.from_config(analyzer.config)
    ingest_inputs([str(article)], analyzer, options, store)
    doc_id = store.document_ids()[0]
    before = store.get_document(doc_id)
    assert before.claims and before.places
    small = Analyzer(Config.load(None, ['pipeline.components=["parse.v1", "entities.v1", "places.v1"]']))
    errors = []
    _, stats, _ = ingest_inputs([str(article)], small, options, store, on_error=errors.append)
    assert [e.code for e in errors] == ["E604"] and "claims" in errors[0].message and "--replace" in errors[0].message
    assert stats.refused == 1 and stats.updated == 0
    assert store.get_document(doc_id).to_dict() == before.to_dict()
    _, stats, _ = ingest_inputs([str(article)], small, options, store, replace=True)
    assert stats.updated == 1 and store.get_document(doc_id).claims == ()


def test_poison_redacts_passwords_in_urls():
    from discernment.store.store import redact_command, redact_url

    assert redact_url("postgresql+psycopg://ana:s3cret@db:5432/x") == "postgresql+psycopg://ana:***@db:5432/x"
    assert redact_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
    assert redact_command(["discern", "ingest", "--db", "postgresql://ana:p@ss:w0rd@db/x", "a.txt"]) == \
        "discern ingest --db postgresql://ana:***@db/x a.txt"


def _discern(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "discernment", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=600, **kwargs)


def test_poison_ingest_goes_on_and_reruns_and_hides_the_password(tmp_path, store_url):
    """The whole command: poison records reported with file:line, the good ones stored, the rerun finds them
    stored, and neither the output nor runs.command shows a PostgreSQL password."""
    path = _poison_jsonl(tmp_path / "poison.jsonl")
    (tmp_path / "nul.txt").write_bytes(b"Russian forces shelled Kharkiv.\x00 Officials said so.\n")
    args = ["ingest", "--db", store_url, str(path), str(tmp_path / "nul.txt"),
            "--set", 'pipeline.components=["parse.v1", "entities.v1"]']
    first = _discern(*args)
    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    for line in ("2", "3", "4", "5"):
        assert f"{path}:{line}:" in first.stderr
    assert "4 added" in first.stderr
    again = _discern(*args)
    assert "0 added" in again.stderr and "4 already stored" in again.stderr
    store = Store(store_url)
    assert store.count() == 4
    password = Store(store_url).engine.url.password
    if password:
        assert password not in first.stderr + again.stderr
        assert all(password not in (r["command"] or "") for r in store.runs())
        assert "***" in first.stderr
