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

from ..model import Quantity

_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000,
          "tn": 1_000_000_000_000}
_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
               "a hundred": 100, "a thousand": 1000, "a dozen": 12, "dozen": 12})
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORDS.update({f"{t}-{u}": 20 + 10 * i + j for i, t in enumerate(_TENS)  # "sixty-seven"
               for j, u in enumerate("one two three four five six seven eight nine".split(), start=1)})
_VAGUE = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000, "tens of thousands": 10_000,
          "hundreds of thousands": 100_000, "millions": 1_000_000, "tens of millions": 10_000_000,
          "hundreds of millions": 100_000_000, "billions": 1_000_000_000, "tens of billions": 10_000_000_000,
          "hundreds of billions": 100_000_000_000}
_LOWER = ("more than", "over", "at least", "upwards of", "in excess of", "no fewer than", "no less than",
          "above", "exceeding", "more then")
_UPPER = ("up to", "as many as", "nearly", "almost", "fewer than", "less than", "under", "no more than",
          "as much as", "just under", "below")
_APPROX = ("about", "around", "approximately", "some", "roughly", "an estimated", "estimated", "close to",
           "nearly about")
_DURATION = frozenset("second seconds minute minutes hour hours day days week weeks month months year years".split())
_SKIP = frozenset("more additional extra other new of the more than".split())
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()

# A day number before its month: "on 9-10 July", "24 February" (matched on lower-cased text).
_MONTH_AFTER = re.compile(rf"\s*(?:-|–)?\s*(?:\d{{1,2}}\s+)?(?:{'|'.join(_MONTHS)})\b")

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUM = "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
_SCALE_RE = r"(?:\s*(?:hundred|thousand|million|billion|trillion)\b|(?:k|m)\b|\s?(?:mn|bn|tn)\b)"
_MOD = "|".join(re.escape(m) for m in sorted(_LOWER + _UPPER + _APPROX, key=len, reverse=True))
_ONE = rf"(?:{_NUM}|\b(?:{_WORD_NUM})\b)(?:{_SCALE_RE})?"
_PATTERN = re.compile(
    rf"(?:\b(?P<mod>{_MOD})\s+)?(?:(?P<cur>US\$|[$€£₴₽])\s?(?=\d))?"
    rf"(?:\bbetween\s+(?P<b1>{_ONE})\s+and\s+(?P<b2>{_ONE})"
    rf"|\bfrom\s+(?P<f1>{_ONE})\s+to\s+(?P<f2>{_ONE})"
    rf"|(?P<r1>{_NUM})\s*(?:-|–|to)\s*(?P<r2>{_NUM})(?P<rscale>{_SCALE_RE})?"
    rf"|(?P<o1>{_ONE})\s+or\s+(?P<o2>{_ONE})\b"
    rf"|\b(?P<vague>(?:tens|hundreds) of (?:thousands|millions|billions)|dozens|scores|hundreds|thousands|"
    rf"millions|billions)\b"
    rf"|(?P<one>{_ONE}))"
    r"(?P<pct>\s?(?:%|per ?cent\b))?",
    re.I,
)
_UNIT_WORD = re.compile(r"\s+(?:of\s+)?([A-Za-z][A-Za-z-]*)")
# Nouns that war news counts: the first of these within the next four words is the unit, over adjectives
# ("100 fellow Ukrainian troops", "over 50 neo-Nazi fighters", "12 units of military equipment").
_COUNTED = frozenset("""
soldiers troops servicemen servicemembers fighters militants mercenaries personnel conscripts reservists recruits
officers commanders marines paratroopers sailors pilots civilians people persons children men women residents
citizens refugees prisoners captives hostages pows casualties victims dead bodies nationalists militiamen
tanks vehicles aircraft planes jets warplanes helicopters drones uavs missiles rockets shells rounds munitions
bombs howitzers guns cannons mortars launchers systems units pieces ships vessels boats warships submarines
depots warehouses positions strongholds bridges buildings homes houses villages towns cities settlements
strikes attacks raids assaults attempts sorties shellings explosions
kilometres kilometers km miles metres meters tonnes tons barrels dollars euros rubles roubles hryvnias pounds
""".split())
_NOT_UNITS = frozenset("a an the and or but nor against to at in on by for from with as than per of off up down "
                       "was were is are be been have has had will would would could should may might this that "
                       "these those it its their his her our who which when while after before since them they "
                       "us alone remain remained remains left died arrived joined during into onto over under "
                       "across through near around within without amid despite about since until among between "
                       "along behind beyond inside outside toward towards via".split())
# Units written onto the number ("80km", "5kg", "1,000MW") and units of two words ("200 square metres").
_ATTACHED_UNIT = re.compile(r"(km|kms|kg|mm|cm|ha|mph|kph|km/h|kW|MW|GW|bcm|sq\.? ?km)\b")
_TWO_WORD_UNIT = re.compile(r"\s+((?:square|cubic)\s+(?:kilomet(?:er|re)s?|met(?:er|re)s?|miles?|feet|foot|km|m)|"
                            r"(?:billion|million)\s+cubic\s+met(?:er|re)s)\b", re.I)
