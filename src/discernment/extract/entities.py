"""``entities.v1``: named entities from spaCy's NER plus military units, each with a canonical name."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterable

from .. import registry
from ..config import Config
from ..lexicon import text as regex_text
from ..lexicon import words
from ..model import Document, Entity
from ..pipeline import Component, Resources
from ..resolve.names import KIN_OF, TITLES, NameMention, canonicalise, clean_name, load_aliases

# "92nd Mechanised Brigade", "36th Separate Marine Brigade", "1st Guards Tank Army", "Azov Regiment". The words
# are data: resources/en/entities.toml, each with what it is for.
_UNIT_WORDS = regex_text("unit_words", file="entities")
_NAMED_UNITS = regex_text("named_units", file="entities")
_UNIT_NOUNS = regex_text("unit_nouns", file="entities")
_UNIT_RE = re.compile(
    rf"\b(?:\d{{1,3}}(?:st|nd|rd|th)\s+(?:{_UNIT_WORDS}\s+)*|(?:[A-Z][a-z]+\s+)?(?:{_UNIT_WORDS}\s+)+|{_NAMED_UNITS}\s+)"
    rf"{_UNIT_NOUNS}s?\b"
)


def find_units(text: str) -> list[tuple[int, int]]:
    """Character spans of military unit names in ``text``."""
    return [(m.start(), m.end()) for m in _UNIT_RE.finditer(text)]


class Entities(Component):
    name = "entities.v1"
    requires = ("doc.spacy",)
    assigns = ("doc.entities",)

    def __init__(self, labels: Iterable[str], aliases: dict[str, str]):
        self.labels = frozenset(labels)
        self.aliases = aliases

    def __call__(self, doc: Document) -> Document:
        sdoc = doc.cache["spacy"]
        text = doc.text
        units = find_units(text) if "UNIT" in self.labels else []
        spans: list[tuple[int, int, str]] = [(s, e, "UNIT") for s, e in units]
        unit_ends = [e for _, e in units]
        for ent in sdoc.ents:
            if ent.label_ not in self.labels:
                continue
            start, end = _trim(text, ent.start_char, ent.end_char)
            if start >= end or _overlaps(units, unit_ends, start, end):
                continue
            spans.append((start, end, _person_by_title(text[start:end], ent.label_)))
        spans.sort()
        mentions = [NameMention(s, label, clean_name(text[s:e]) or text[s:e],
                                bool(KIN_OF.search(text, max(0, s - 40), s))) for s, e, label in spans]
        canon = canonicalise(mentions, self.aliases)
        doc.set_layer(
            "entities",
            [Entity(s, e, text[s:e], label, c) for (s, e, label), c in zip(spans, canon)],
        )
        return doc


def _overlaps(units: list[tuple[int, int]], ends: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps a unit name; ``units`` come from one left-to-right regex scan, so they are
    disjoint and sorted, their ends too: only the first ending after ``start`` can overlap."""
    k = bisect_right(ends, start)
    return k < len(units) and units[k][0] < end


_ORG_HEADS = words("org_heads", file="entities")


def _person_by_title(name: str, label: str) -> str:
    """ORG for a titled name ("Major General Igor Konashenkov") is a small-model slip: a title, then capitalised
    words that end in no organisation noun, name a person."""
    words = name.split()
    if label != "ORG" or len(words) < 3 or words[0].lower().rstrip(".") not in TITLES:
        return label
    if clean_name(words[-1]).lower() in _ORG_HEADS or not all(w[:1].isupper() for w in words):
        return label
    return "PERSON"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@registry.components.register("entities.v1")
def make_entities(config: Config, resources: Resources) -> Entities:
    aliases = load_aliases(config["entities.aliases_file"] or None, config["entities.use_known_aliases"])
    return Entities(config["entities.labels"], aliases)
