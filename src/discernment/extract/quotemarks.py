"""Pairing quotation marks into direct-quote spans, from the characters alone (no parse needed).

Handles “…”, "…", ‘…’, '…', «…», „…“ and ‚…‘; apostrophes (``don't``, ``Russia’s``, ``soldiers’``) are not
quote marks; a quote that runs over several paragraphs opens each paragraph with a mark and closes only at the
end; a paragraph that ends with a closing mark it never opened is quoted from its start (the "X said:" style).
Single quotes nested in double ones belong to the outer quote.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

_DOUBLE_OPEN = {"“": "”", "«": "»", "„": "“", '"': '"'}
_SINGLE_OPEN = {"‘": "’", "‚": "‘", "'": "'"}
_DOUBLE_CLOSE = frozenset("”»\"“")
_SINGLE_CLOSE = frozenset("’'‘")
QUOTE_MARKS = frozenset("“”«»„\"‘’‚'")  # every character that may open or close a quotation
_OPEN_BEFORE = frozenset(" \t\n\r([{—–-/:;,\u00a0")  # characters after which a mark opens
_CLOSE_AFTER = frozenset(" \t\n\r)]}.,;:!?—–-…\u00a0")  # characters before which a mark closes
_BULLETS = frozenset("-•*–—·▪●")


@dataclass(frozen=True)
class QuotedSpan:
    """Content offsets (marks excluded) and whether the quote's opening mark was written (False for
    paragraphs quoted only by a closing mark)."""

    start: int
    end: int
    opened: bool = True
    closed: bool = True


def _can_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in "“«„" and before in ".!?":
        return not after.isspace()  # a curly opening mark glued to the previous sentence: "the West.“The EU ..."
    return (before in _OPEN_BEFORE or before in QUOTE_MARKS) and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (after in _CLOSE_AFTER or after in QUOTE_MARKS) and not before.isspace()


def _is_apostrophe(text: str, i: int) -> bool:
    """``don't``, ``Russia's``, ``’90s``, ``rock ’n’ roll``: a letter or digit on both sides, or a year."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return True
    return after.isdigit() and i + 2 < len(text) and text[i + 2].isdigit()


def _marks(text: str, family_open: dict[str, str], family_close: frozenset[str]):
    """Yield (index, char, can_open, can_close) for the marks of one family. Two apostrophes closing a double
    quote (wire style: ``"... the state.''``) count as one double closing mark."""
    double = '"' in family_open
    for i, ch in enumerate(text):
        if ch == "'" and (text[i:i + 2] == "''" or text[i - 1:i + 1] == "''"):
            if double and text[i:i + 2] == "''":
                # two apostrophes as a double mark (''makes me smart,'' or "... the state.''): an opening pair
                # is reported at its second apostrophe, so that the quote starts after both
                opens = _can_open(text, i) and not text[i + 2:i + 3].isspace()
                closes = _can_close(text, i + 1) and not text[i - 1:i].isspace()
                if opens or closes:
                    yield (i + 1 if opens and not closes else i), '"', opens, closes
            continue
        if ch not in family_open and ch not in family_close:
            continue
        if ch in "'’‘" and _is_apostrophe(text, i):
            continue
        opens = ch in family_open and _can_open(text, i)
        closes = ch in family_close and _can_close(text, i)
        if opens or closes:
            yield i, ch, opens, closes


def _paragraph_start(text: str, i: int) -> int:
    start = text.rfind("\n", 0, i) + 1
    while start < i and (text[start].isspace() or text[start] in _BULLETS):
        start += 1
    return start


