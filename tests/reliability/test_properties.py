"""Hypothesis properties: every reader on arbitrary bytes and Unicode gives only Documents and ReadErrors, with
text that encodes; the extractors keep offsets exact on hostile Unicode; lone surrogates get a clear answer.

Example counts are kept small (the whole file runs in well under a minute); fuzz/fuzz_readers.py runs long.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discernment.config import Config
from discernment.errors import DiscernError, ReadError
from discernment.ingest import ReadOptions, read_inputs
from discernment.model import Document, without_nul

OPTIONS = ReadOptions.from_config(Config.defaults())
TMP = Path(tempfile.mkdtemp(prefix="discern-props-"))
READER_EXTENSIONS = [".txt", ".md", ".html", ".jsonl", ".json", ".csv", ".tsv", ".xml", ".atom"]
FAST = settings(max_examples=25, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Unicode that breaks naive code: emoji and flags, ZWJ sequences, combining marks, RTL and bidi controls, NUL and
# other controls, CRLF, BOMs, Cyrillic, full-width forms, non-characters.
HOSTILE = st.sampled_from([
    "\U0001f1fa\U0001f1e6", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "e\u0301\u0301", "\u05e9\u05dc\u05d5\u05dd",
    "\u202e\u202d\u2066", "\x00", "\x1b[31m", "\r\n", "\ufeff", "\u00abКупянськ\u00bb", "\uff21\uff22", "\ufffe",
    "\U0010ffff", " Putin said ", " in Kyiv. ", "\u201cWe hold it,\u201d he said.", " Kupiansk ", "\u2028", "\t",
])
HOSTILE_TEXT = st.lists(st.one_of(HOSTILE, st.text(max_size=10)), min_size=1, max_size=20).map("".join)


def read_file(data: bytes, ext: str) -> list:
    path = TMP / f"input{ext}"
    path.write_bytes(data)
    return list(read_inputs([str(path)], OPTIONS))


def check_items(items: list) -> list[Document]:
    docs = []
    for item in items:
        assert isinstance(item, (Document, ReadError)), type(item)
        if isinstance(item, ReadError):
            assert item.code.startswith("E1") and item.reason
            continue
        assert item.text.strip()
        json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")  # what the CLI writes must encode
        docs.append(item)
    return docs


@pytest.mark.parametrize("ext", READER_EXTENSIONS)
@FAST
@given(data=st.binary(max_size=3000))
def test_properties_readers_take_arbitrary_bytes(ext, data):
    check_items(read_file(data, ext))


@pytest.mark.parametrize("ext", READER_EXTENSIONS)
@FAST
@given(text=HOSTILE_TEXT)
def test_properties_readers_take_arbitrary_unicode(ext, text):
    check_items(read_file(text.encode("utf-8"), ext))


@FAST
@given(text=HOSTILE_TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_properties_text_reader_keeps_text_exactly(text, encoding):
    """Whatever the text reader accepts, it returns exactly as written (a leading BOM aside; a NUL, which no
    back end can store alike, becomes U+FFFD)."""
    docs = check_items(read_file(text.encode(encoding), ".txt"))
    if docs:
        expected = text.replace("\x00", "\ufffd")
        assert docs[0].text in (expected, expected.removeprefix("\ufeff"))


@FAST
@given(rows=st.lists(st.tuples(HOSTILE_TEXT, HOSTILE_TEXT), min_size=1, max_size=5))
def test_properties_table_reader_round_trips_jsonl_records(rows):
    """Any text in a JSONL record comes back exactly (a NUL as U+FFFD), one document per record with text, in
    order."""
    lines = "".join(json.dumps({"title": t, "text": x}) + "\n" for t, x in rows)
    docs = check_items(read_file(lines.encode("utf-8"), ".jsonl"))
    assert [d.text for d in docs] == [x.replace("\x00", "\ufffd") for _, x in rows if x.strip()]


@pytest.fixture(scope="module")
def small_analyzer():
    """Parse, entities and places: the components that index into the text, without the heavy classifiers."""
    from discernment import Analyzer

    return Analyzer(Config.load(overrides=['pipeline.components=["parse.v1","entities.v1","places.v1",'
                                           '"reconcile.v1"]']))


def assert_offsets_exact(doc: Document) -> None:
    data = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))

    def walk(item):
        if isinstance(item, dict):
            if isinstance(item.get("start"), int) and isinstance(item.get("end"), int):
                assert 0 <= item["start"] <= item["end"] <= len(doc.text)
                if isinstance(item.get("text"), str):
                    assert doc.text[item["start"]:item["end"]] == item["text"]
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(data)


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(text=HOSTILE_TEXT)
def test_properties_extractors_keep_offsets_on_hostile_unicode(small_analyzer, text):
    text = without_nul(text)  # Document refuses NUL (E007); the readers replace it so
    [doc] = list(small_analyzer.pipe([Document(text)]))
    assert doc.text == text
    assert_offsets_exact(doc)


@settings(max_examples=10, deadline=None, database=None)
@given(before=st.text(max_size=20), after=st.text(max_size=20))
def test_properties_nul_refused_when_built(before, after):
    with pytest.raises(DiscernError) as err:
        Document(before + "\x00" + after)
    assert err.value.code == "E007"


LONE = st.sampled_from(["\ud800", "\udfff", "\udc80", "\udbff"])


@settings(max_examples=10, deadline=None, database=None)
@given(before=st.text(max_size=20), lone=LONE)
def test_properties_lone_surrogates_refused_or_replaced_when_built(before, lone):
    """Wanted: Document(text with a lone surrogate) raises a numbered DiscernError, or its JSON encodes."""
    try:
        doc = Document(before + lone + " Officials in Kyiv said.")
    except DiscernError:
        return
    json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")


def test_properties_analyzer_lone_surrogate_gives_a_clear_error(small_analyzer):
    try:
        list(small_analyzer.pipe([Document("Vladimir Putin said \ud800 in Kyiv.")]))
    except DiscernError:
        pass


def test_properties_readers_never_produce_lone_surrogates(tmp_path):
    """Readers decode strictly: bytes that would decode to surrogates (CESU/ surrogate-escaped) are refused or
    decoded by a legacy code page, never passed through as lone surrogates."""
    for data in (b"Kyiv \xed\xa0\x80 said.", "Kyiv \ud800 said.".encode("utf-16-le", "surrogatepass"),
                 b"\xff\xfe" + "Kyiv \udfff said.".encode("utf-16-le", "surrogatepass")):
        for doc in check_items(read_file(data, ".txt")):
            assert not any(0xD800 <= ord(c) <= 0xDFFF for c in doc.text)
