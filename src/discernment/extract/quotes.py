"""``quotes.v1``: direct, indirect and mixed quotes, each with its cue verb and its speaker.

Four passes over the spaCy parse (after GenderGapTracker's syntactic/floating/heuristic passes):

1. Reported speech: (a) verbs, nouns and adjectives a learned cue classifier takes for cues, with the content a
   ranker picks among the cue's dependents (:mod:`cue_model`, trained on PolNeAR train, after BBC's Citron);
   then (b) title-case headlines, whose verbs spaCy reads as names ("Putin Praises Trump"); then (c) word-list
   cue verbs with a clausal complement ("X insisted that ..."), "according to X, ...", "In the X poll, ..."
   and "X reportedly ...".
2. Quotation marks (``quotemarks``): every style, multi-paragraph quotes, paragraphs closed but never opened.
   A quoted span inside reported speech makes that a *mixed* quote; a quote whose clause is the reported one
   is *direct*; a short quoted span with no cue is a scare quote and is dropped. Lines opened by a name and a
   colon ("PESKOV: The talks are frozen") are direct quotes of that name.
3. Introductions: a paragraph ending in a colon ("X said:", "We start with X:", "The first explanation:")
   quotes the paragraphs that follow (bullets included) when they carry no marks of their own.
4. Floating quotes: a quote with no cue of its own inherits the speaker of the quote just before it.

Speakers are resolved to canonical names by :class:`discernment.resolve.speakers.SpeakerResolver`.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, replace

from .. import registry
from ..config import Config
from ..model import Document, Quote, TextSpan
from ..pipeline import Component, Resources
from ..resolve.speakers import SpeakerResolver
from .cue_model import CueModel, cut_at_comma, is_candidate, load_cue_model
from .cues import (CUE_VERBS, HEADLINE_FILLERS, HEADLINE_STOPS, HEADLINE_VERBS, OBJECT_CUES, OBJECT_PREPOSITIONS,
                   POLL_NOUNS, SPEECH_VERBS, XCOMP_CUES)
from .quotemarks import find_quoted_spans

_TRIM = " \t\r\n,;:—–-\"“”‘’'«»„"
_BULLET_LINE = re.compile(r"^\s*(?:[-•*–—·▪●]|\d{1,2}[.)])\s+")
_DASH_SOURCE = re.compile(r"[”\"»’']?[ \t\u00a0]*([―—–]|--)[ \t\u00a0]*([A-Z][\w.'’-]*(?:[ \t\u00a0]+[A-Z][\w.'’-]*){0,3})")
_INTRO_WITH = re.compile(r"\b(?:start|begin|open|continue)s?\s+with\s+(.+?):\s*$", re.I)


@dataclass(frozen=True)
class Candidate:
    """A quote before speaker resolution: offsets of content, cue and speaker (speaker_head: its head word)."""

    start: int
    end: int
    kind: str
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    speaker_head: str = ""
    speaker_lemma: str = ""
    inherit: bool = False  # take the previous quote's speaker
    intro: bool = False  # introduced by a line ending in a colon: fall back to the latest organisation


_TEXTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _text(sdoc) -> str:
    """The parse's text, joined once per Doc (spaCy's ``Doc.text`` joins every token on each access)."""
    text = _TEXTS.get(sdoc)
    if text is None:
        text = _TEXTS[sdoc] = sdoc.text
    return text


# ---------------------------------------------------------------------------------------------- pass 1
def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM + ".":
        end -= 1
    return start, end


def _nominal_subject(cue):
    """Who holds a noun or adjective cue: the possessor ("Clinton's criticism of"), else the subject of the
    verb it is the object or complement of ("voiced support for", "is eager to")."""
    for child in cue.children:
        if child.dep_ == "poss":
            return child
    head = cue.head
    if cue.dep_ == "pobj" and head.head.i != head.i:
        head = head.head
    if head.i != cue.i and head.pos_ in ("VERB", "AUX") and cue.dep_ in ("dobj", "attr", "acomp", "pobj", "oprd"):
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("it", "that", "this", "which"):
                return child
    return None


def _subject(verb):
    """The subject of a cue verb: its own, or its governing verb's for "..., adding that" / "and warned"."""
    if verb.pos_ not in ("VERB", "AUX"):
        return _nominal_subject(verb)
    owner = _misattached_to(verb)
    if owner is not None:
        verb = owner  # "Ryan says he respects Clinton and calls her ...": Ryan calls her
    for tok in (verb, verb.head if verb.dep_ in ("conj", "advcl", "xcomp", "ccomp") else None):
        if tok is None:
            continue
        for child in tok.children:  # a passive cue's agent speaks: "X was criticized by Y"
            if child.dep_ == "agent" and tok is verb:
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        for child in tok.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("it", "that", "this", "which"):
                return child
            if child.dep_ == "agent":
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        if verb.dep_ == "relcl" and tok is verb:
            return verb.head
    return None


