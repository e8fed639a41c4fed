"""Quantities as the source gave them: a value, lower/upper bounds and a unit (conventions: docs/conventions.md).

- "over 2,000" / "more than" / "at least" N -> low = N, high = null;
- "up to" / "as many as" / "nearly" / "almost" / "fewer than" N -> high = N, low = null;
- "about" / "around" / "some" N -> value N, no bounds; a bare N -> low = high = N;
- "between 50 and 60" / "50 to 60" / "50-60" -> low 50, high 60, value 50 (the conservative end);
- vague counts follow ACLED: "dozens" 12, "hundreds" 100, "thousands" 1,000, "tens of thousands" 10,000, as lower
  bounds; "4 thousand" = 4,000; "80%" has unit "percent"; "within 72 hours" has unit "hours" (a duration).
- Years, clock times, ordinals and day-of-month numbers are not quantities.
"""

from __future__ import annotations

import re

from ..lexicon import table, text, words
from ..model import Quantity


def _words(name: str) -> frozenset[str]:
    return words(name, file="quantities")


def _fill(name: str) -> str:
    """The pattern ``name`` of resources/en/quantities.toml, its {mod}, {one}, {num} and {scale} filled in."""
    return text(name, file="quantities", slots=_SLOTS)


# The vocabulary is data: resources/en/quantities.toml, each entry with what it is for.
_DATA = table("quantities")
_SCALE = dict(_DATA["scales"])
_WORDS = dict(_DATA["numbers"])
_TENS = tuple(_DATA["tens"])
_WORDS.update({f"{t}-{u}": _WORDS[t] + _WORDS[u] for t in _TENS  # "sixty-seven"
               for u in [w for w, n in _DATA["numbers"].items() if 0 < n < 10]})
_VAGUE = dict(_DATA["vague"])
_LOWER = tuple(_DATA["lower"])
_UPPER = tuple(_DATA["upper"])
_APPROX = tuple(_DATA["approx"])
_DURATION = _words("duration")
_SKIP = _words("skip")
_MONTHS = [m.lower() for m in table("dates")["months"]] + _DATA["month_abbreviations"]

# A day number before its month: "on 9-10 July", "24 February" (matched on lower-cased text).
_MONTH_AFTER = re.compile(rf"\s*(?:-|–)?\s*(?:\d{{1,2}}\s+)?(?:{'|'.join(_MONTHS)})\b")

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUM = "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
_SCALE_RE = text("scale", file="quantities")
_MOD = "|".join(re.escape(m) for m in sorted(_LOWER + _UPPER + _APPROX, key=len, reverse=True))
_ONE = rf"(?:{_NUM}|\b(?:{_WORD_NUM})\b)(?:{_SCALE_RE})?"
_SLOTS = {"mod": _MOD, "one": _ONE, "num": _NUM, "scale": _SCALE_RE}
_PATTERN = re.compile(_fill("pattern"), re.I)
_UNIT_WORD = re.compile(r"\s+(?:of\s+)?([A-Za-z][A-Za-z-]*)")
# Nouns that war news counts: the first of these within the next four words is the unit, over adjectives
# ("100 fellow Ukrainian troops", "over 50 neo-Nazi fighters", "12 units of military equipment").
_COUNTED = _words("counted")
_NOT_UNITS = _words("not_units")
# Units written onto the number ("80km", "5kg", "1,000MW") and units of two words ("200 square metres").
_ATTACHED_UNIT = re.compile(_fill("attached_unit"))
_TWO_WORD_UNIT = re.compile(_fill("two_word_unit"), re.I)
# Units joined to the number by a hyphen ("a two-story building", "a 20-year lease", "a 40-km convoy").
_HYPHEN_UNIT = re.compile(_fill("hyphen_unit"), re.I)
_HYPHEN_PLURALS = dict(_DATA["hyphen_plurals"])
# Participles that name the people counted ("12 wounded", "five missing").
_STATES = _words("states")
# Present participles that follow a number as its verb ("100,000 fleeing"); nouns in -ing ("one morning") are units.
_PARTICIPLES = _words("participles")
_CURRENCY = dict(_DATA["currency"])
_UNIT_STOP = _words("unit_stop")
# What tells a number that is no count (see _is_date_number).
_NUMBER = re.compile(rf"^({_NUM}|{_WORD_NUM})\s*({'|'.join(_SCALE)})?$")
_EARLY_YEAR_BEFORE = _words("early_year_before")
_AGE_AFTER = re.compile(_fill("age_after"), re.I)
_AGE_BEFORE = _words("age_before")
_AGE_AFTER_NAME = re.compile(_fill("age_after_name"))
_TIME_AGO_AFTER = re.compile(_fill("time_ago_after"), re.I)
_ORDINAL_SUFFIX = re.compile(_fill("ordinal_suffix"))
_CLOCK_AFTER = re.compile(_fill("clock_after"), re.I)
_DESIGNATIONS = _words("designations")
_PRONOUN_ONE_BEFORE = re.compile(_fill("pronoun_one_before"), re.I)
_PRONOUN_ONE_AFTER = re.compile(_fill("pronoun_one_after"), re.I)
_ONE_OF = re.compile(_fill("one_of"), re.I)
_AT_ONE_AFTER = re.compile(_fill("at_one_after"), re.I)


