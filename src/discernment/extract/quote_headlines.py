"""Pass 1b of ``quotes.v1``: title-case headlines, whose verbs spaCy reads as names ("Putin Praises Trump")."""

from __future__ import annotations

import re

from ..lexicon import words
from .cues import CUE_VERBS, HEADLINE_FILLERS, HEADLINE_STOPS, HEADLINE_VERBS, OBJECT_CUES, OBJECT_PREPOSITIONS
from .quote_base import Candidate, doc_text, trim_span

_HEADLINE_CUES = CUE_VERBS | OBJECT_CUES | HEADLINE_VERBS
_HEADLINE_BREAKS = frozenset(",;:–—|.?!")
# The word lists are data: resources/en/quotes.toml, each with what it is for.
# Words that may stand between a headline's subject and its verb, or open it, and are no part of the speaker.
_HEADLINE_AUX = words("headline_aux", file="quotes")
_HEADLINE_PRONOUNS = words("headline_pronouns", file="quotes")
# Words before a capitalised verb form that make it a noun or an infinitive ("Trump's Call For", "To Call").
_NOT_BEFORE_VERB = words("headline_not_before_verb", file="quotes")
_LINE = re.compile(r"[^\n]+")


def _headline_break(tok) -> bool:
    """A comma, colon, full stop or spaced dash ends a headline's phrase; "Anti-Trump" does not."""
    return tok.text in _HEADLINE_BREAKS or (tok.text == "-" and bool(tok.whitespace_))


def _is_title_case(line: str) -> bool:
    """A headline in title case: at least three words, and most of the longer ones capitalised."""
    words = [w for w in line.split() if w[:1].isalpha()]
    long = [w for w in words if len(w) > 3]
    return len(words) >= 3 and bool(long) and sum(w[0].isupper() for w in long) >= 0.8 * len(long)


def _headline_lemma(word: str) -> str | None:
    """The cue lemma of a headline verb read from its form ("Praises", "Slammed", "Says"), or None."""
    low = word.lower()
    for form in (low, low[:-1] if low.endswith("s") else "", low[:-2] if low.endswith("es") else "",
                 low[:-2] if low.endswith("ed") else "", low[:-1] if low.endswith("ed") else "",
                 low[:-3] if low.endswith("ied") else ""):
        if form in _HEADLINE_CUES:
            return form
        if form and form.endswith("i") and form[:-1] + "y" in _HEADLINE_CUES:  # "Denies"
            return form[:-1] + "y"
    return None


def headline_cues(sdoc, used: set[int]) -> list[Candidate]:
    """Pass 1b: title-case headlines, where spaCy reads the capitalised verb as a name: "Putin Praises Trump",
    "Conservative Icon Morton Blackwell Endorses Ted Cruz". The words before the verb (back to a colon or
    dash) are the speaker, the words after it (up to a comma, "And", "After" ...) the content."""
    text = doc_text(sdoc)
    out: list[Candidate] = []
    for m in _LINE.finditer(text):
        if not _is_title_case(m.group()):
            continue
        span = sdoc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        toks = list(span)
        seg = 0  # where the current segment starts ("The Latest: X Says Y")
        for k, tok in enumerate(toks):
            if _headline_break(tok):
                seg = k + 1
                continue
            lemma = _headline_lemma(tok.text)
            if k - seg < 1 or tok.i in used or not tok.text[:1].isupper() or lemma is None:
                continue
            if tok.lower_ == lemma and tok.pos_ != "VERB":
                continue  # a bare form read as a noun ("Wash Post Fact-Check", "Direct Hit"): not a verb here
            prev = toks[k - 1]
            if prev.lower_ in _NOT_BEFORE_VERB or prev.is_punct:
                continue  # "Trump's Call For", "To Call": a noun or an infinitive
            speaker = toks[seg:k]
            while speaker and (speaker[-1].lower_ in HEADLINE_FILLERS or speaker[-1].lower_ in _HEADLINE_AUX
                               or speaker[-1].lower_ in ("n't", "n’t", "not")):
                speaker = speaker[:-1]
            while speaker and speaker[0].lower_ in _HEADLINE_AUX:
                speaker = speaker[1:]
            if not speaker or not speaker[0].text[:1].isupper() or any(
                    t.lower_ in _HEADLINE_PRONOUNS or t.lower_ in _HEADLINE_AUX for t in speaker):
                continue
            content = []
            for t in toks[k + 1:]:
                if _headline_break(t) or t.lower_ in HEADLINE_STOPS:
                    break
                content.append(t)
            if content and content[0].lower_ in OBJECT_PREPOSITIONS:
                content = content[1:]  # "Calls For Special Prosecutor"
            if not content:
                continue
            start, end = trim_span(text, content[0].idx, content[-1].idx + len(content[-1].text))
            if end <= start:
                continue
            used.add(tok.i)
            head = speaker[-1]
            out.append(Candidate(start, end, "indirect", (tok.idx, tok.idx + len(tok.text)),
                                 (speaker[0].idx, head.idx + len(head.text)), head.lower_, head.lemma_.lower()))
            break
    return out