def _speaker_span(head) -> tuple[int, int]:
    """The noun phrase of a speaker head: its subtree, cut before a comma, bracket or relative clause."""
    left = head.left_edge
    right = head
    for tok in head.subtree:
        if tok.i <= head.i:
            continue
        if tok.is_punct or tok.dep_ in ("relcl", "acl", "appos") or tok.tag_ in ("WDT", "WP"):
            break
        right = tok
    return left.idx, right.idx + len(right.text)


def _cue_span(verb) -> tuple[int, int]:
    """The verb with its auxiliaries and particles ("has said", "pointed out")."""
    toks = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "prt", "neg") and c.i < verb.i + 3]
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return start, end


def reported_speech(sdoc, attitude: bool = True, used: set[int] | None = None) -> list[Candidate]:
    """Pass 1c: word-list cue verbs with a reported clause, and "according to X" attributions; tokens in
    ``used`` (taken by the classifier) are skipped and the ones found here are added."""
    text = _text(sdoc)
    verbs = CUE_VERBS if attitude else SPEECH_VERBS
    out: list[Candidate] = []
    for tok in sdoc:
        if tok.lower_ == "according" and tok.i + 1 < len(sdoc) and sdoc[tok.i + 1].lower_ == "to":
            cand = _according_to(sdoc, tok)
            if cand:
                out.append(cand)
            continue
        if tok.lower_ == "reportedly" and tok.head.pos_ in ("VERB", "AUX") and tok.head.i != tok.i:
            head = tok.head
            last = sdoc[cut_at_comma(sdoc, head.left_edge.i, head.right_edge.i + 1) - 1]
            start, end = _trim_span(text, head.left_edge.idx, last.idx + len(last.text))
            if len(text[start:end].split()) >= 3:  # "X reportedly Y": the clause, with no speaker
                out.append(Candidate(start, end, "indirect", (tok.idx, tok.idx + len(tok.text))))
            continue
        if tok.lower_ == "in" and tok.dep_ == "prep":
            cand = _in_poll(sdoc, tok)
            if cand:
                out.append(cand)
            continue
        lemma = tok.lemma_.lower()
        if used is not None and tok.i in used:
            continue
        if tok.pos_ not in ("VERB", "AUX") or (lemma not in verbs and lemma not in OBJECT_CUES):
            continue
        span = _reported_clause(tok, lemma) if lemma in verbs else None
        if span is None and lemma in OBJECT_CUES:
            span = _attributed_object(tok)
        if span is None:
            continue
        start, end = _trim_span(text, *span)
        if end - start < 8:
            continue
        if used is not None:
            used.add(tok.i)
        out.append(_indirect(tok, start, end))
    return out


def _indirect(verb, start: int, end: int, passive_speaker: bool = True) -> Candidate:
    """An indirect quote of a cue verb, its speaker the verb's subject (``passive_speaker``: a passive subject
    too)."""
    subj = _subject(verb)
    if subj is not None and subj.dep_ == "nsubjpass" and not passive_speaker:
        subj = None
    speaker = _speaker_span(subj) if subj is not None else None
    return Candidate(start, end, "indirect", _cue_span(verb), speaker,
                     subj.lower_ if subj is not None else "", subj.lemma_.lower() if subj is not None else "")


