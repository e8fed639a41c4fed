"""The highlighted article HTML: escaping, nesting of overlapping spans, anchors. No store, no model."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from discernment.web.highlight import Mark, document_marks, highlight_html, parse_span, technique_colour

from .conftest import overlap_document, xss_document


class Coverage(HTMLParser):
    """Rebuilds, from the HTML, the text and which refs cover each character; checks tags balance."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.cover: list[frozenset] = []
        self.ids: list[str] = []
        self.other_tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "mark":
            self.other_tags.append(tag)
            return
        self.stack.append((attrs["data-ref"], attrs["class"]))
        if "id" in attrs:
            self.ids.append(attrs["id"])

    def handle_endtag(self, tag):
        assert tag == "mark" and self.stack, f"unbalanced </{tag}>"
        self.stack.pop()

    def handle_data(self, data):
        active = frozenset(f"{ref}|{cls}" for ref, cls in self.stack)
        for ch in data:
            self.text.append(ch)
            self.cover.append(active)


def parse(markup: str) -> Coverage:
    p = Coverage()
    p.feed(str(markup))
    p.close()
    assert not p.stack, "marks left open"
    return p


def expected_cover(text: str, marks: list[Mark]) -> list[frozenset]:
    return [frozenset(f"{m.ref}|{m.css}" for m in marks if m.start <= i < m.end) for i in range(len(text))]


def test_highlight_escapes_every_character_of_the_text():
    doc = xss_document()
    out = str(highlight_html(doc.text, document_marks(doc)))
    assert "<script" not in out and "<img" not in out and "<svg" not in out and "<iframe" not in out
    assert "<b " not in out and "</textarea>" not in out
    p = parse(out)
    assert "".join(p.text) == doc.text
    assert p.other_tags == []


def test_highlight_overlapping_layers_cover_exactly_their_spans():
    doc = overlap_document()
    marks = document_marks(doc)
    p = parse(highlight_html(doc.text, marks))
    assert "".join(p.text) == doc.text
    assert p.cover == expected_cover(doc.text, marks)


def test_highlight_first_fragment_only_carries_the_anchor():
    doc = overlap_document()
    p = parse(highlight_html(doc.text, document_marks(doc)))
    assert len(p.ids) == len(set(p.ids))
    assert {"c0", "q0", "t0", "t1", "p0", "p1", "v0", "e0", "e1"} <= set(p.ids)


def test_highlight_crossing_spans_are_split_into_fragments():
    text = "abcdefghij"
    marks = [Mark(0, 6, "claims", "c0", "x"), Mark(3, 9, "techniques", "t0", "Doubt")]
    out = str(highlight_html(text, marks))
    assert out.count('data-ref="t0"') == 2 and out.count('id="t0"') == 1
    assert parse(out).cover == expected_cover(text, marks)


def test_highlight_target_span_from_query():
    doc = overlap_document()
    marks = document_marks(doc, target=(5, 20))
    assert any(m.ref == "target" and (m.start, m.end) == (5, 20) for m in marks)
    assert parse_span("5-20", len(doc.text)) == (5, 20)
    assert parse_span("20-5", 100) is None and parse_span("0-1000", 10) is None and parse_span("x", 10) is None


def test_highlight_technique_colour_is_stable():
    assert technique_colour("Loaded_Language") == technique_colour("Loaded_Language")
    assert 0 <= technique_colour("Doubt") < 8


spans = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40),
                           st.sampled_from(["claims", "quotes", "techniques", "places", "entities", "events"])),
                 max_size=12)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab <>&\"'\u201c\n\u0416")), min_size=1, max_size=40), raw=spans)
def test_highlight_any_spans_nest_and_cover_exactly(text, raw):
    marks = [Mark(min(a, b), max(a, b), layer, f"{layer[0]}{i}", "x")
             for i, (a, b, layer) in enumerate(raw) if min(a, b) < max(a, b) <= len(text)]
    out = highlight_html(text, marks)
    p = parse(out)
    assert "".join(p.text) == text
    assert p.cover == expected_cover(text, marks)
    assert html.unescape(str(out)).count("<mark") == str(out).count("<mark")


def test_highlight_mutes_repeated_caption_paragraphs_but_keeps_their_anchors():
    from discernment.model import Document, Entity

    caption = "Ukrainian servicemen ride atop an armoured vehicle near Kharkiv on Tuesday, in eastern Ukraine."
    text = f"{caption}\nShelling hit Izium overnight, officials said.\n{caption}\n{caption}"
    starts = [i for i in range(len(text)) if text.startswith("Kharkiv", i)]
    doc = Document(text, entities=[Entity(s, s + 7, "Kharkiv", "GPE", "Kharkiv") for s in starts])
    marks = document_marks(doc)
    assert [m.muted for m in marks] == [False, True, True]  # only the first copy is highlighted
    html = str(highlight_html(text, marks))
    assert html.count("hl-muted") == 2 and 'id="e1"' in html and 'id="e1" tabindex' not in html


def test_highlight_search_snippet_marks_hits_and_keeps_editorial_brackets():
    from discernment.web.highlight import first_hit, hit_snippet, marked_snippet, safe_url, term_pattern

    text = "He said [sic] that over 2,000 <militants> were killed near Izium."
    pattern = term_pattern(["2,000", "militants"])
    at = first_hit(text, pattern)
    assert text[at[0]:at[1]] == "2,000"
    html = str(hit_snippet(text, pattern, at))
    assert '<mark class="hit">2,000</mark>' in html and "[sic]" in html and "&lt;" in html
    assert str(marked_snippet("over [2,000] [sic]", pattern)) == 'over <mark class="hit">2,000</mark> [sic]'
    assert str(marked_snippet("a \ue000hit\ue001 <b>")) == 'a <mark class="hit">hit</mark> &lt;b&gt;'
    assert safe_url("javascript:alert(1)") is None and safe_url("https://example.org/a") == "https://example.org/a"