# Units joined to the number by a hyphen ("a two-story building", "a 20-year lease", "a 40-km convoy").
_HYPHEN_UNIT = re.compile(r"-(stor(?:y|ey)|floor|km|kilomet(?:er|re)|mile|met(?:er|re)|ton|tonne|hour|day|week|month|"
                          r"year|decade|minute|member|point|seat|bed|room|page)\b(?!-old)", re.I)
_HYPHEN_PLURALS = {"story": "stories", "storey": "storeys", "km": "km"}
# Participles that name the people counted ("12 wounded", "five missing").
_STATES = frozenset("wounded injured killed missing dead detained arrested displaced evacuated captured".split())
# Present participles that follow a number as its verb ("100,000 fleeing"); nouns in -ing ("one morning") are units.
_PARTICIPLES = frozenset("fleeing standing striking aspiring pressing being remaining living fighting waiting "
                         "working voting serving taking making holding trying seeking going coming".split())
_CURRENCY = {"$": "dollars", "US$": "dollars", "€": "euros", "£": "pounds", "₴": "hryvnias", "₽": "rubles"}
_UNIT_STOP = frozenset("was were are is be been have has had and or but in on at to from by with that which who "
                       "whom said say says were them they".split())


def parse_number(text: str) -> float | None:
    """ "2,000" -> 2000, "4 thousand" -> 4000, "1.5 million" -> 1.5e6, "twelve" -> 12, "10k" -> 10000."""
    t = text.strip().lower()
    m = re.match(rf"^({_NUM}|{_WORD_NUM})\s*(hundred|thousand|million|billion|trillion|k|m|mn|bn|tn)?$", t)
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
    if re.fullmatch(r"\d{3,4}", raw) and before and before[-1] in ("in", "since", "until") and after[:1] == ",":
        return True  # an early year: "In 988, Prince Volodymyr ..."
    if re.match(r"[-\s](?:year|month|week|day)s?[-\s]old\b", text[end:end + 16], re.I):
        return True  # an age ("a 25-year-old woman"), not a count
    if re.match(r"\s+(?:years?|months?|weeks?|days?|decades?|hours?)\s+(?:ago|earlier|before)\b", text[end:end + 24],
                re.I):
        return True  # a date ("13 years ago"), not a count
    if re.match(r"(?:st|nd|rd|th)\b", after) or re.match(r"[:/.]\d", after):
        return True  # ordinal, time, date
    if re.match(r"\s?(?:(?:GMT|UTC|CET|CEST|EET|EEST|MSK|BST|EST|EDT|PST|PDT|hrs|HRS)\b|[ap]\.?m\b\.?)",
                text[end:end + 6], re.I):
        return True  # a clock time ("By 1225 GMT", "the 1 p.m. kickoff")
    if _MONTH_AFTER.match(text[end:end + 16].lower()):
        return True  # a day of the month before its month ("on 9-10 July", "24 February")
    if before and before[-1] in ("aged", "age"):
        return True  # "two soldiers aged 25"
    if re.search(r"(?:\b[A-Z][\w'’-]+,|\bboth)\s*$", text[max(0, start - 30):start]) and re.match(r"\s*[,)]",
                                                                                           text[end:end + 3]):
        return True  # an age set off after a name: "Daniel, 11, was celebrated", "Grazyna, both 56, have"
    if prev in "§#№" or text[max(0, start - 2):start].rstrip() in ("§", "#", "№"):
        return True  # a section or a number sign: "under the Drone Act §4"
    if before and before[-1].rstrip(".") in ("article", "articles", "resolution", "paragraph", "section", "chapter",
                                             "clause", "no", "number", "part", "point", "item", "protocol", "year",
                                             "day", "week", "month", "phase", "stage", "round", "level", "category"):
        return True  # a designation: "Article 8 bis", "Resolution 2202"
    if raw.lower() == "one" and re.search(r"\b(?:no|any|every|each|some|the|this|that|which|another|no-)\s*$",
                                         text[max(0, start - 9):start], re.I):
        return True  # "no one gave him the right", "the one who ...": a pronoun
    if raw.lower() == "one" and (re.match(r"\s+(?:can|could|would|should|might|must|may|will|has|is|does)\b",
                                          text[end:end + 8], re.I)  # "One can argue": the pronoun
                                 or re.match(r"\s+of\s+(?:the|its|their|his|her|our|my|your|these|those|many|"
                                          r"several|two|three|four|five)\b", text[end:end + 12], re.I)
                                 or text[max(0, start - 3):start].lower() == "at " and
                                 re.match(r"\s+(?:point|stage|time)\b", text[end:end + 8], re.I)):
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
