"""Place-name keys (toponyms): a normalised form for exact lookup and a folded form that merges romanisations.

``name_key`` lower-cases, strips diacritics and apostrophes (the soft-sign marks in "Vovchans'k") and turns
punctuation into spaces, so "Kupiansk", "KUPIANSK" and "Kup'iansk" share one key. Cyrillic stays Cyrillic
there (GeoNames lists "Купянск" itself). ``fold_key`` goes further, by rule: Cyrillic is romanised, and the
spellings that Russian and Ukrainian romanisations disagree on are merged (y/i, ya/ia, ye/ie, g/h, kh/h,
final -ov/-ev/-iv, doubled letters), so "Kupyansk"/"Kupiansk", "Chuguyev"/"Chuhuiv" and "Kharkov"/"Kharkiv"
meet. Folded matches are weaker evidence than exact ones; the gazetteer ranks them lower.
"""

from __future__ import annotations

import re
import unicodedata

from ..lexicon import table

_TABLE = table("toponyms")
# The romanisation and the fold are data: resources/en/toponyms.toml, each entry with what it is for.
# Russian and Ukrainian letters to Latin (a plain, BGN-like scheme; the fold below absorbs the variants).
_CYRILLIC = dict(_TABLE["cyrillic"])
_APOSTROPHES = re.compile(r"[’'ʼ`´‘ʹʻ]")
_NON_WORD = re.compile(r"[^\w]+")
# Abbreviations that open a name, written out: "st " -> "saint ".
_PREFIXES = tuple(_TABLE["abbreviations"].items())
# The rules that merge romanisations (y/i, g/h, kh/h, final -ov/-iv, ...), in the order they apply.
_FOLD_RULES = tuple((re.compile(rule), replacement) for rule, replacement in _TABLE["fold_rules"])


def strip_marks(text: str) -> str:
    """Remove combining diacritics (é -> e, й -> и); letters of every script are kept."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(name: str) -> str:
    """The exact-lookup key: case, diacritics, apostrophes, punctuation and a leading "the" ignored."""
    text = _APOSTROPHES.sub("", strip_marks(name).lower())
    text = _NON_WORD.sub(" ", text).replace("_", " ").strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def romanise(text: str) -> str:
    """Cyrillic letters to Latin ones; other characters unchanged."""
    if text.isascii():
        return text
    return "".join(_CYRILLIC.get(ch, ch) for ch in text)


def fold_key(name: str) -> str:
    """The transliteration-blind key (see the module docstring). Empty when nothing Latin remains."""
    return fold_name_key(name_key(name))


def fold_name_key(key: str) -> str:
    """``fold_key`` of a name whose ``name_key`` is already known."""
    text = romanise(key)
    for short, full in _PREFIXES:
        if text.startswith(short):
            text = full + text[len(short):]
    for pattern, replacement in _FOLD_RULES:
        text = pattern.sub(replacement, text)
    return text if text.isascii() else ""


def is_latin_or_cyrillic(name: str) -> bool:
    """True for names written in Latin or Cyrillic letters (the only scripts English war news uses)."""
    if name.isascii():
        return True
    for ch in strip_marks(name):
        if ch.isalpha() and not ("a" <= ch.lower() <= "z" or "\u0400" <= ch <= "\u04ff"):
            return False
    return True