def learned_cues(sdoc, model: CueModel, threshold: float, used: set[int]) -> list[Candidate]:
    """Pass 1a: verbs, nouns and adjectives the cue classifier takes for cues, on the word lists or not
    ("weigh plans for X", "is endorsing X", "criticism of X"), with the content the content ranker prefers;
    ``used`` collects their indices."""
    text = _text(sdoc)
    quoted = _quoted_tokens(sdoc)
    out: list[Candidate] = []
    for tok in sdoc:
        if tok.i in used or not is_candidate(tok):
            continue
        if tok.dep_ == "parataxis" and tok.lemma_.lower() in SPEECH_VERBS:
            continue  # "X, the RAC said, Y": the rules take the host sentence
        if model.cue_probability(tok, tok.i in quoted) < threshold:
            continue
        option = model.best_content(tok)
        if option is None:
            continue
        last = sdoc[_cut_at_own_verb(tok, option[1], option[2]) - 1]
        start, end = _trim_span(text, sdoc[option[1]].idx, last.idx + len(last.text))
        if end - start >= 3:
            used.add(tok.i)
            out.append(_indirect(tok, start, end, passive_speaker=False))  # "war was declared on X": no speaker
    return out


_HEADLINE_CUES = CUE_VERBS | OBJECT_CUES | HEADLINE_VERBS
_HEADLINE_BREAKS = frozenset(",;:–—|.?!")
# Words that may stand between a headline's subject and its verb, or open it, and are no part of the speaker.
_HEADLINE_AUX = frozenset("""will won't won’t must can can't can’t may might should would could does doesn't
    doesn’t did didn't didn’t is isn't isn’t has have had not why how when where""".split())
_HEADLINE_PRONOUNS = frozenset("i we you he she they it this that what who".split())


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
    text = _text(sdoc)
    out: list[Candidate] = []
    for m in re.finditer(r"[^\n]+", text):
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
            if prev.lower_ in ("'s", "’s", "the", "a", "an", "his", "her", "their", "its", "to") or prev.is_punct:
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
            start, end = _trim_span(text, content[0].idx, content[-1].idx + len(content[-1].text))
            if end <= start:
                continue
            used.add(tok.i)
            head = speaker[-1]
            out.append(Candidate(start, end, "indirect", (tok.idx, tok.idx + len(tok.text)),
                                 (speaker[0].idx, head.idx + len(head.text)), head.lower_, head.lemma_.lower()))
            break
    return out


def _misattached_to(verb):
    """The cue verb a coordinated verb really belongs to, when the parser hung it inside the cue's reported
    clause: "Ryan says he respects Clinton and calls her ...", "she said X, but insists Y" ("calls" and
    "insists" are Ryan's and her next acts, not part of what was said). A verb with no subject of its own,
    coordinated inside the clausal complement of a verb in its own tense (says / calls, said / insisted)."""
    if verb.dep_ != "conj" or verb.pos_ != "VERB" or verb.tag_ not in ("VBZ", "VBD"):
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
        return None
    clause = verb.head
    for _ in range(6):
        if clause.dep_ == "ccomp":
            cue = clause.head
            return cue if cue.tag_ == verb.tag_ and cue.pos_ == "VERB" and clause.i > cue.i else None
        if clause.dep_ != "conj" and not (clause.head.dep_ == "ccomp" and clause.dep_ in ("xcomp", "dobj")):
            return None
        clause = clause.head
    return None


