"""Word classes kept as data (``resources/<language>/words.toml``), shared by layers that must not import each
other: the speaker resolver (resolve/) and the extractors (extract/) both read them from here."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def _table(language: str) -> dict[str, list[str]]:
    text = resources.files("discernment").joinpath(f"resources/{language}/words.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def words(name: str, language: str = "en") -> frozenset[str]:
    """The word class ``name`` of ``language`` (e.g. ``document_nouns``), lower-cased."""
    return frozenset(w.lower() for w in _table(language)[name])
