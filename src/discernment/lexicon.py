"""Word classes kept as data (``resources/<language>/<file>.toml``): ``words.toml`` holds those shared by layers
that must not import each other (the speaker resolver in resolve/ and the extractors in extract/), and a
component's own lists live in a file named after it (``places.toml``). Adding a language means adding a folder
of these files."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def _table(language: str, file: str = "words") -> dict[str, list[str]]:
    text = resources.files("discernment").joinpath(f"resources/{language}/{file}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def words(name: str, language: str = "en", file: str = "words") -> frozenset[str]:
    """The word class ``name`` of ``language`` (e.g. ``document_nouns``) from ``resources/<language>/<file>.toml``,
    lower-cased."""
    return frozenset(w.lower() for w in _table(language, file)[name])


def mapping(name: str, language: str = "en", file: str = "words") -> dict[str, str]:
    """The table ``name`` of ``language`` (e.g. a capital -> the government seated there), keys lower-cased."""
    return {k.lower(): v for k, v in _table(language, file)[name].items()}


def _entry(name: str, language: str, file: str):
    """The entry ``name`` of a file; a dotted name reaches into tables (``types.strike``)."""
    node = _table(language, file)
    for part in name.split("."):
        node = node[part]
    return node


def sequence(name: str, language: str = "en", file: str = "words") -> tuple:
    """The list ``name`` in its written order (where order matters: first match wins), as a tuple."""
    return tuple(_entry(name, language, file))


def table(file: str, language: str = "en") -> dict:
    """The whole of ``resources/<language>/<file>.toml``, as parsed (read once)."""
    return _table(language, file)


def text(name: str, language: str = "en", file: str = "words", slots: dict[str, str] | None = None) -> str:
    """The regular-expression source ``name``: a string, or a list of pieces joined as they are, in order (long
    patterns are written as pieces so that each can carry a comment on why it is there). ``slots`` fills the
    placeholders ``{key}`` of its keys with their patterns (a month name, a count); other braces, such as
    a repeat count ``{4}``, stay as they are."""
    entry = _entry(name, language, file)
    source = entry if isinstance(entry, str) else "".join(entry)
    if slots:
        source = re.sub(r"\{(" + "|".join(map(re.escape, slots)) + r")\}", lambda m: slots[m.group(1)], source)
    return source


def pattern(name: str, language: str = "en", file: str = "words", flags: int = 0) -> re.Pattern:
    """``text(name)`` compiled with ``flags``."""
    return re.compile(text(name, language, file), flags)