def _cut_at_own_verb(cue, start: int, end: int) -> int:
    """The end of a content cut before a verb that belongs to the cue's speaker (:func:`_misattached_to`),
    with the "and" / "but" / comma before it; ``end`` when there is none."""
    doc = cue.doc
    if cue.tag_ not in ("VBZ", "VBD"):
        return end
    for tok in doc[start + 1:end]:
        if tok.dep_ == "conj" and tok.tag_ == cue.tag_ and getattr(_misattached_to(tok), "i", None) == cue.i:
            cut = tok.left_edge.i
            while cut > start + 1 and (doc[cut - 1].dep_ in ("cc", "punct") or doc[cut - 1].pos_ == "ADV"):
                cut -= 1
            return cut if cut > start + 1 else end
    return end


def _quoted_tokens(sdoc) -> set[int]:
    out: set[int] = set()
    for q in find_quoted_spans(_text(sdoc)):
        span = sdoc.char_span(q.start, q.end, alignment_mode="contract")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def _reported_clause(verb, lemma: str) -> tuple[int, int] | None:
    """Character range of what a cue verb reports: its clausal complement (extended to the sentence end when
    only the verb's own modifiers follow), or the host sentence of a parenthetical ("X, he said, would")."""
    comps = [c for c in verb.children if c.dep_ == "ccomp" or (c.dep_ == "xcomp" and lemma in XCOMP_CUES)]
    if comps:
        comp = comps[0]
        if comp.i < verb.i and lemma not in SPEECH_VERBS:
            return None  # "…, they learned": too often a misparse
        start, end = comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge.text)
        cut = _cut_at_own_verb(verb, comp.left_edge.i, comp.right_edge.i + 1)
        if cut <= comp.right_edge.i:
            last = verb.doc[cut - 1]
            return start, last.idx + len(last.text)
        if comp.i > verb.i:
            end = _extend_to_sentence_end(verb, comp, end)
        return start, end
    if verb.dep_ == "parataxis" and lemma in SPEECH_VERBS:
        sent = verb.sent
        return sent.start_char, sent.end_char
    return None


def _attributed_object(verb) -> tuple[int, int] | None:
    """The object of an attitude verb with a subject: "called for a ban", "cited the figure"."""
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    for child in verb.children:
        if child.dep_ in ("dobj", "attr") or (child.dep_ in ("prep", "dative") and child.lower_ in OBJECT_PREPOSITIONS
                                              and child.i == verb.i + 1 + sum(1 for c in verb.children
                                                                              if c.dep_ == "prt")):
            if child.dep_ in ("prep", "dative"):
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if not objs:
                    continue
                child = objs[0]
            left = min(child.left_edge.idx, child.idx)
            return left, child.right_edge.idx + len(child.right_edge.text)
    return None


def _extend_to_sentence_end(verb, comp, end: int) -> int:
    """Take in the verb's trailing modifiers ("..., when it comes to ..."), stopping at a coordinated verb."""
    sent_end = verb.sent.end
    right = comp.right_edge.i
    for tok in verb.sent.doc[right + 1:sent_end]:
        if tok.dep_ in ("cc", "conj") and tok.head.i == verb.i:
            break
        if tok.head.i != verb.i and not _descends(tok, verb):
            break
        if not tok.is_punct:
            end = tok.idx + len(tok.text)
    return end


def _descends(tok, ancestor) -> bool:
    for _ in range(40):
        if tok.i == ancestor.i:
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _according_to(sdoc, tok) -> Candidate | None:
    to = sdoc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"] or [c for c in tok.children if c.dep_ == "pobj"]
    if not objs:
        return None
    obj = objs[0]
    sent = tok.sent
    phrase_start = tok.idx
    phrase_end = max(t.idx + len(t.text) for t in obj.subtree)
    before = (sent.start_char, phrase_start)
    after = (phrase_end, sent.end_char)
    text = _text(sdoc)
    start, end = max((_trim_span(text, *before), _trim_span(text, *after)), key=lambda s: s[1] - s[0])
    if end - start < 8:
        return None
    return Candidate(start, end, "indirect", (tok.idx, to.idx + 2), _speaker_span(obj), obj.lower_, obj.lemma_.lower())


