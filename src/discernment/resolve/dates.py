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

from ..model import DateMention

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_PATTERNS = [
    # "from September 6 to 10", "between 10 and 12 November", "6-10 September"
    rf"\b(?:from|between)\s+{_MONTH}\s+{_DAY}\s+(?:to|and|until|-|–)\s+(?:{_MONTH}\s+)?{_DAY}(?:,?\s+{_YEAR})?",
    rf"\b(?:from|between)\s+{_DAY}\s+(?:to|and|until|-|–)\s+{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?",
    rf"\b{_DAY}\s*(?:-|–)\s*{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?",
    # "On August 6-8, 2016", "the night of August 7-8"
    rf"\b(?:[Oo]n\s+)?{_MONTH}\s+{_DAY}\s*(?:-|–)\s*{_DAY}(?:,?\s+{_YEAR})?\b",
    # "On November 20th", "November 20, 2023", "20 November 2023", "Monday, November 20"
    rf"\b(?:[Oo]n\s+)?(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b",
    rf"\b(?:[Oo]n\s+)?(?:{_WEEKDAY},?\s+)?{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?",
    rf"\b(?:[Ii]n\s+|[Ee]arly\s+|[Ll]ate\s+|[Mm]id-?)?{_MONTH}(?:\s+{_YEAR}|\s+(?:last|this|next) year)?\b",
    rf"\b{_YEAR}-\d\d-\d\d\b",
    rf"\b(?:[Oo]n\s+|[Ll]ast\s+)?{_WEEKDAY}\b",
    r"\b(?:[Yy]esterday|[Tt]oday|[Tt]onight|[Oo]vernight|[Tt]he (?:previous|day before) (?:day|night)|"
    r"(?:[Ll]ast|[Nn]ext|[Pp]ast) (?:night|week|month|year)|[Tt]omorrow|[Tt]his "
    r"(?:week|month|year|morning)|[Ee]arlier (?:this|that) (?:week|month|year)|"
    r"\w+ (?:days|weeks|months|years) (?:ago|earlier|later)|[Mm]onths earlier|[Ww]eeks earlier|[Dd]ays earlier|"
    r"[Yy]ears earlier)\b",
]
_DATE_RE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))
_LEAD = re.compile(r"^(?:(?:on|in|from|between|early|late)\s+|mid-\s*|mid\s+)", re.I)
_RANGE_FIRST = re.compile(rf"^(?:from|between)\s+({_MONTH}\s+{_DAY}|{_DAY})", re.I)
_AMBIGUOUS_MONTH = re.compile(r"^(?:in\s+|early\s+|late\s+)?(?:May|March)$")
# A spaCy DATE entity is kept only when it holds a word of time ("past 62", "1225" in "By 1225 GMT" do not).
DATEISH = _DATEISH = re.compile(
    rf"\b(?:{_MONTH}|{_WEEKDAY}|{_YEAR}s?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|"
    r"today|yesterday|tomorrow|tonight|overnight|ago|earlier|later|spring|summer|autumn|fall|"
    r"winter|morning|afternoon|evening|night|weekend|weekday|\d{4}-\d\d-\d\d)\b",
    re.I,
)
_DURATION = re.compile(
    r"(?:(?:over|for|within|in|about|nearly|almost|some)\s+)?(?:the\s+)?(?:a|an|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|eleven|twelve|several|a few|few|many|\d+)\s+(?:more\s+)?"
    r"(?:hours?|days?|weeks?|months?|years?|decades?)"
)
_ORDINAL_PERIOD = re.compile(r"\b(?:year|month|week|day)\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)\b",
                             re.I)
_NAMED_BODY = re.compile(r"\s+(?:Committee|Commission|Movement|Panel|Agreement|Accords?|Revolution|Uprising)\b")
# A length of time said as one ("the past two weeks", "a 20-year lease", "the three-day truce") is no date.
_LENGTH = re.compile(r"(?:(?:for|over|in|within|during)\s+)?(?:the\s+)?(?:past|last|next|coming|first)\s+"
                     r"(?:\w+\s+)?(?:hours|days|weeks|months|years|decades)|"
                     r"(?:an?\s+|the\s+)?[\w.]+-(?:hour|day|week|month|year|decade)(?:-long)?", re.I)
_AGE = re.compile(r"\w+[-\s](?:year|month|week|day)s?[-\s]old\b", re.I)
_FIXED = {"overnight": 1, "the previous day": 1, "the previous night": 1, "the day before": 1, "tonight": 0,
          "last night": 1}


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


_LENGTH_LEAD = re.compile(r"^(?:(?:just|only|barely|more than|less than|over|under|nearly|almost|about|around|"
                          r"some|roughly|for|within|in|after|at least|up to)\s+)+", re.I)


def _is_length(mention: str) -> bool:
    """A length of time, however qualified: "two weeks", "just over a month", "more than three months", "weeks"."""
    bare = _LENGTH_LEAD.sub("", mention.strip())
    return bool(_DURATION.fullmatch(mention.lower()) or _DURATION.fullmatch(bare.lower()) or _LENGTH.fullmatch(mention)
                or re.fullmatch(r"(?:hours|days|weeks|months|years|decades)", bare, re.I))


# A clause about the future: a future auxiliary or a schedule word, with no reporting or past verb between it and
# the date ("will go ahead on 9 July"; not "will respond, Peskov said on Monday").
_FUTURE_MARK = re.compile(r"\b(?:will|shall|won['’]t|going to|(?:is|are) (?:due|set|scheduled|expected|planned|"
                          r"to be held)|scheduled|upcoming|planned for)\b|['’]ll\b", re.I)
