"""Offsets stay exact for every layer on arbitrary Unicode: emoji, combining marks, CRLF, NUL, RTL."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discernment.model import Document

FRAGMENTS = st.sampled_from([
    "Vladimir Putin said", " Kupyansk ", "\u201cWe hold it,\u201d he said.", "\r\n", "\n\n", "\x00", "e\u0301",
    "\U0001f1fa\U0001f1e6", "\u05e9\u05dc\u05d5\u05dd", "Zelensky", " over 2,000 ", "Kryvyi Rih", "\t", "  ",
    "\u00abКупянск\u00bb", "92nd Mechanised Brigade", ".", " according to TASS, ",
])
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(min_size=0, max_size=12)), min_size=1, max_size=25).map("".join)


def check_all_offsets(doc: Document) -> None:
    data = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    text = data["text"]
    assert text == doc.text

    def walk(item):
        if isinstance(item, dict):
            if "start" in item and "end" in item and item.get("start") is not None:
                assert 0 <= item["start"] <= item["end"] <= len(text)
                if "text" in item:
                    assert text[item["start"]:item["end"]] == item["text"]
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    for layer in ("entities", "places", "quotes", "claims", "events", "techniques"):
        walk(data[layer])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(text=TEXTS)
def test_offsets_exact_on_arbitrary_unicode(analyzer, text):
    doc = analyzer(text)
    check_all_offsets(doc)
    assert Document.from_dict(doc.to_dict()) == doc
