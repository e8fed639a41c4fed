"""The article text as HTML with one ``<mark>`` per annotation, built from offsets; overlaps render correctly.

Spans from different layers overlap freely (a quote inside a claim, a place inside both, a technique across a
sentence boundary). HTML elements must nest, so a span that crosses the end of another is split into fragments:
every fragment carries ``data-ref`` (``c3`` = claims[3]); only the first carries ``id`` and ``tabindex`` so it
can be linked to (``/doc/ID#c3``) and focused. All text is escaped; nothing from the article reaches the page
unescaped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from ..model import Document

# Layer -> id prefix; the order is also the nesting preference (earlier = outer) for spans of equal extent.
LAYER_PREFIX = {"claims": "c", "quotes": "q", "events": "v", "techniques": "t", "places": "p", "entities": "e"}
LAYER_ORDER = {name: i for i, name in enumerate(LAYER_PREFIX)}
TECHNIQUE_COLOURS = 8


@dataclass(frozen=True)
class Mark:
    """One highlighted span. ``role`` is "span" for the record itself, "speaker"/"claimant" for its source."""

    start: int
    end: int
    layer: str
    ref: str
    label: str
    role: str = "span"
    muted: bool = False  # inside page furniture or a repeated copy of a paragraph: kept as an anchor, not shown

    @property
    def css(self) -> str:
        classes = ["hl", f"hl-{self.layer}"]
        if self.role != "span":
            classes.append(f"hl-{self.role}")
        if self.layer == "techniques" and self.role == "span":
            classes.append(f"tech-{technique_colour(self.label)}")
        if self.muted:
            classes.append("hl-muted")
        return " ".join(classes)


def technique_colour(name: str) -> int:
    """A stable colour index (0..7) for a technique name, so one technique has one colour everywhere."""
    return sum(name.encode("utf-8")) % TECHNIQUE_COLOURS


def css_slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def document_marks(doc: Document, target: tuple[int, int] | None = None) -> list[Mark]:
    """Every span of every layer (plus quote speakers and claimants) as marks; ``target`` adds a "target" mark."""
    marks: list[Mark] = []
    for i, q in enumerate(doc.quotes):
        marks.append(Mark(q.start, q.end, "quotes", f"q{i}", q.kind))
        if q.speaker is not None:
            marks.append(Mark(q.speaker.start, q.speaker.end, "quotes", f"q{i}", "speaker", role="speaker"))
    for i, c in enumerate(doc.claims):
        marks.append(Mark(c.start, c.end, "claims", f"c{i}", c.type))
        if c.claimant is not None and c.claimant.start is not None and c.claimant.end is not None:
            marks.append(Mark(c.claimant.start, c.claimant.end, "claims", f"c{i}", "claimant", role="claimant"))
    for i, e in enumerate(doc.events):
        marks.append(Mark(e.start, e.end, "events", f"v{i}", e.type))
    for i, t in enumerate(doc.techniques):
        marks.append(Mark(t.start, t.end, "techniques", f"t{i}", t.technique))
    for i, p in enumerate(doc.places):
        marks.append(Mark(p.start, p.end, "places", f"p{i}", p.name or p.text))
    for i, e in enumerate(doc.entities):
        marks.append(Mark(e.start, e.end, "entities", f"e{i}", e.label))
    quiet = muted_ranges(doc.text)
    if quiet:
        starts = [s for s, _ in quiet]
        marks = [replace(m, muted=True) if _inside(m.start, starts, quiet) else m for m in marks]
    if target is not None:
        marks.append(Mark(target[0], target[1], "target", "target", "linked span"))
    n = len(doc.text)
    return [m for m in marks if 0 <= m.start < m.end <= n]


MIN_REPEATED_PARAGRAPH = 40  # characters; shorter lines ("Advertisement", "Kyiv") repeat innocently


def repeated_paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every paragraph (line) that repeats an earlier identical one, such as the photo captions wire
    copy carries three or four times; the first copy is not included."""
    seen: set[str] = set()
    out = []
    for m in re.finditer(r"[^\n]+", text):
        key = " ".join(m.group().split())
        if len(key) < MIN_REPEATED_PARAGRAPH:
            continue
        if key in seen:
            out.append((m.start(), m.end()))
        else:
            seen.add(key)
    return out


