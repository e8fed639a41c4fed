"""``boilerplate.v1``: drop what the other components found in a page's furniture.

Articles saved as plain text (scrapers, exports, copy-paste) keep lines that belong to the web page rather than to
the story: "Advertisement", newsletter and Telegram calls, photo credits and captions, and links to other "
    "stories ("Related:
...", "READ MORE: ...", Kyiv Post's "Other Topics of Interest" teaser, which carries another article's quote).
A quote, claim or place found there belongs to no one in this article. This component runs last; it removes every
entity, place, quote, claim, event and technique that starts inside such a paragraph and renumbers the indexes
that point between layers (``claims[i].places``, ``events[j].claim``). The text itself is never changed, so
offsets stay valid; :func:`boilerplate_ranges` says which paragraphs were furniture.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from .. import registry
from ..config import Config
from ..lexicon import pattern, table
from ..model import Document
from ..pipeline import Component, Resources

# The vocabulary patterns are data: resources/en/boilerplate.toml, each with what it is for.
# Each pattern matches a whole paragraph (one line) from its first non-blank character. Kept narrow: a line is
# furniture only when its opening words are; a story's own sentence never starts this way.
_PARAGRAPHS = list(table("boilerplate")["paragraphs"])
_FURNITURE = re.compile(r"^[ \t]*(?:" + "|".join(_PARAGRAPHS) + r")[ \t]*$", re.IGNORECASE | re.MULTILINE)
# A photo caption: a paragraph that ends with the picture's credit in brackets.
_CAPTION = pattern("caption", file="boilerplate", flags=re.MULTILINE)


# Furniture glued to a line of the story: the BBC's note under an embedded post.
_INLINE = pattern("inline", file="boilerplate")


# Wire copy saved as text glues captions into the story: "... outside the city, Monday, Jan. 9, 2023. A court has
# ruled ... (AP Photo/Staff) The talks went on ...". The caption runs from "FILE - " or from the sentence that dates
# the picture (", Monday, Jan. 9, 2023.") to the credit.
_CREDIT = pattern("credit", file="boilerplate")
_PHOTO_DATE = pattern("photo_date", file="boilerplate")
_FILE = re.compile(r"\bFILE\s+[-–—]\s+")
_SENTENCE_END = re.compile(r"(?:[.!?][\"”’']?\s+|\n)")


def _glued_captions(text: str) -> list[tuple[int, int]]:
    out = []
    previous = 0
    for m in _CREDIT.finditer(text):
        lo = max(previous, m.start() - 700)  # never back past the previous caption's credit
        previous = m.end()
        window = text[lo:m.start()]
        starts = [f.start() for f in _FILE.finditer(window)]
        if not starts:
            dated = list(_PHOTO_DATE.finditer(window))
            if dated:
                before = window[:dated[0].start()]
                ends = [e.end() for e in _SENTENCE_END.finditer(before)]
                starts = [ends[-1] if ends else 0]
        start = lo + starts[0] if starts else m.start()
        out.append((start, m.end()))
    return out


def boilerplate_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) character ranges of the paragraphs (and glued notes and captions) that are page furniture,
    in text order."""
    found = [(m.start(), m.end()) for pattern in (_FURNITURE, _INLINE, _CAPTION) for m in pattern.finditer(text)]
    return sorted(found + _glued_captions(text))


class Boilerplate(Component):
    name = "boilerplate.v1"
    requires = ("doc.text",)
    assigns = ("doc.entities", "doc.places", "doc.quotes", "doc.claims", "doc.events", "doc.techniques")
    produces = ()  # it only drops items other components made

    def __call__(self, doc: Document) -> Document:
        ranges = boilerplate_ranges(doc.text)
        if not ranges:
            return doc
        starts = [s for s, _ in ranges]

        def inside(offset: int) -> bool:
            i = bisect.bisect_right(starts, offset) - 1
            return i >= 0 and offset < ranges[i][1]

        doc.set_layer("entities", [e for e in doc.entities if not inside(e.start)])
        doc.set_layer("quotes", [q for q in doc.quotes if not inside(q.start)])
        doc.set_layer("techniques", [t for t in doc.techniques if not inside(t.start)])
        place_index = _kept_indexes([not inside(p.start) for p in doc.places])
        claim_index = _kept_indexes([not inside(c.start) for c in doc.claims])
        doc.set_layer("places", [p for i, p in enumerate(doc.places) if i in place_index])
        claims = []
        for i, c in enumerate(doc.claims):
            if i in claim_index:
                kept = tuple(a for a in (renumber_assertion(a, place_index) for a in c.assertions) if a is not None)
                claims.append(replace(c, places=tuple(place_index[i] for i in c.places if i in place_index),
                                      assertions=kept, asserts=kept[0] if kept else None))
        doc.set_layer("claims", claims)
        doc.set_layer("events", [
            replace(e, claim=claim_index.get(e.claim) if e.claim is not None else None)
            for e in doc.events if not inside(e.start)])
        return doc


def renumber_assertion(a: dict, place_index: dict[int, int]) -> dict | None:
    """An assertion with its place indexes renumbered; None when its own place was dropped."""
    a = dict(a)
    if a.get("place") is not None:
        if a["place"] not in place_index:
            return None
        a["place"] = place_index[a["place"]]
    if a.get("event"):
        event = dict(a["event"])
        event["place"] = place_index.get(event["place"]) if event.get("place") is not None else None
        a["event"] = event if event["place"] is not None else None
    return a


def _kept_indexes(kept: list[bool]) -> dict[int, int]:
    """Old index -> new index of the items kept."""
    return {old: new for new, old in enumerate(i for i, keep in enumerate(kept) if keep)}


@registry.components.register("boilerplate.v1")
def make_boilerplate(config: Config, resources: Resources) -> Boilerplate:
    return Boilerplate()
