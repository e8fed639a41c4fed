"""Word classes kept as data (``resources/<language>/<file>.toml``): ``words.toml`` holds those shared by layers
that must not import each other (the speaker resolver in resolve/ and the extractors in extract/), and a
component's own lists live in a file named after it (``places.toml``). Adding a language means adding a folder
of these files."""

from __future__ import annotations

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