def _paragraph_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def pair_marks(text: str, family: str = "double", lo: int = 0, hi: int | None = None) -> list[QuotedSpan]:
    """Quoted spans of one family (``double`` or ``single``) within ``text[lo:hi]``."""
    hi = len(text) if hi is None else hi
    opens, closes = (_DOUBLE_OPEN, _DOUBLE_CLOSE) if family == "double" else (_SINGLE_OPEN, _SINGLE_CLOSE)
    spans: list[QuotedSpan] = []
    open_at: int | None = None  # index of the pending opening mark
    last_ok = 0  # the latest mark that opened or continued the pending quote
    for i, _ch, can_open, can_close in _marks(text[:hi], opens, closes):
        if i < lo:
            continue
        if open_at is not None and "\n" in text[last_ok:i]:
            if can_open and _paragraph_start(text, i) == i and _continues(text, last_ok, i):
                last_ok = i  # the next paragraph opens again: the same quote goes on
                continue
            spans.append(QuotedSpan(open_at + 1, _paragraph_end(text, last_ok), closed=False))
            open_at = None
        if open_at is not None:
            if can_close:
                spans.append(QuotedSpan(open_at + 1, i))
                open_at = None
            continue  # otherwise a nested opener of the same family: keep the outer quote
        if can_open and not (can_close and _closes_unopened(text, i)):
            open_at = last_ok = i
        elif can_close and family == "double":
            floor = spans[-1].end + 1 if spans else 0
            start = max(_unopened_start(text, i, floor), floor)
            if i > start:
                spans.append(QuotedSpan(start, i, opened=False))
    if open_at is not None:
        spans.append(QuotedSpan(open_at + 1, _paragraph_end(text, last_ok), closed=False))
    return [s for s in spans if s.end > s.start]


def _continues(text: str, last: int, i: int) -> bool:
    """A quote left open at a paragraph's end continues into the next paragraph when that opens with a mark."""
    gap = text[_paragraph_end(text, last):i]
    return gap.count("\n") <= 3 and not gap.strip(" \t\r\n" + "".join(_BULLETS))


def _unopened_start(text: str, i: int, floor: int, max_paragraphs: int = 8) -> int:
    """Where a quote closed but never opened begins: its own paragraph, or, when earlier unquoted paragraphs
    follow a line ending in a colon ("X said:"), the first paragraph after that line."""
    start = _paragraph_start(text, i)
    cursor = text.rfind("\n", 0, start)
    for _ in range(max_paragraphs):
        if cursor <= floor:
            break
        line_start = text.rfind("\n", 0, cursor) + 1
        line = text[line_start:cursor].strip()
        if not line:
            cursor = line_start - 1
            continue
        if line.endswith(":"):
            begin = cursor + 1
            while begin < start and (text[begin].isspace() or text[begin] in _BULLETS):
                begin += 1
            return begin
        if any(ch in _DOUBLE_CLOSE or ch in _DOUBLE_OPEN for ch in line):
            break
        cursor = line_start - 1
    return start


def _closes_unopened(text: str, i: int) -> bool:
    """A straight mark that could both open and close: it closes when it ends the paragraph's text."""
    rest = text[i + 1:_paragraph_end(text, i)]
    return not rest.strip()


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Direct-quote spans, double-quoted ones first; single-quoted ones that lie inside them are dropped."""
    doubles = pair_marks(text, "double")
    # A single quote inside a double one, or overlapping one, is dropped: one that holds its start or starts
    # inside it (which covers one that contains it). Found by bisection over the doubles sorted by start, not by
    # trying every double for every single (quadratic in a long text).
    by_start = sorted(doubles, key=lambda d: d.start)
    starts = [d.start for d in by_start]
    reach: list[int] = []  # the furthest end of the doubles up to each position
    for d in by_start:
        reach.append(max(reach[-1], d.end) if reach else d.end)

    def clashes(s: QuotedSpan) -> bool:
        holds = bisect_right(starts, s.start) > bisect_right(reach, s.start)  # d.start <= s.start < d.end
        starts_inside = bisect_left(starts, s.end) > bisect_left(starts, s.start)  # s.start <= d.start < s.end
        return holds or starts_inside

    singles = [s for s in pair_marks(text, "single") if not clashes(s)]
    return sorted(doubles + singles, key=lambda s: s.start)