_PAST_MARK = re.compile(r"\b(?:said|says|told|announced|added|stated|wrote|reported|noted|claimed|was|were|had|did|"
                        r"began|ended|took|came|went)\b", re.I)


_TENSE_MARK = re.compile(rf"{_FUTURE_MARK.pattern}|{_PAST_MARK.pattern}", re.I)
_CLAUSE_END = re.compile(r"[.;!?][\"”’)]*\s|\n")
_POSSESSOR = re.compile(r"\b(?:its|their|his|her|our|my|your)\s+$", re.I)
# "had been planned for June", "had originally been planned for June"
_PAST_PERFECT = re.compile(r"\b(?:had|was|were)\s+(?:\w+ly\s+)?(?:been\s+)?(?:\w+ly\s+)?$", re.I)


def _future_context(text: str, s: int, e: int, start: int, end: int) -> bool:
    """Whether the date at ``text[s:e]`` sits in a clause about the future (see :data:`_FUTURE_MARK`)."""
    before = text[max(start, s - 100):s]
    cuts = list(_CLAUSE_END.finditer(before))
    before = before[cuts[-1].end():] if cuts else before
    if _POSSESSOR.search(before):
        return False  # "until it retakes its February borders": a description, not a date ahead
    marks = [m for m in _FUTURE_MARK.finditer(before) if not _PAST_PERFECT.search(before, 0, m.start())]
    if marks:
        return not _PAST_MARK.search(before, marks[-1].end())
    # A date opening its sentence ("On 9 July, the talks will ..."): the verb after it.
    if not before.strip(" ,\"“(") and e < end:
        after = re.split(r"[.;!?]", text[e:min(end, e + 80)])[0]
        first = _TENSE_MARK.search(after)
        return bool(first and _FUTURE_MARK.fullmatch(first.group(0)))
    return False


def _month_context(text: str, s: int, e: int) -> bool:
    """Whether an ambiguous "May"/"March" is the month: a time word before it, or a year or day after it."""
    if re.match(r"(?:early|late|mid|in|since|by|until|from)\b", text[s:e], re.I):
        return True  # "early March", "in March" (the lead is part of the mention)
    before = text[max(0, s - 7):s].lower()
    if re.search(r"\b(?:in|since|by|until|till|from|of|last|this|next|early|late|mid)[\s-]+$", before):
        return True
    if re.search(rf"{_MONTH}\s+(?:and|or|to|through|until|till)\s+$", text[max(0, s - 30):s]):
        return True  # "in late February and March"
    return bool(re.match(r"\s+(?:19|20)\d\d|\s+\d", text[e:e + 6]))


_WEEKDAYS = {name: i for i, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}


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
    season = re.fullmatch(r"(?:(?:in|since|from|of)\s+)?((?:19|20)\d\d)\s?[-–/]\s?(\d\d)", low)
    if season and int(season.group(2)) == (int(season.group(1)) + 1) % 100:
        return f"{season.group(1)}-01-01"  # "2014-15": two years (a season), not a year and a month or day
    years = re.fullmatch(r"(?:between|from)\s+((?:19|20)\d\d)\s+(?:and|to|until|-|–)\s+(?:19|20)\d\d", low)
    if years:
        return f"{years.group(1)}-01-01"  # "between 2023 and 2025": its first year, as a bare year
    first = _RANGE_FIRST.match(phrase)
    if first:
        phrase = first.group(1)
        if phrase[0].isdigit():  # "between 10 and 12 November": borrow the month
            month = re.search(_MONTH, mention)
            phrase = f"{phrase} {month.group(0)}" if month else phrase
    relative_year = re.search(r"\s+(last|this|next) year$", phrase, re.I)
    if relative_year and base is not None:  # "mid-December last year": December of the year before publication
        step = {"last": -1, "next": 1, "this": 0}[relative_year.group(1).lower()]
        phrase = f"{phrase[:relative_year.start()]} {base.year + step}"
    while _LEAD.match(phrase):  # "in early March", "in mid-July": the month itself
        phrase = _LEAD.sub("", phrase, count=1)
    phrase = re.sub(rf"^({_MONTH}\s+{_DAY})\s*(?:-|–)\s*{_DAY}\b", r"\1", phrase)  # "August 6-8, 2016": its first day
    # "earlier this month", "later this year": this month, this year
    unit = re.fullmatch(r"(last|next|this|past) (year|month)", re.sub(r"^(?:earlier|later) (?=this )", "", low))
    if unit and base is not None:
        # A whole year or month is its first day, as a bare year or month is.
        step = {"last": -1, "past": -1, "next": 1, "this": 0}[unit.group(1)]
        if unit.group(2) == "year":
            return date(base.year + step, 1, 1).isoformat()
        months = base.year * 12 + base.month - 1 + step
        return date(months // 12, months % 12 + 1, 1).isoformat()
    if re.fullmatch(r"\d{1,3}", phrase.strip()) or re.fullmatch(r"(?!19|20)\d{4}", phrase.strip()):
        return None  # a bare small number ("37" from "37-year-old") is an age or a count; "1225" a clock time
    year = re.fullmatch(r"(?:the\s+)?((?:19|20)\d\d)(s?)", phrase.strip(), re.I)
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
    if re.search(r"\blater\b", low) or (re.search(r"\bearlier\b", low)
                                         and not re.match(r"^\w+ (?:days|weeks|months|years) ", low)):
        return None  # relative to an event in the text, not to the publication date
    if _DURATION.fullmatch(low):
        return None  # "three years", "48 hours", "a week": a length of time, not a point in it
    if "earlier" in low and not low.split()[0].isdigit() and low.split()[0] not in ("a", "one", "two", "three"):
        return None
    ahead = future or bool(re.search(r"\b(?:next|tomorrow|coming)\b", low))
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
