"""In-document name canonicalisation: "Putin" and "Vladimir Putin" become one canonical "Vladimir Putin".

A short person mention takes the canonical form of the nearest full mention earlier in the document whose
last words it matches (surname), passing over one named only as the relative of another of that surname ("the
son of ..."), else the nearest later one, else a known alias, else itself. Organisations
and places take a known alias or their own text without a leading "the" and possessive.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..lexicon import pattern, words

_POSSESSIVE = re.compile(r"(?:'s|’s|´s|'|’|´)$")
_LEADING = re.compile(r"^(?:the|The)\s+")
_WS = re.compile(r"\s+")
# A name introduced as someone's relative: "the eldest son of Vladimir Yakunin" (resources/en/names.toml).
KIN_OF = pattern("kin_of", file="names", flags=re.I)
# Titles and occupations dropped from the front of a name (resources/en/names.toml).
TITLES = words("titles", file="names") | words("occupations", file="names")


def clean_name(text: str) -> str:
    """Collapse whitespace, drop a leading "the", a trailing possessive and leading titles."""
    name = _WS.sub(" ", text).strip()
    name = _LEADING.sub("", name)
    name = _POSSESSIVE.sub("", name).strip()
    words = name.split(" ")
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)


def load_aliases(extra_file: str | Path | None = None, use_known: bool = True) -> dict[str, str]:
    """alias -> canonical, from the bundled table and an optional user file (the user's entries win)."""
    table: dict[str, str] = {}
    if use_known:
        table.update(_bundled_aliases())
    if extra_file:
        table.update(_parse_aliases(Path(extra_file).read_text(encoding="utf-8")))
    return table


@lru_cache(maxsize=1)
def _bundled_aliases() -> dict[str, str]:
    text = resources.files("discernment").joinpath("resources/aliases.tsv").read_text(encoding="utf-8")
    return _parse_aliases(text)


def _parse_aliases(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        alias, canonical = line.split("\t", 1)
        out[alias.strip()] = canonical.strip()
    return out


@dataclass(frozen=True)
class NameMention:
    start: int
    label: str
    name: str  # cleaned surface form
    kin: bool = False  # introduced as someone's relative ("the son of Vladimir Yakunin")


def canonicalise(mentions: list[NameMention], aliases: dict[str, str]) -> list[str]:
    """Canonical name for each mention, in order (see the module docstring for the rules)."""
    full_people = _FullNames([m for m in mentions if m.label == "PERSON" and len(m.name.split()) > 1])
    out = []
    for m in mentions:
        if m.label == "PERSON":
            out.append(_canonical_person(m, full_people, aliases))
        else:
            out.append(aliases.get(m.name, m.name))
    return out


class _FullNames:
    """The full person mentions of a document by their last words (lower case): for each ending, the mentions
    that end so (and have more words), sorted by position, with what ``_canonical_person`` asks of the ones
    before a position worked out once. Looking a short name up costs a bisection, not a pass over every full
    name (which made a long document quadratic)."""

    def __init__(self, full_people: list[NameMention]):
        by_ending: dict[tuple[str, ...], list[NameMention]] = {}
        for f in full_people:
            words = [w.lower() for w in f.name.split()]
            for k in range(1, len(words)):
                by_ending.setdefault(tuple(words[-k:]), []).append(f)
        self.endings = {key: _Ending(found) for key, found in by_ending.items()}

    def get(self, words: list[str]) -> "_Ending | None":
        return self.endings.get(tuple(w.lower() for w in words))


class _Ending:
    """The full mentions sharing one ending, by position (stable: on a tie, in document order)."""

    def __init__(self, found: list[NameMention]):
        self.found = sorted(found, key=lambda f: f.start)
        self.starts = [f.start for f in self.found]
        first_name = self.found[0].name
        # the length of the shortest prefix naming two people; of the shortest holding one not named as kin
        self.two_names = next((p + 1 for p, f in enumerate(self.found) if f.name != first_name), None)
        self.not_kin = next((p + 1 for p, f in enumerate(self.found) if not f.kin), None)
        # per prefix length - 1: the position of its latest mention, and of its latest not named as kin (the first
        # of those on a tie of positions, as max() picks)
        self.latest: list[int] = []
        self.latest_not_kin: list[int | None] = []
        best = best_not_kin = None
        for p, f in enumerate(self.found):
            if best is None or f.start > self.found[best].start:
                best = p
            if not f.kin and (best_not_kin is None or f.start > self.found[best_not_kin].start):
                best_not_kin = p
            self.latest.append(best)
            self.latest_not_kin.append(best_not_kin)

    def chosen(self, start: int) -> NameMention:
        """The nearest full mention before ``start``, passing over one named only as the relative of another of
        that ending when two people bear it; else the first one after."""
        before = bisect_left(self.starts, start)  # the full mentions earlier than ``start``
        if not before:
            return self.found[0]
        if self.two_names is not None and before >= self.two_names and self.not_kin is not None \
                and before >= self.not_kin:
            return self.found[self.latest_not_kin[before - 1]]
        return self.found[self.latest[before - 1]]


def _canonical_person(m: NameMention, full_people: _FullNames, aliases: dict[str, str]) -> str:
    words = m.name.split()
    if not words:
        return m.name
    ending = full_people.get(words)
    if ending is not None:
        chosen = ending.chosen(m.start)
        return aliases.get(chosen.name, chosen.name)
    return aliases.get(m.name, m.name)