def _in_poll(sdoc, tok) -> Candidate | None:
    """"In the CBS poll, X leads by 13 points" or "X leads by 13 points in the CBS poll": the poll is the
    source, "in" the cue, and the clause the phrase opens or closes (without the phrase) the content."""
    objs = [c for c in tok.children if c.dep_ == "pobj"]
    if not objs or objs[0].lemma_.lower() not in POLL_NOUNS or objs[0].tag_ != "NN":
        return None  # "trails in the polls" names no poll
    obj = objs[0]
    head = tok.head
    if head.pos_ not in ("VERB", "AUX"):
        return None  # the phrase opens or closes a clause: "In the X poll, ...", "... 40 percent in the X poll"
    clause_start, clause_end = head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text)
    phrase_end = max(t.idx + len(t.text) for t in tok.subtree)
    text = _text(sdoc)
    before = _trim_span(text, clause_start, tok.idx)
    after = _trim_span(text, phrase_end, clause_end)
    start, end = max((before, after), key=lambda s: s[1] - s[0])
    if len(text[start:end].split()) < 3:
        return None
    return Candidate(start, end, "indirect", (tok.idx, tok.idx + len(tok.text)), _speaker_span(obj), obj.lower_,
                     obj.lemma_.lower())


# ---------------------------------------------------------------------------------------------- pass 2
def _cue_near(sdoc, start: int, end: int, before_only: bool = False):
    """The speech verb nearest a quoted span, outside it, within the sentences it touches."""
    s_tok = _token_at(sdoc, start)
    e_tok = _token_at(sdoc, max(start, end - 1))
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
        if dist < best_dist:
            best, best_dist = tok, dist
    return best if best_dist <= 12 else None


def _token_at(sdoc, char: int):
    span = sdoc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def direct_quotes(sdoc, min_words: int) -> list[Candidate]:
    """Pass 2: quoted spans with the cue and speaker around them; scare quotes are dropped."""
    text = _text(sdoc)
    out: list[Candidate] = []
    for q in find_quoted_spans(text):
        start, end = _trim_span(text, q.start, q.end)
        if end <= start:
            continue
        words = len(text[start:end].split())
        dash = _DASH_SOURCE.match(text, q.end)
        if dash and q.closed:
            name_start, name_end = dash.start(2), dash.end(2)
            while name_end > name_start and text[name_end - 1] in ".,":
                name_end -= 1
            head = text[name_start:name_end].split()[-1].lower()
            out.append(Candidate(start, end, "direct", (dash.start(1), dash.end(1)), (name_start, name_end), head, head))
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
        subj = _subject(verb)
        out.append(Candidate(start, end, "direct", _cue_span(verb),
                             _speaker_span(subj) if subj is not None else None,
                             subj.lower_ if subj is not None else "", subj.lemma_.lower() if subj is not None else "",
                             inherit=subj is None))
    return out


def _sentence_like(text: str, start: int, end: int) -> bool:
    """A quote long enough to stand alone: it starts with a capital or runs over 7 words."""
    return text[start:start + 1].isupper() or len(text[start:end].split()) >= 8


def _colon_cue(sdoc, start: int):
    """For a quote after "X said:": the speech verb of the line ending in the colon before it."""
    text = _text(sdoc)
    colon = text.rfind(":", 0, start)
    if colon < 0 or text[colon + 1:start].strip(" \t\r\n\"“«„'‘") != "":
        return None
    tok = _token_at(sdoc, colon)
    if tok is None:
        return None
    for t in reversed(list(tok.sent)):
        if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX"):
            return t
    return None


_SPEAKER_LINE = re.compile(r"^[ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,4})[ \t]*:[ \t]+(\S[^\n]*)$", re.M)
_NOT_SPEAKERS = frozenset("""update updated watch breaking video photo photos note related read source sources see live
    image caption credit warning correction advertisement tags topics share follow listen subscribe by posted
    published date time location where when q a question answer summary background context analysis opinion
    also editor's editor’s latest exclusive""".split())