def parse_number(text: str) -> float | None:
    """ "2,000" -> 2000, "4 thousand" -> 4000, "1.5 million" -> 1.5e6, "twelve" -> 12, "10k" -> 10000."""
    t = text.strip().lower()
    m = _NUMBER.match(t)
    if not m:
        return None
    base = m.group(1)
    value = float(base.replace(",", "")) if base[0].isdigit() else float(_WORDS[base])
    if m.group(2):
        value *= _SCALE[m.group(2)]
    return value


def _is_date_number(text: str, start: int, end: int, raw: str) -> bool:
    before = text[max(0, start - 12):start].lower().split()
    prev = text[start - 1] if start > 0 else " "
    if prev in ":/." or prev.isalnum() or (prev == "-" and start > 1 and text[start - 2].isalnum()):
        return True  # a clock time, a date, a model designation ("T-72", "Su-34")
    after = text[end:end + 4].lower()
    if re.fullmatch(r"(1[89]|20)\d\d", raw) and not re.match(r"\s*(?:%|per)", after):
        return True  # a year
    if re.fullmatch(r"\d{3,4}", raw) and before and before[-1] in _EARLY_YEAR_BEFORE and after[:1] == ",":
        return True  # an early year: "In 988, Prince Volodymyr ..."
    if _AGE_AFTER.match(text[end:end + 16]):
        return True  # an age ("a 25-year-old woman"), not a count
    if _TIME_AGO_AFTER.match(text[end:end + 24]):
        return True  # a date ("13 years ago"), not a count
    if _ORDINAL_SUFFIX.match(after) or re.match(r"[:/.]\d", after):
        return True  # ordinal, time, date
    if _CLOCK_AFTER.match(text[end:end + 6]):
        return True  # a clock time ("By 1225 GMT", "the 1 p.m. kickoff")
    if _MONTH_AFTER.match(text[end:end + 16].lower()):
        return True  # a day of the month before its month ("on 9-10 July", "24 February")
    if before and before[-1] in _AGE_BEFORE:
        return True  # "two soldiers aged 25"
    if _AGE_AFTER_NAME.search(text[max(0, start - 30):start]) and re.match(r"\s*[,)]", text[end:end + 3]):
        return True  # an age set off after a name: "Daniel, 11, was celebrated", "Grazyna, both 56, have"
    if prev in "§#№" or text[max(0, start - 2):start].rstrip() in ("§", "#", "№"):
        return True  # a section or a number sign: "under the Drone Act §4"
    if before and before[-1].rstrip(".") in _DESIGNATIONS:
        return True  # a designation: "Article 8 bis", "Resolution 2202"
    if raw.lower() == "one" and _PRONOUN_ONE_BEFORE.search(text[max(0, start - 9):start]):
        return True  # "no one gave him the right", "the one who ...": a pronoun
    if raw.lower() == "one" and (_PRONOUN_ONE_AFTER.match(text[end:end + 8])  # "One can argue": the pronoun
                                 or _ONE_OF.match(text[end:end + 12])
                                 or text[max(0, start - 3):start].lower() == "at " and
                                 _AT_ONE_AFTER.match(text[end:end + 8])):
        return True  # "one of the reasons", "at one point": no count
    return bool(before) and before[-1].strip(",.") in _MONTHS


def _unit(text: str, end: int) -> tuple[str | None, int]:
    """The counted noun after a number: a word of :data:`_COUNTED` within the next four words, else the first
    word that is not "more", "additional", "of" or capitalised."""
    pos = end
    for _ in range(4):
        m = _UNIT_WORD.match(text, pos)
        if not m:
            break
        word = m.group(1).lower()
        if word in _COUNTED:
            return word, m.end()
        if word in _UNIT_STOP and not (word in ("and", "or") and pos > end):
            break  # "30 artillery and drone strikes": "and" between two modifiers of the unit
        pos = m.end()
    pos = end
    for _ in range(3):
        m = _UNIT_WORD.match(text, pos)
        if not m:
            return None, end
        word = m.group(1)
        if word[:1].isupper() and word.endswith(("s", "S")) and len(word) > 3 and word.lower() not in _SKIP:
            return word.lower(), m.end()  # "3,000 Britons", "10 HIMARS": adjectives take no plural -s
        if word.lower() in _SKIP or (word[:1].isupper() and word.lower() not in _DURATION):
            pos = m.end()
            continue
        if word.lower() in _NOT_UNITS:
            return None, end  # "at 61.38 and", "weaken past 62 against the dollar", "$94.7 a barrel"
        low = word.lower()
        noun = _plural_after(text, m.end())
        if (low.endswith("ed") or low in _PARTICIPLES) and low not in _STATES and noun is None:
            return None, end  # a verb, no counted noun: "16 abstained", "60 standing"
        if noun is not None and not looks_plural(word) and low not in _DURATION:
            return noun  # "412,300 open posts", "100 armored trucks": the noun, not its adjective
        return low, m.end()
    return None, end


