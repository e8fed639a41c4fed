"""The bad-input corpus (tests/data/bad) through the real ``discern analyze`` and ``discern ingest``.

Every file is either analysed or named on standard error with its reason and code; the good files in the same
run are unaffected; standard output holds only JSON; the exit status is 1 (CONTRACT.md); what ``ingest``
stores is exactly what ``analyze`` printed. Three spaCy-loading subprocesses in all (module-scoped fixtures).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "bad"))
import generate as bad  # noqa: E402

DISCERN = [sys.executable, "-m", "discernment"]
SMALL_PIPELINE = ['--set', 'pipeline.components=["parse.v1","entities.v1"]']
# 20 MB of text is refused at this limit (E111) and read in full at the default one (checked in-process below).
LIMIT = ["--set", "readers.max_bytes=10000000"]
ERROR_LINE = re.compile(r"^discern: error: (?P<path>.*?): (?P<reason>[^\n]*) \[(?P<code>E\d{3})\]$", re.MULTILINE)


def run(args: list[str], stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "80"}
    return subprocess.run(DISCERN + args, input=stdin, capture_output=True, timeout=600, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = bad.build_corpus(tmp_path_factory.mktemp("bad") / "corpus", big=False)
    bad.big_text(root / "big-20mb.txt")
    bad.one_line(root / "one-line-1mb.txt", size=50_000)  # the full 1 MB line: test_bad_input_one_megabyte_line
    return root


@pytest.fixture(scope="module")
def analyzed(corpus):
    args = ["analyze", str(corpus), str(corpus / "real-image.png"), str(corpus / "missing.txt"), "-",
            *SMALL_PIPELINE, *LIMIT]
    proc = run(args, stdin=bad.small_fixtures()["png-named.txt"])
    docs = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    return proc, docs, proc.stderr.decode("utf-8")


def docs_from(docs: list[dict], corpus: Path, name: str) -> list[dict]:
    return [d for d in docs if d["source"]["path"] == str(corpus / name)]


def errors_for(stderr: str, corpus: Path, name: str) -> set[str]:
    full = str(corpus / name)
    return {m["code"] for m in ERROR_LINE.finditer(stderr)
            if m["path"] == full or re.fullmatch(re.escape(full) + r"(:\d+|#entry\d+)", m["path"])}


def test_bad_input_exit_1_and_stdout_only_json(analyzed):
    proc, docs, stderr = analyzed
    assert proc.returncode == 1, stderr
    lines = proc.stdout.decode("utf-8").splitlines()
    assert lines and len(lines) == len(docs)  # every line parsed as JSON above
    assert "Traceback" not in stderr


@pytest.mark.parametrize("name", sorted(bad.EXPECTED, key=repr))
def test_bad_input_each_file_analysed_or_reported(analyzed, corpus, name):
    _, docs, stderr = analyzed
    expected = bad.EXPECTED[name]
    found_docs, found_errors = docs_from(docs, corpus, name), errors_for(stderr, corpus, name)
    if isinstance(expected, int):
        assert len(found_docs) == expected, (name, found_errors)
        assert found_errors == bad.EXPECTED_PARTIAL.get(name, set()), stderr
    else:
        assert not found_docs
        assert found_errors == expected, stderr


def test_bad_input_command_line_extras_reported(analyzed, corpus):
    _, _, stderr = analyzed
    codes = {m["path"]: m["code"] for m in ERROR_LINE.finditer(stderr)}
    assert codes[str(corpus / "real-image.png")] == "E105"
    assert codes[str(corpus / "missing.txt")] == "E101"
    assert codes["<stdin>"] == "E103"
    assert codes[str(corpus / "zz-loop" / "back-to-parent")] == "E112"
    assert codes[str(corpus / "zz-loop" / "self.txt")] == "E101"
    assert len(docs_from(analyzed[1], corpus, "zz-loop/inner.txt")) == 1


def test_bad_input_encodings_decode_to_the_original_text(analyzed, corpus):
    _, docs, _ = analyzed
    for name in ("cp1251.txt", "koi8r.txt"):
        assert docs_from(docs, corpus, name)[0]["text"] == bad.RU
    for name in ("utf16-bom.txt", "utf16le-nobom.txt", "utf16be-nobom.txt"):
        assert docs_from(docs, corpus, name)[0]["text"] == bad.EN + bad.RU


def test_bad_input_path_fields_in_records_are_never_opened(analyzed, corpus):
    _, docs, _ = analyzed
    [doc] = [d for d in docs_from(docs, corpus, "jsonl-one-corrupt.jsonl") if "Pokrovsk" in d["text"]]
    assert doc["source"]["path"] == str(corpus / "jsonl-one-corrupt.jsonl")
    assert all("root:" not in d["text"] for d in docs)


def test_bad_input_good_files_unaffected_by_bad_neighbours(analyzed, corpus, tmp_path):
    """A good file analysed alone (in-process, same settings) gives the same JSON as inside the bad run."""
    from discernment import Analyzer
    from discernment.config import Config
    from discernment.ingest import ReadOptions, read_inputs

    config = Config.load(overrides=[SMALL_PIPELINE[1], LIMIT[1]])
    names = ["koi8r.txt", "with space.txt", "new\nline.txt", "Київ — звіт №1.txt", "csv-embedded-newlines.csv"]
    alone = [d for d in read_inputs([str(corpus / n) for n in names], ReadOptions.from_config(config))]
    results = {d.source.path + d.text: d.to_dict() for d in Analyzer(config).pipe(alone)}
    in_run = {d["source"]["path"] + d["text"]: d for d in analyzed[1] if d["source"]["path"] + d["text"] in results}
    assert len(in_run) == len(results) == 6
    for key, doc in results.items():
        doc.pop("duplicate_of", None), in_run[key].pop("duplicate_of", None)
        assert in_run[key] == doc
        if "Kharkiv" in doc["text"]:
            assert any(e["text"] == "Kharkiv" for e in doc["entities"])


@pytest.fixture(scope="module")
def ingested(corpus, tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "bad.db"
    proc = run(["ingest", str(corpus), "--db", f"sqlite:///{db}", "--batch-size", "5", *SMALL_PIPELINE, *LIMIT])
    return proc, f"sqlite:///{db}"


def test_bad_input_ingest_stores_exactly_what_analyze_printed(analyzed, ingested):
    from discernment.store import Store

    proc, url = ingested
    assert proc.returncode == 1, proc.stderr.decode()
    assert proc.stdout == b""
    printed = {}
    for doc in analyzed[1]:  # the first of identical texts is stored; later copies are skipped
        printed.setdefault(doc["id"], doc)
    store = Store(url)
    try:
        assert store.count("documents") == len(printed)
        assert sorted(store.document_ids()) == sorted(printed)
        for doc_id, doc in printed.items():
            stored = store.get_document(doc_id).to_dict()
            stored.pop("duplicate_of", None), doc.pop("duplicate_of", None)
            if doc["source"]["outlet"] is None:  # see test_bad_input_store_keeps_a_missing_outlet_missing
                stored["source"]["outlet"] = None
            assert stored == doc
        assert store.count("entities") == sum(len(d["entities"]) for d in printed.values())
    finally:
        store.close()


def _corpus_errors(analyzed, corpus) -> set[tuple[str, str]]:
    return {(m["path"], m["code"]) for m in ERROR_LINE.finditer(analyzed[2])
            if m["path"].startswith(str(corpus) + os.sep)
            and m["path"] not in (str(corpus / "missing.txt"), str(corpus / "real-image.png"))}


def test_bad_input_ingest_names_each_failure(analyzed, ingested, corpus):
    """Every error ``analyze`` reports from the corpus, ``ingest`` reports too (file, reason and code)."""
    flat = " ".join(ingested[0].stderr.decode("utf-8").split())
    for path, code in _corpus_errors(analyzed, corpus):
        assert re.search(re.escape(path) + r": .*?\[" + code + r"\]", flat), (path, code)


def test_bad_input_ingest_names_each_failure_on_one_line(analyzed, ingested, corpus):
    stderr = ingested[0].stderr.decode("utf-8")
    ingest_errors = {(m["path"], m["code"]) for m in ERROR_LINE.finditer(stderr)}
    assert _corpus_errors(analyzed, corpus) <= ingest_errors, stderr


def test_bad_input_store_keeps_a_missing_outlet_missing(tmp_path):
    from discernment.model import Document
    from discernment.store import Store

    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    doc = Document("Officials in Sumy said the power was restored.")
    store.ingest([doc], store.start_run("p", {}), "p")
    assert store.get_document(doc.id).to_dict() == doc.to_dict()


def test_bad_input_readers_take_20_megabytes_under_the_default_limit(corpus):
    from discernment.config import Config
    from discernment.ingest import ReadOptions, read_inputs

    [doc] = list(read_inputs([str(corpus / "big-20mb.txt")], ReadOptions.from_config(Config.load())))
    assert len(doc.text) == bad.BIG_TEXT_BYTES


@pytest.mark.slow
def test_bad_input_one_megabyte_line(tmp_path):
    """A 1 MB line with no break: parsed in chunks, offsets exact (about 20-40 s of spaCy)."""
    from discernment import Analyzer
    from discernment.config import Config
    from discernment.ingest import ReadOptions, read_inputs

    bad.one_line(tmp_path / "line.txt")
    config = Config.load(overrides=[SMALL_PIPELINE[1]])
    [doc] = list(read_inputs([str(tmp_path / "line.txt")], ReadOptions.from_config(config)))
    [out] = list(Analyzer(config).pipe([doc]))
    assert len(out.text) == bad.ONE_LINE_BYTES and len(out.entities) > 1000
    for ent in out.entities:
        assert out.text[ent.start:ent.end] == ent.text


_UNREADABLE_PROBE = """
import json, os, sys
from discernment.config import Config
from discernment.errors import ReadError
from discernment.ingest import ReadOptions, read_inputs
import discernment.ingest.encoding, charset_normalizer  # everything the text reader imports lazily
options = ReadOptions.from_config(Config.defaults())
if os.geteuid() == 0:  # root reads mode-000 files: drop to nobody once the imports are done
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
items = read_inputs(sys.argv[1:], options)
print(json.dumps([[i.code, i.path] if isinstance(i, ReadError) else ["doc", i.source.path] for i in items]))
"""


def test_bad_input_unreadable_file_and_directory_reported():
    """mode 000: E101 for the file, E112 for the directory, the readable file beside them still read.

    As root, chmod does not stop reads, so the reader runs in a child that drops to uid/gid 65534 after importing.
    """
    root = Path(tempfile.mkdtemp(prefix="discern-unreadable-"))
    try:
        root.chmod(0o755)
        (root / "ok.txt").write_text(bad.EN, encoding="utf-8")
        bad.add_unreadable(root)
        args = [sys.executable, "-c", _UNREADABLE_PROBE, str(root), str(root / "locked.txt")]
        proc = subprocess.run(args, capture_output=True, timeout=120, cwd="/")
        assert proc.returncode == 0, proc.stderr.decode()
        items = json.loads(proc.stdout)
        assert ["E112", str(root / "locked-dir")] in items
        assert ["E101", str(root / "locked.txt")] in items[:-1]  # inside the directory walk
        assert ["doc", str(root / "ok.txt")] in items
        assert items[-1] == ["E101", str(root / "locked.txt")]  # named on the command line
    finally:
        for p in (root / "locked.txt", root / "locked-dir"):
            if p.exists():
                p.chmod(0o700)
        shutil.rmtree(root, ignore_errors=True)
