"""The article text as HTML with one ``<mark>`` per annotation, built from offsets; overlaps render correctly.

Spans from different layers overlap freely (a quote inside a claim, a place inside both, a technique across a
sentence boundary). HTML elements must nest, so a span that crosses the end of another is split into fragments:
every fragment carries ``data-ref`` (``c3`` = claims[3]); only the first carries ``id`` and ``tabindex`` so it
can be linked to (``/doc/ID#c3``) and focused. All text is escaped; nothing from the article reaches the page
unescaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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

    @property
    def css(self) -> str:
        classes = ["hl", f"hl-{self.layer}"]
        if self.role != "span":
            classes.append(f"hl-{self.role}")
        if self.layer == "techniques" and self.role == "span":
            classes.append(f"tech-{technique_colour(self.label)}")
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
    if target is not None:
        marks.append(Mark(target[0], target[1], "target", "target", "linked span"))
    n = len(doc.text)
    return [m for m in marks if 0 <= m.start < m.end <= n]


def _open_tag(mark: Mark, first: bool) -> str:
    attrs = f'class="{mark.css}" data-ref="{mark.ref}"'
    if first and mark.role == "span":
        attrs += f' id="{mark.ref}" tabindex="0" aria-describedby="d-{mark.ref}"'
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