def speaker_lines(sdoc) -> list[Candidate]:
    """Pass 2b: a line opened by a name and a colon, as in transcripts and headlines ("BENENSON: We ...",
    "Judicial Watch: State Department hid ..."): the rest of the line is that speaker's."""
    text = _text(sdoc)
    out: list[Candidate] = []
    for m in _SPEAKER_LINE.finditer(text):
        name = m.group(1)
        if any(w.lower() in _NOT_SPEAKERS for w in name.split()):
            continue
        span = sdoc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is None or any(t.pos_ in ("VERB", "AUX", "PRON") for t in span):
            continue
        start, end = _trim_span(text, m.start(2), m.end(2))
        if len(text[start:end].split()) < 3:
            continue
        colon = text.index(":", m.end(1))
        head = name.split()[-1].lower()
        out.append(Candidate(start, end, "direct", (colon, colon + 1), (m.start(1), m.end(1)), head, head))
    return out


# ---------------------------------------------------------------------------------------------- pass 3
def introduced_paragraphs(sdoc, covered: list[tuple[int, int]]) -> list[Candidate]:
    """Pass 3: paragraphs after a line ending in a colon, quoted when no marks cover them already."""
    text = _text(sdoc)
    out: list[Candidate] = []
    for m in re.finditer(r":[ \t]*\n", text):
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
        start, end = _trim_span(text, paras[0][0], paras[-1][1])
        out.append(Candidate(start, end, "direct", cue, speaker, head, lemma, inherit=speaker is None, intro=True))
    return out


def _following_paragraphs(text: str, pos: int) -> list[tuple[int, int]]:
    """The next paragraph, and the run of bullet lines when it is one."""
    paras: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text[pos:pos + 6000]):
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
    return any(w in low for w in ("explanation", "statement", "communique", "communiqué", "reads", "following"))


def _intro_speaker(sdoc, line_start: int, colon: int):
    text = _text(sdoc)
    tok = _token_at(sdoc, colon)
    if tok is None:
        return None, None, "", ""
    toks = [t for t in sdoc[tok.sent.start:tok.i] if t.idx >= line_start]
    for t in reversed(toks):
        if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX"):
            subj = _subject(t)
            if subj is not None:
                return _cue_span(t), _speaker_span(subj), subj.lower_, subj.lemma_.lower()
            return _cue_span(t), None, "", ""
    m = _INTRO_WITH.search(text[line_start:colon + 1])
    if m:
        s = line_start + m.start(1)
        e = line_start + m.end(1)
        verb = line_start + m.start()
        head = text[s:e].split()[-1].lower() if text[s:e].split() else ""
        return (verb, verb + len(m.group(0).split()[0])), (s, e), head, head
    return None, None, "", ""


# ---------------------------------------------------------------------------------------------- merge
def merge(indirect: list[Candidate], direct: list[Candidate], text: str) -> list[Candidate]:
    """Combine the passes: reported clauses holding quoted text become mixed (or direct); nested cues inside
    a direct quote are dropped; overlapping reported clauses keep the outer one."""
    direct_spans = [(d.start, d.end) for d in direct]
    kept_direct = list(direct)
    result: list[Candidate] = []
    for cand in sorted(indirect, key=lambda c: (c.start, -(c.end - c.start))):
        if cand.cue and any(s <= cand.cue[0] < e for s, e in direct_spans):
            continue  # speech reported inside a quotation
        inner = [d for d in kept_direct if cand.start <= d.start and d.end <= cand.end + 2]
        if inner:
            quoted = sum(d.end - d.start for d in inner)
            kind = "direct" if quoted >= 0.85 * (cand.end - cand.start) else "mixed"
            kept_direct = [d for d in kept_direct if d not in inner]
            cand = replace(cand, kind=kind)
        elif any(d.start <= cand.start and cand.end <= d.end + 2 for d in kept_direct):
            continue
        if result and result[-1].start <= cand.start and cand.end <= result[-1].end:
            continue
        result.append(cand)
    # direct quotes that overlap a reported clause only partly are kept as they are
    result.extend(kept_direct)
    result.sort(key=lambda c: c.start)
    deduped: list[Candidate] = []
    for cand in result:
        if deduped and cand.start < deduped[-1].end:
            prev = deduped[-1]
            longer = (cand.end - cand.start) > (prev.end - prev.start)
            if cand.cue is not None and (longer or (prev.cue is None and prev.speaker is None and prev.inherit
                                                    and cand.end >= prev.end)):
                deduped[-1] = cand  # "Kasich: ‘We Are ...’": the speaker line's attribution, not a cueless quote
            continue
        deduped.append(cand)
    return deduped


