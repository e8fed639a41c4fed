"""In-document name canonicalisation: "Putin" and "Vladimir Putin" become one canonical "Vladimir Putin".

A short person mention takes the canonical form of the nearest full mention earlier in the document whose
last words it matches (surname), passing over one named only as the relative of another of that surname ("the
son of ..."), else the nearest later one, else a known alias, else itself. Organisations
and places take a known alias or their own text without a leading "the" and possessive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

_POSSESSIVE = re.compile(r"(?:'s|’s|´s|'|’|´)$")
_LEADING = re.compile(r"^(?:the|The)\s+")
_WS = re.compile(r"\s+")
# A name introduced as someone's relative: "the eldest son of Vladimir Yakunin".
KIN_OF = re.compile(r"\b(?:son|daughter|father|mother|wife|husband|widow|brother|sister|nephew|niece|grandson|"
                    r"granddaughter)\s+of\s+$", re.I)
TITLES = frozenset(
    "president mr mrs ms dr general gen colonel col lieutenant lt major maj minister spokesman spokeswoman "
    "spokesperson commander chief prime secretary ambassador governor mayor sir lord".split()
) | frozenset(
    # occupations the tagger joins to a name at the start of a sentence: "Medic David Anderson, from Rutland"
    "medic nurse doctor surgeon paramedic soldier volunteer journalist reporter correspondent photographer "
    "activist resident lawyer analyst professor prof sergeant sgt captain capt corporal admiral marshal senator "
    "sen rep congressman congresswoman deputy chairman chairwoman director officer envoy official pastor "
    "priest rev".split()
)


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
    full_people = [m for m in mentions if m.label == "PERSON" and len(m.name.split()) > 1]
    out = []
    for m in mentions:
        if m.label == "PERSON":
            out.append(_canonical_person(m, full_people, aliases))
        else:
            out.append(aliases.get(m.name, m.name))
    return out


def _canonical_person(m: NameMention, full_people: list[NameMention], aliases: dict[str, str]) -> str:
    words = m.name.split()
    if not words:
        return m.name
    candidates = [f for f in full_people if f is not m and _ends_with(f.name.split(), words)]
    if candidates:
        earlier = [f for f in candidates if f.start < m.start]
        if len({f.name for f in earlier}) > 1 and any(not f.kin for f in earlier):
            # two people of one surname: a bare surname is not the one named only as the other's relative
            earlier = [f for f in earlier if not f.kin]
        chosen = max(earlier, key=lambda f: f.start) if earlier else min(candidates, key=lambda f: f.start)
        return aliases.get(chosen.name, chosen.name)
    return aliases.get(m.name, m.name)


def _ends_with(full: list[str], short: list[str]) -> bool:
    return len(full) > len(short) and [w.lower() for w in full[-len(short):]] == [w.lower() for w in short]
