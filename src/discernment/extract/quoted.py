"""Passes 2 and 3 of ``quotes.v1``: quotation marks with the cue and speaker around them, lines opened by a name and
a colon, and paragraphs introduced by a line ending in a colon."""

from __future__ import annotations

import re

from ..lexicon import pattern, words
from .cues import SPEECH_VERBS
from .quote_base import Candidate, cue_span, doc_text, speaker_span, subject, token_at, trim_span
from .quotemarks import find_quoted_spans

_BULLET_LINE = re.compile(r"^\s*(?:[-•*–—·▪●]|\d{1,2}[.)])\s+")
_DASH_SOURCE = re.compile(
    r"[”\"»’']?[ \t\u00a0]*([―—–]|--)[ \t\u00a0]*([A-Z][\w.'’-]*(?:[ \t\u00a0]+[A-Z][\w.'’-]*){0,3})"
)
# The word lists and vocabulary patterns are data: resources/en/quotes.toml, each with what it is for.
_INTRO_WITH = pattern("intro_with", file="quotes", flags=re.I)
_ENUMERATION_WORDS = words("enumeration_words", file="quotes")
_COLON_AT_LINE_END = re.compile(r":[ \t]*\n")
_LINE = re.compile(r"[^\n]+")


def _cue_near(sdoc, start: int, end: int, before_only: bool = False):
    """The speech verb nearest a quoted span, outside it, within the sentences it touches."""
    s_tok = token_at(sdoc, start)
    e_tok = token_at(sdoc, max(start, end - 1))
    if s_tok is None or e_tok is None:
        return None
    sent_start = s_tok.sent.start
    sent_end = e_tok.sent.end
    best, best_dist = None, 10**9
    for tok in sdoc[sent_start:sent_end]:
        if start <= tok.idx < end:
            continue
        if tok.lemma_.lower() not in SPEECH_VERBS or tok.pos_ not in ("VERB", "AUX"):
            continue
        if before_only and tok.idx > start:
            continue
        dist = (s_tok.i - tok.i) if tok.idx < start else (tok.i - e_tok.i)
        if dist > 12 and not (tok.idx > start and dist <= 40 and _speaker_fills_gap(tok, e_tok)):
            continue  # near, or after a long speaker phrase that fills the gap
        if dist < best_dist:
            best, best_dist = tok, dist
    return best


def _speaker_fills_gap(verb, last_quoted) -> bool:
    """Whether all that stands between a quotation's last word and a speech verb after it is the verb's subject:
    "“...,” the supervisory board chair of the Alfa branch in Ukraine, Roman Shpek, told the outlet"."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
    if subj is None:
        return False
    gap = verb.doc[last_quoted.i + 1:subj.left_edge.i]
    return all(t.is_punct or t.is_quote for t in gap) and subj.right_edge.i >= verb.i - 2


def direct_quotes(sdoc, min_words: int) -> list[Candidate]:
    """Pass 2: quoted spans with the cue and speaker around them; scare quotes are dropped."""
    text = doc_text(sdoc)
    out: list[Candidate] = []
    for q in find_quoted_spans(text):
        start, end = trim_span(text, q.start, q.end)
        if end <= start:
            continue
        words = len(text[start:end].split())
        dash = _DASH_SOURCE.match(text, q.end)
        if dash and q.closed:
            name_start, name_end = dash.start(2), dash.end(2)
            while name_end > name_start and text[name_end - 1] in ".,":
                name_end -= 1
            head = text[name_start:name_end].split()[-1].lower()
            out.append(
                Candidate(start, end, "direct", (dash.start(1), dash.end(1)), (name_start, name_end), head, head)
            )
            continue
        verb = _cue_near(sdoc, q.start, q.end, before_only=not q.opened)
        if verb is None and not q.opened:
            verb = _colon_cue(sdoc, q.start)
        if verb is None:
            if words < min_words or not _sentence_like(text, start, end):
                continue
            out.append(Candidate(start, end, "direct", inherit=True))
            continue
        if words < min_words and verb.idx > q.end + 40:
            continue
        subj = subject(verb)
        if subj is not None and q.start <= subj.idx < q.end:
            subj = _speaker_between(sdoc, q.end, verb)  # the parser took a word of the quote for the subject
        if words < min_words and _embedded(text, q.start, q.end) and not _in_complement(verb, subj, start):
            continue  # a name or phrase marked inside another part of the sentence: "The “Kraken” regiment says"
        out.append(Candidate(start, end, "direct", cue_span(verb),
                             speaker_span(subj) if subj is not None else None,
                             subj.lower_ if subj is not None else "", subj.lemma_.lower() if subj is not None else "",
                             inherit=subj is None))
    return out


def _speaker_between(sdoc, quote_end: int, verb):
    """The last noun between a closing quotation mark and its cue ("..., happily,” the president added"), or None."""
    for i in range(verb.i - 1, max(verb.i - 5, -1), -1):
        tok = sdoc[i]
        if tok.idx < quote_end:
            break
        if tok.pos_ in ("NOUN", "PROPN", "PRON"):
            return tok
    return None


def _embedded(text: str, start: int, end: int) -> bool:
    """A quoted span inside a clause: a word right before its opening mark and a lower-case word after its closing
    one ("the “Kraken” regiment", "a “continued presence” at")."""
    before = text[max(0, start - 3):start].rstrip(" \"“‘«„'")
    after = text[end:end + 3].lstrip(" \"”’»'")
    return bool(before) and before[-1].isalpha() and bool(after) and after[0].islower()


def _in_complement(verb, subj, char: int) -> bool:
    """Whether ``char`` lies in what the cue says (its clause or object), not in its subject or another clause."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp", "dobj", "attr", "oprd", "acomp", "prep", "advmod", "npadvmod", "conj"):
            lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)
            if lo <= char < hi and not (subj is not None and subj.left_edge.idx <= char <= subj.right_edge.idx):
                return True
    return False