def extract_quotes(doc: Document, min_words: int = 4, attitude: bool = True, cue_model: CueModel | None = None,
                   cue_threshold: float = 0.5) -> list[Quote]:
    """All quotes of a parsed document, in text order, with cue and resolved speaker."""
    sdoc = doc.cache["spacy"]
    text = doc.text
    used: set[int] = set()  # cue tokens taken by the classifier: the word-list rules skip them
    indirect = learned_cues(sdoc, cue_model, cue_threshold, used) if cue_model is not None else []
    indirect += headline_cues(sdoc, used)
    indirect += reported_speech(sdoc, attitude, used)
    direct = direct_quotes(sdoc, min_words) + speaker_lines(sdoc)
    intro = introduced_paragraphs(sdoc, [(d.start, d.end) for d in direct])
    candidates = merge(indirect, direct + intro, text)
    resolver = SpeakerResolver(doc)
    quotes: list[Quote] = []
    last_speaker = None
    last_cue: tuple[int, int] | None = None
    for cand in candidates:
        speaker = None
        if cand.speaker is not None:
            speaker = resolver.resolve(*cand.speaker, cand.speaker_head, cand.speaker_lemma)
        elif cand.inherit and last_speaker is not None and cand.start - last_speaker[0] < 2000:
            speaker = last_speaker[1]
            if cand.cue is None and last_cue is not None and "\n" not in text[last_speaker[0]:cand.start]:
                cand = replace(cand, cue=last_cue)  # the same quotation goes on after "..., he said."
        elif cand.intro:
            group = resolver.nearest_group(cand.start)
            speaker = resolver.resolve(group.start, group.end) if group is not None else None
        cue = TextSpan(cand.cue[0], cand.cue[1], text[cand.cue[0]:cand.cue[1]]) if cand.cue else None
        if cand.kind == "direct" and speaker is None and cue is None:
            continue  # an unattributed quoted passage: a title, a slogan, a scare quote
        quotes.append(Quote(cand.start, cand.end, text[cand.start:cand.end], cand.kind, cue, speaker))
        if speaker is not None:
            last_speaker = (cand.end, speaker)
            last_cue = cand.cue if cand.kind == "direct" else None
    return quotes


class Quotes(Component):
    name = "quotes.v1"
    requires = ("doc.spacy", "doc.entities")
    assigns = ("doc.quotes",)

    def __init__(self, min_words: int = 4, attitude: bool = True, cue_model: CueModel | bool = True,
                 cue_threshold: float = 0.5):
        """``cue_model``: a :class:`CueModel`, True for the shipped one, False for the word lists alone."""
        self.min_words = min_words
        self.attitude = attitude
        self.cue_model = load_cue_model() if cue_model is True else cue_model or None
        self.cue_threshold = cue_threshold

    def __call__(self, doc: Document) -> Document:
        doc.set_layer("quotes", extract_quotes(doc, self.min_words, self.attitude, self.cue_model,
                                               self.cue_threshold))
        return doc


@registry.components.register("quotes.v1")
def make_quotes(config: Config, resources: Resources) -> Quotes:
    settings = config.section("quotes")
    return Quotes(settings.get("min_words", 4), settings.get("attitude_verbs", True),
                  bool(settings.get("cue_model", True)), settings.get("cue_threshold", 0.5))