_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][A-Za-z-]*)")  # the next word on the line, "of" included


def looks_plural(word: str) -> bool:
    """A word spelled like an English plural noun ("roles", "cars"; not "press", "campus", "analysis")."""
    low = word.lower()
    return len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is"))


def _plural_after(text: str, pos: int) -> tuple[str, int] | None:
    """A plural noun within the next two words (capitalised names between them skipped), before any stop."""
    for _ in range(2):
        m = _NEXT_WORD.match(text, pos)
        if not m:
            return None
        word = m.group(1)
        if word.lower() in _UNIT_STOP or word.lower() in _NOT_UNITS:
            return None
        if looks_plural(word) and not word[:1].isupper():
            return word.lower(), m.end()
        pos = m.end()
    return None


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Quantities inside ``text[start:end]``, with offsets into ``text``."""
    end = len(text) if end is None else end
    out: list[Quantity] = []
    for m in _PATTERN.finditer(text, start, end):
        q = _quantity(text, m)
        if q is not None:
            out.append(q)
    return out


_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:;\"“”(]\s*|\n\s*)$")


def _in_name(text: str, start: int, raw: str) -> bool:
    """A number that is part of a name, after a capitalised word inside a sentence: "the Nord Stream 1
    pipeline", "promoted to League One"."""
    m = re.search(r"([A-Z][\w'’-]*)\s+$", text[max(0, start - 40):start])
    if m is None:
        return False
    word_start = start - len(m.group(0))
    return not _SENTENCE_OPENING.search(text[max(0, word_start - 3):word_start]) and \
        m.group(1).lower().rstrip(".") not in _MONTHS


def _written_unit(text: str, end: int) -> tuple[str, int] | None:
    """A unit written onto the number, joined by a hyphen, or in two words (:data:`_ATTACHED_UNIT`,
    :data:`_HYPHEN_UNIT`, :data:`_TWO_WORD_UNIT`), and where it ends; None when there is none."""
    m = _ATTACHED_UNIT.match(text, end)
    if m:
        return m.group(1), m.end()
    m = _HYPHEN_UNIT.match(text, end)
    if m:
        word = m.group(1).lower()
        return _HYPHEN_PLURALS.get(word, word + "s"), m.end()
    m = _TWO_WORD_UNIT.match(text, end)
    if m:
        return " ".join(m.group(1).lower().split()), m.end()
    return None


def _quantity(text: str, m: re.Match) -> Quantity | None:
    mod = (m.group("mod") or "").lower()
    low = high = value = None
    if m.group("vague"):
        value = low = float(_VAGUE[m.group("vague").lower()])
    elif m.group("one"):
        raw = m.group("one")
        if _is_date_number(text, m.start("one"), m.end("one"), raw):
            return None
        value = parse_number(raw)
        if value is None:
            return None
        if mod in _LOWER:
            low = value
        elif mod in _UPPER:
            high = value
        elif not mod:
            low = high = value
    else:
        a, b = (m.group("b1"), m.group("b2")) if m.group("b1") else (
            (m.group("f1"), m.group("f2")) if m.group("f1") else (
                (m.group("o1"), m.group("o2")) if m.group("o1") else (m.group("r1"), m.group("r2"))))
        scale = m.group("rscale") or ""
        low, high = parse_number(a + scale), parse_number(b + scale)
        if low is None or high is None or (m.group("r1") and _is_date_number(text, m.start(), m.end(), a)):
            return None
        if not scale and all(re.fullmatch(r"(?:19|20)\d\d", x) for x in (a, b)) and not m.group("pct"):
            return None  # "between 2023 and 2025": years, a period of time
        if m.group("o1") and (_is_date_number(text, m.start("o1"), m.end("o1"), a) or low >= high
                              or _is_date_number(text, m.start("o2"), m.end("o2"), b)):
            return None  # "on 9 or 10 July"; "one or two" only when rising
        value = low
        if mod in _UPPER:  # "up to five or six hours": at most the higher
            low, value = None, high
    q_end = m.end()
    s = m.start()
    if m.group("pct"):
        unit = "percent"
    elif m.group("cur"):
        unit = _CURRENCY[m.group("cur")]  # "$94.7", "€1.5 billion", "up to £20m"
    elif (written := _written_unit(text, q_end)) is not None:
        unit, q_end = written
    else:
        unit, unit_end = _unit(text, q_end)
        if unit in _DURATION:
            if text[q_end:unit_end].strip()[:1].isupper() and not _SENTENCE_OPENING.search(text[max(0, s - 3):s]):
                return None  # a title: "the talk show 60 Minutes"
            q_end = unit_end
        if (not mod and m.group("one") and (unit is None or not looks_plural(unit) and unit not in _COUNTED)
                and _in_name(text, m.start("one"), m.group("one"))):
            return None  # no count of anything named: "the Nord Stream 1 pipeline", "League One"
    e = q_end
    while e > s and text[e - 1].isspace():
        e -= 1
    return Quantity(s, e, text[s:e], value, low, high, unit)