def muted_ranges(text: str) -> list[tuple[int, int]]:
    """Where the reader shows no highlight: page furniture and captions (as ``boilerplate.v1`` finds them, for
    documents stored before it ran) and the second and later copies of a repeated paragraph."""
    from ..extract.boilerplate import boilerplate_ranges

    ranges = sorted(boilerplate_ranges(text) + repeated_paragraphs(text))
    merged: list[tuple[int, int]] = []
    for s, e in ranges:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _inside(offset: int, starts: list[int], ranges: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and offset < ranges[i][1]


def _open_tag(mark: Mark, first: bool) -> str:
    attrs = f'class="{mark.css}" data-ref="{mark.ref}"'
    if first and mark.role == "span":
        attrs += f' id="{mark.ref}"'
        if not mark.muted:
            attrs += f' tabindex="0" aria-describedby="d-{mark.ref}"'
    return f"<mark {attrs}>"


def highlight_html(text: str, marks: list[Mark]) -> Markup:
    """``text`` escaped, with every mark as properly nested ``<mark>`` fragments."""
    starts: dict[int, list[Mark]] = {}
    ends: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
        ends.setdefault(m.end, []).append(m)
    for group in starts.values():  # longer spans open first so they are the outer elements
        group.sort(key=lambda m: (-m.end, LAYER_ORDER.get(m.layer, 99), m.role != "span", m.ref))
    bounds = sorted({0, len(text), *starts, *ends})
    out: list[str] = []
    stack: list[Mark] = []
    opened: set[Mark] = set()
    for i, pos in enumerate(bounds):
        closing = ends.get(pos, ())
        if closing and stack:
            ending = set(closing)
            low = min((k for k, m in enumerate(stack) if m in ending), default=len(stack))
            reopen = [m for m in stack[low:] if m not in ending]
            out.append("</mark>" * (len(stack) - low))
            del stack[low:]
            for m in reopen:
                out.append(_open_tag(m, first=False))
                stack.append(m)
        for m in starts.get(pos, ()):
            out.append(_open_tag(m, first=m not in opened))
            opened.add(m)
            stack.append(m)
        if i + 1 < len(bounds):
            out.append(str(escape(text[pos:bounds[i + 1]])))
    out.append("</mark>" * len(stack))
    return Markup("".join(out))


def parse_span(value: str | None, length: int) -> tuple[int, int] | None:
    """``"120-184"`` as (120, 184) when it is a non-empty span inside a text of ``length``; else None."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{1,9})-(\d{1,9})", value.strip())
    if not m:
        return None
    start, end = int(m[1]), int(m[2])
    return (start, end) if 0 <= start < end <= length else None


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL (fit for an href); None otherwise (javascript:, data:, relative)."""
    if not url:
        return None
    url = url.strip()
    m = re.match(r"(?i)^(https?)://[^\s/?#]+", url)
    return url if m and not re.search(r"[\s\x00-\x1f]", url) else None


# -- search hits ---------------------------------------------------------------------------------------------
HIT_OPEN, HIT_CLOSE = "\ue000", "\ue001"  # private-use markers a query layer may put around a hit in a snippet


def term_pattern(terms: list[str]) -> re.Pattern | None:
    """A case-insensitive pattern matching any of ``terms`` as whole words; the words of a term may be separated
    by any punctuation or space, as the full-text index sees them ("2,000" matches "2,000" and "2 000")."""
    alternatives = []
    for term in terms:
        words = re.findall(r"\w+", term)
        if words:
            alternatives.append(r"\W+".join(re.escape(w) for w in words))
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def first_hit(text: str, pattern: re.Pattern | None) -> tuple[int, int] | None:
    m = pattern.search(text) if pattern is not None else None
    return (m.start(), m.end()) if m else None


def hit_snippet(text: str, pattern: re.Pattern | None, at: tuple[int, int], before: int = 90,
                after: int = 200) -> Markup:
    """The text around ``at`` (cut at spaces), escaped, every match of ``pattern`` in it wrapped in ``<mark>``."""
    lo = max(0, at[0] - before)
    hi = min(len(text), at[1] + after)
    if lo > 0:
        space = text.find(" ", lo, at[0])
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", at[1], hi)
        hi = space if space >= 0 else hi
    window = text[lo:hi]
    out: list[str] = ["…" if lo > 0 else ""]
    pos = 0
    for m in (pattern.finditer(window) if pattern is not None else ()):
        out.append(str(escape(window[pos:m.start()])))
        out.append(f'<mark class="hit">{escape(m.group())}</mark>')
        pos = m.end()
    out.append(str(escape(window[pos:])))
    out.append("…" if hi < len(text) else "")
    return Markup(" ".join("".join(out).split()))


def marked_snippet(snippet: str, pattern: re.Pattern | None = None) -> Markup:
    """A snippet from the query layer as HTML: escaped, its private-use hit markers (or, in a snippet that has
    none, the words matching ``pattern``) as ``<mark>``. Square brackets are the article's own and stay as text."""
    if HIT_OPEN in snippet:
        html = str(escape(snippet)).replace(HIT_OPEN, '<mark class="hit">').replace(HIT_CLOSE, "</mark>")
        if html.count('<mark class="hit">') != html.count("</mark>"):
            html = str(escape(snippet.replace(HIT_OPEN, "").replace(HIT_CLOSE, "")))
        return Markup(html)
    if not snippet:
        return Markup("")
    if pattern is not None:  # an older query layer's "[hit]" markers: unwrap only brackets around a match
        snippet = re.sub(r"\[([^\[\]\n]{1,200})\]",
                         lambda m: m.group(1) if pattern.fullmatch(m.group(1)) else m.group(0), snippet)
    return hit_snippet(snippet, pattern, (0, 0), before=0, after=len(snippet))