def _sentence_like(text: str, start: int, end: int) -> bool:
    """A quote long enough to stand alone: it starts with a capital or runs over 7 words."""
    return text[start:start + 1].isupper() or len(text[start:end].split()) >= 8


def _colon_cue(sdoc, start: int):
    """For a quote after "X said:": the speech verb of the line ending in the colon before it."""
    text = doc_text(sdoc)
    colon = text.rfind(":", 0, start)
    if colon < 0 or text[colon + 1:start].strip(" \t\r\n\"“«„'‘") != "":
        return None
    tok = token_at(sdoc, colon)
    if tok is None:
        return None
    for t in reversed(list(tok.sent)):
        if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX"):
            return t
    return None


_SPEAKER_LINE = re.compile(r"^[ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,4})[ \t]*:[ \t]+(\S[^\n]*)$", re.M)
_NOT_SPEAKERS = words("not_speakers", file="quotes")


def speaker_lines(sdoc) -> list[Candidate]:
    """Pass 2b: a line opened by a name and a colon, as in transcripts and headlines ("BENENSON: We ...",
    "Judicial Watch: State Department hid ..."): the rest of the line is that speaker's."""
    text = doc_text(sdoc)
    out: list[Candidate] = []
    for m in _SPEAKER_LINE.finditer(text):
        name = m.group(1)
        if any(w.lower() in _NOT_SPEAKERS for w in name.split()):
            continue
        span = sdoc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is None or any(t.pos_ in ("VERB", "AUX", "PRON") for t in span):
            continue
        start, end = trim_span(text, m.start(2), m.end(2))
        if len(text[start:end].split()) < 3:
            continue
        colon = text.index(":", m.end(1))
        head = name.split()[-1].lower()
        out.append(Candidate(start, end, "direct", (colon, colon + 1), (m.start(1), m.end(1)), head, head))
    return out


def introduced_paragraphs(sdoc, covered: list[tuple[int, int]]) -> list[Candidate]:
    """Pass 3: paragraphs after a line ending in a colon, quoted when no marks cover them already."""
    text = doc_text(sdoc)
    out: list[Candidate] = []
    for m in _COLON_AT_LINE_END.finditer(text):
        colon = m.start()
        if any(s <= colon < e for s, e in covered):
            continue
        line_start = text.rfind("\n", 0, colon) + 1
        line = text[line_start:colon + 1]
        if len(line.split()) > 40:
            continue
        paras = _following_paragraphs(text, m.end())
        if not paras or any(s < paras[-1][1] and paras[0][0] < e for s, e in covered):
            continue
        cue, speaker, head, lemma = _intro_speaker(sdoc, line_start, colon)
        if cue is None and speaker is None and not _is_enumeration(line):
            continue
        start, end = trim_span(text, paras[0][0], paras[-1][1])
        out.append(Candidate(start, end, "direct", cue, speaker, head, lemma, inherit=speaker is None, intro=True))
    return out


def _following_paragraphs(text: str, pos: int) -> list[tuple[int, int]]:
    """The next paragraph, and the run of bullet lines when it is one."""
    paras: list[tuple[int, int]] = []
    for m in _LINE.finditer(text[pos:pos + 6000]):
        s, e = pos + m.start(), pos + m.end()
        line = text[s:e]
        if not line.strip():
            continue
        if paras and not (_BULLET_LINE.match(line) and _BULLET_LINE.match(text[paras[0][0]:paras[0][1]])):
            break
        paras.append((s, e))
    return paras


def _is_enumeration(line: str) -> bool:
    low = line.lower()
    return any(w in low for w in _ENUMERATION_WORDS)


def _intro_speaker(sdoc, line_start: int, colon: int):
    text = doc_text(sdoc)
    tok = token_at(sdoc, colon)
    if tok is None:
        return None, None, "", ""
    toks = [t for t in sdoc[tok.sent.start:tok.i] if t.idx >= line_start]
    for t in reversed(toks):
        if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX"):
            subj = subject(t)
            if subj is not None:
                return cue_span(t), speaker_span(subj), subj.lower_, subj.lemma_.lower()
            return cue_span(t), None, "", ""
    m = _INTRO_WITH.search(text[line_start:colon + 1])
    if m:
        s = line_start + m.start(1)
        e = line_start + m.end(1)
        verb = line_start + m.start()
        head = text[s:e].split()[-1].lower() if text[s:e].split() else ""
        return (verb, verb + len(m.group(0).split()[0])), (s, e), head, head
    return None, None, "", ""
