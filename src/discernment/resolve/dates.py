"""Date mentions resolved against the publication date (HeidelTime-style anchoring to the document date).

Spans are found here (month-day patterns, month names, weekdays, relative words, spaCy DATE entities when a
parse is given); only the span is handed to dateparser (RELATIVE_BASE = publication date,
PREFER_DATES_FROM = past), never free text. A range ("from September 6 to 10") resolves to its first day, a
month to its first day, a bare year ("in 2014") to January 1; a decade ("the 1990s") stays null.
A result after the publication date is moved back a year (a month without a year is its latest past
occurrence), except in a clause about the future ("the talks will go ahead on 9-10 July", "is scheduled for
Monday"), where a date without a year is its next occurrence. What cannot be resolved ("Months earlier", or
anything without a publication date that is not absolute) keeps its text with value null.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from ..lexicon import table, text
from ..model import DateMention

# The vocabulary is data: resources/en/dates.toml, each entry with what it is for.
_DATA = table("dates")
_MONTH = "(?:" + "|".join(_DATA["months"] + _DATA["month_abbreviations"]) + r")\.?"
_WEEKDAY = "(?:" + "|".join(_DATA["weekdays"]) + ")"
_DAY = text("day", file="dates")
_YEAR = r"(?:19|20)\d\d"
_SLOTS = {"month": _MONTH, "weekday": _WEEKDAY, "day": _DAY, "year": _YEAR}


def _fill(name: str) -> str:
    """The pattern ``name`` of resources/en/dates.toml, its {month}, {weekday}, {day} and {year} filled in."""
    return text(name, file="dates", slots=_SLOTS)


_PATTERNS = [_fill(f"patterns.{name}") for name in _DATA["patterns"]]
_DATE_RE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))
_LEAD = re.compile(_fill("lead"), re.I)
_RANGE_FIRST = re.compile(_fill("range_first"), re.I)
_AMBIGUOUS_MONTH = re.compile(_fill("ambiguous_month"))
# A spaCy DATE entity is kept only when it holds a word of time ("past 62", "1225" in "By 1225 GMT" do not).
DATEISH = _DATEISH = re.compile(_fill("dateish"), re.I)
_DURATION = re.compile(_fill("duration"))
_ORDINAL_PERIOD = re.compile(_fill("ordinal_period"), re.I)
_NAMED_BODY = re.compile(_fill("named_body"))
# A length of time said as one ("the past two weeks", "a 20-year lease", "the three-day truce") is no date.
_LENGTH = re.compile(_fill("length"), re.I)
_AGE = re.compile(_fill("age"), re.I)
_FIXED = dict(_DATA["fixed"])
_STEPS = dict(_DATA["steps"])


def find_dates(text: str, published: str | None, start: int = 0, end: int | None = None,
               extra_spans: list[tuple[int, int]] | None = None) -> list[DateMention]:
    """Date mentions inside ``text[start:end]`` (plus ``extra_spans``, e.g. spaCy DATE entities), resolved."""
    end = len(text) if end is None else end
    spans = [(m.start(), m.end()) for m in _DATE_RE.finditer(text, start, end)]
    for s, e in extra_spans or ():
        if start <= s and e <= end and not any(a < e and s < b for a, b in spans) and _DATEISH.search(text[s:e]):
            spans.append((s, e))
    out = []
    for s, e in sorted(spans):
        mention = text[s:e]
        if _AMBIGUOUS_MONTH.match(mention.strip()) and not _month_context(text, s, e):
            continue  # "may" the verb, "march" the noun
        if _AGE.search(mention) or _ORDINAL_PERIOD.search(mention) or _NAMED_BODY.match(text, e):
            continue  # "a nine-year-old boy": an age; "year three of the invasion": a count of years
        if _is_length(mention):
            continue  # "two weeks", "the past two weeks", "20-year", "just over a month": a length of time
        value = resolve_date(mention, published, _future_context(text, s, e, start, end))
        out.append(DateMention(s, e, mention, value))
    return out


_LENGTH_LEAD = re.compile(_fill("length_lead"), re.I)
_TIME_UNITS = re.compile(_fill("time_units"), re.I)


def _is_length(mention: str) -> bool:
    """A length of time, however qualified: "two weeks", "just over a month", "more than three months", "weeks"."""
    bare = _LENGTH_LEAD.sub("", mention.strip())
    return bool(_DURATION.fullmatch(mention.lower()) or _DURATION.fullmatch(bare.lower()) or _LENGTH.fullmatch(mention)
                or _TIME_UNITS.fullmatch(bare))


# A clause about the future: a future auxiliary or a schedule word, with no reporting or past verb between it and
# the date ("will go ahead on 9 July"; not "will respond, Peskov said on Monday").
_FUTURE_MARK = re.compile(_fill("future_mark"), re.I)
_PAST_MARK = re.compile(_fill("past_mark"), re.I)


_TENSE_MARK = re.compile(rf"{_FUTURE_MARK.pattern}|{_PAST_MARK.pattern}", re.I)
_CLAUSE_END = re.compile(r"[.;!?][\"”’)]*\s|\n")
_POSSESSOR = re.compile(_fill("possessor"), re.I)
_DEADLINE = re.compile(_fill("deadline"), re.I)
_DEADLINE_AHEAD = re.compile(_fill("deadline_ahead"), re.I)
# "had been planned for June", "had originally been planned for June"
_PAST_PERFECT = re.compile(_fill("past_perfect"), re.I)
_MONTH_LEAD = re.compile(_fill("month_lead"), re.I)
_MONTH_BEFORE = re.compile(_fill("month_before"))
_MONTH_JOINED = re.compile(_fill("month_joined"))


def _future_context(text: str, s: int, e: int, start: int, end: int) -> bool:
    """Whether the date at ``text[s:e]`` sits in a clause about the future (see :data:`_FUTURE_MARK`)."""
    before = text[max(start, s - 100):s]
    cuts = list(_CLAUSE_END.finditer(before))
    before = before[cuts[-1].end():] if cuts else before
    if _POSSESSOR.search(before):
        return False  # "until it retakes its February borders": a description, not a date ahead
    deadline = _DEADLINE.search(before)
    if deadline and before[:deadline.start()].strip(" ,\"“("):  # "to take it by May 9": ahead, unless told as past
        after = re.split(r"[.;!?,]", text[e:min(end, e + 60)])[0]  # up to an attribution ("..., X said")
        return bool(_DEADLINE_AHEAD.search(before)) and not (
            _PAST_MARK.search(before) or _PAST_MARK.search(after) or _PAST_PERFECT.search(before))
    marks = [m for m in _FUTURE_MARK.finditer(before) if not _PAST_PERFECT.search(before, 0, m.start())]
    if marks:
        return not _PAST_MARK.search(before, marks[-1].end())
    # A date opening its sentence ("On 9 July, the talks will ..."): the verb after it.
    opening = not (before[:deadline.start()] if deadline else before).strip(" ,\"“(")
    if opening and e < end:
        after = re.split(r"[.;!?]", text[e:min(end, e + 80)])[0]
        first = _TENSE_MARK.search(after)
        return bool(first and _FUTURE_MARK.fullmatch(first.group(0)))
    return False


def _month_context(text: str, s: int, e: int) -> bool:
    """Whether an ambiguous "May"/"March" is the month: a time word before it, or a year or day after it."""
    if _MONTH_LEAD.match(text[s:e]):
        return True  # "early March", "in March" (the lead is part of the mention)
    before = text[max(0, s - 7):s].lower()
    if _MONTH_BEFORE.search(before):
        return True
    if _MONTH_JOINED.search(text[max(0, s - 30):s]):
        return True  # "in late February and March"
    return bool(re.match(r"\s+(?:19|20)\d\d|\s+\d", text[e:e + 6]))


_WEEKDAYS = {name.lower(): i for i, name in enumerate(_DATA["weekdays"])}
_SEASON = re.compile(_fill("season"))
_YEAR_SPAN = re.compile(_fill("year_span"))
_RELATIVE_YEAR = re.compile(_fill("relative_year"), re.I)
_DAY_RANGE = re.compile(rf"^({_MONTH}\s+{_DAY})\s*(?:-|–)\s*{_DAY}\b")
_THIS_PERIOD_LEAD = re.compile(_fill("this_period_lead"))
_RELATIVE_PERIOD = re.compile(_fill("relative_period"))
_BARE_YEAR = re.compile(_fill("bare_year"), re.I)
_LATER = re.compile(_fill("later"))
_EARLIER = re.compile(_fill("earlier"))
_COUNTED_UNITS = re.compile(_fill("counted_units"))
_COUNTS_BEFORE_EARLIER = frozenset(_DATA["counts_before_earlier"])
_AHEAD = re.compile(_fill("ahead"))


def resolve_date(mention: str, published: str | None, future: bool = False) -> str | None:
    """YYYY-MM-DD for a date mention, anchored to ``published`` (YYYY-MM-DD); None when it cannot be.
    ``future``: the mention sits in a clause about the future, so a date without a year, or a bare weekday, is
    its next occurrence (the day of publication included) rather than its last."""
    base = _parse_base(published)
    phrase = " ".join(mention.split())
    low = phrase.lower()
    if base is not None:
        for key, days in _FIXED.items():
            if low == key:
                return (base - timedelta(days=days)).isoformat()
    season = _SEASON.fullmatch(low)
    if season and int(season.group(2)) == (int(season.group(1)) + 1) % 100:
        return f"{season.group(1)}-01-01"  # "2014-15": two years (a season), not a year and a month or day
    years = _YEAR_SPAN.fullmatch(low)
    if years:
        return f"{years.group(1)}-01-01"  # "between 2023 and 2025": its first year, as a bare year
    first = _RANGE_FIRST.match(phrase)
    if first:
        phrase = first.group(1)
        if phrase[0].isdigit():  # "between 10 and 12 November": borrow the month
            month = re.search(_MONTH, mention)
            phrase = f"{phrase} {month.group(0)}" if month else phrase
    relative_year = _RELATIVE_YEAR.search(phrase)
    if relative_year and base is not None:  # "mid-December last year": December of the year before publication
        step = _STEPS[relative_year.group(1).lower()]
        phrase = f"{phrase[:relative_year.start()]} {base.year + step}"
    while _LEAD.match(phrase):  # "in early March", "in mid-July": the month itself
        phrase = _LEAD.sub("", phrase, count=1)
    phrase = _DAY_RANGE.sub(r"\1", phrase)  # "August 6-8, 2016": its first day
    # "earlier this month", "later this year": this month, this year
    unit = _RELATIVE_PERIOD.fullmatch(_THIS_PERIOD_LEAD.sub("", low))
    if unit and base is not None:
        # A whole year or month is its first day, as a bare year or month is.
        step = _STEPS[unit.group(1)]
        if unit.group(2) == "year":
            return date(base.year + step, 1, 1).isoformat()
        months = base.year * 12 + base.month - 1 + step
        return date(months // 12, months % 12 + 1, 1).isoformat()
    if re.fullmatch(r"\d{1,3}", phrase.strip()) or re.fullmatch(r"(?!19|20)\d{4}", phrase.strip()):
        return None  # a bare small number ("37" from "37-year-old") is an age or a count; "1225" a clock time
    year = _BARE_YEAR.fullmatch(phrase.strip())
    if year:
        # A bare year is its first day (January 1), a convention documented with the claims; a decade ("the
        # 1990s") has no day and stays null.
        return None if year.group(2) else f"{year.group(1)}-01-01"
    weekday = _WEEKDAYS.get(phrase.strip().lower())
    if weekday is not None and base is not None:
        # News convention: a bare weekday names the most recent such day, the day of publication included
        # ("said on Wednesday" in a Wednesday article is that Wednesday); in a clause about the future, the next.
        if future:
            return (base + timedelta(days=(weekday - base.weekday()) % 7)).isoformat()
        return (base - timedelta(days=(base.weekday() - weekday) % 7)).isoformat()
    if _LATER.search(low) or (_EARLIER.search(low) and not _COUNTED_UNITS.match(low)):
        return None  # relative to an event in the text, not to the publication date
    if _DURATION.fullmatch(low):
        return None  # "three years", "48 hours", "a week": a length of time, not a point in it
    if "earlier" in low and not low.split()[0].isdigit() and low.split()[0] not in _COUNTS_BEFORE_EARLIER:
        return None
    ahead = future or bool(_AHEAD.search(low))
    return _dateparser(phrase.replace("earlier", "ago"), base, ago="ago" in low or "earlier" in low, future=ahead)


@lru_cache(maxsize=4096)
def _dateparser(phrase: str, base: date | None, future: bool = False, ago: bool = False) -> str | None:
    import dateparser

    settings = {"PREFER_DATES_FROM": "future" if future else "past",
                "PREFER_DAY_OF_MONTH": "current" if ago else "first",  # "10 months ago" keeps its day
                "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day, 12)
    elif not re.search(r"\b(?:19|20)\d\d\b", phrase):
        return None  # no anchor: only absolute dates resolve
    try:
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    value = parsed.date()
    if (future and base is not None and value.year == base.year + 1 and value.month == base.month
            and not re.search(r"\b(?:19|20)\d\d\b", phrase)):
        value = value.replace(year=base.year)  # "at the end of October" in an October article is this October
    if base is not None and value > base and not future and not re.search(r"\b(?:19|20)\d\d\b", phrase):
        try:
            value = value.replace(year=value.year - 1)
        except ValueError:
            value = value - timedelta(days=365)
    return value.isoformat()


def _parse_base(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None
