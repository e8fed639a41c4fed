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
from bisect import bisect_left, bisect_right
from dataclasses import replace

from .. import registry
from ..config import Config
from ..lexicon import pattern, words
from ..model import Document, Quote, TextSpan
from ..pipeline import Component, Resources
from ..resolve.speakers import SpeakerResolver
from .cue_model import CueModel, cut_at_comma, is_candidate, load_cue_model
from .cues import (
    CUE_VERBS,
    DOCUMENT_NOUNS,
    OBJECT_CUES,
    OBJECT_PREPOSITIONS,
    POLL_NOUNS,
    SPEECH_VERBS,
    XCOMP_CUES,
    is_aspectual,
    is_sign_off,
    relays_a_speaker,
)
from .quote_base import (
    Candidate,
    cue_span,
    doc_text,
    fronted_subject_clause,
    misattached_to,
    named_apposition,
    speaker_span,
    subject,
    trim_span,
)
from .quote_headlines import headline_cues
from .quoted import direct_quotes, introduced_paragraphs, speaker_lines
from .quotemarks import QUOTE_MARKS, find_quoted_spans


def reported_speech(sdoc, attitude: bool = True, used: set[int] | None = None) -> list[Candidate]:
    """Pass 1c: word-list cue verbs with a reported clause, and "according to X" attributions; tokens in
    ``used`` (taken by the classifier) are skipped and the ones found here are added."""
    text = doc_text(sdoc)
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
            start, end = trim_span(text, head.left_edge.idx, last.idx + len(last.text))
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
        if tok.pos_ not in ("VERB", "AUX") or (lemma not in verbs and lemma not in OBJECT_CUES) or is_aspectual(tok) \
                or relays_a_speaker(tok):
            continue
        span = _reported_clause(tok, lemma) if lemma in verbs else None
        if span is None and lemma in OBJECT_CUES:
            span = _attributed_object(tok)
        if span is None:
            continue
        start, end = trim_span(text, *span)
        if end - start < 8:
            continue
        if used is not None:
            used.add(tok.i)
        out.append(_indirect(tok, start, end))
    return out


def _indirect(verb, start: int, end: int, passive_speaker: bool = True) -> Candidate:
    """An indirect quote of a cue verb, its speaker the verb's subject (``passive_speaker``: a passive subject
    too)."""
    subj = subject(verb)
    if subj is not None and subj.dep_ == "nsubjpass" and (not passive_speaker or any(
            c.dep_ == "xcomp" for c in verb.children)):
        subj = None  # "A nuclear confrontation was agreed to be unthinkable": what was agreed, not who agreed
    speaker = speaker_span(subj) if subj is not None else None
    return Candidate(start, end, "indirect", cue_span(verb), speaker,
                     subj.lower_ if subj is not None else "", subj.lemma_.lower() if subj is not None else "")


# The word lists and vocabulary patterns are data: resources/en/quotes.toml, each with what it is for.
# Verbs the cue classifier may take whose object is a thing, not what anyone said or thought.
# ("signs have appeared around the city", "viewers see only the official version", "refused a request")
_ACTS_ON_THINGS = words("acts_on_things", file="quotes")
# Verbs of deeds the cue classifier takes now and then ("has sent a team of investigators", "has imposed
# sanctions", "tried to take a photo", "has met her counterpart"): no cue unless what they take holds a quotation,
# or "release" releases a document (:func:`_a_deed`).
_DEEDS = words("deeds", file="quotes")


def learned_cues(sdoc, model: CueModel, threshold: float, used: set[int]) -> list[Candidate]:
    """Pass 1a: verbs, nouns and adjectives the cue classifier takes for cues, on the word lists or not
    ("weigh plans for X", "is endorsing X", "criticism of X"), with the content the content ranker prefers;
    ``used`` collects their indices."""
    text = doc_text(sdoc)
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
        if option is None or (tok.dep_ == "relcl" and option[1] <= tok.i < option[2]):
            continue  # a relative clause is no content of its own verb ("reactors that the government wants")
        if sdoc[option[1]].lower_ in ("by", "about") and sdoc[option[1]].head.i == tok.i:
            continue  # "asked by foreign media about a threat": who asked and the topic, not what was said
        if tok.lemma_.lower() not in CUE_VERBS and any(c.dep_ == "nsubj" and c.lower_ == "you" for c in tok.children):
            continue  # the reader addressed: "You can read more about that story here"
        if tok.lemma_.lower() in _ACTS_ON_THINGS and not option[0].startswith(("ccomp", "xcomp")):
            continue  # a thing seen or refused, or where something appeared: no content
        if tok.lemma_.lower() in _DEEDS and _a_deed(tok, option):
            continue
        option = _with_misparsed_subject(tok, option)
        option = _after_as_saying(tok, option)
        option = _after_addressee(tok, option)
        last = sdoc[_cut_at_own_verb(tok, option[1], option[2]) - 1]
        start, end = trim_span(text, sdoc[option[1]].idx, last.idx + len(last.text))
        if end - start < 3:
            continue
        if option[2] <= tok.i and option[2] - option[1] <= 2 and not any(
                c.dep_ == "agent" for c in tok.children) and tok.tag_ == "VBN":
            continue  # the subject of a passive with no agent: "Seventeen have been approved so far"
        used.add(tok.i)
        out.append(_indirect(tok, start, end, passive_speaker=False))  # "war was declared on X": no speaker
    return out


def _a_deed(verb, option: tuple[str, int, int]) -> bool:
    """Whether a verb of :data:`_DEEDS` does something rather than says it: its content holds no quotation mark,
    and what "release" releases is no document ("released a statement saying ..." is speech, "released a series
    of training videos" a deed)."""
    span = verb.doc[option[1]:option[2]]
    if any(t.text in QUOTE_MARKS for t in span):
        return False
    return verb.lemma_.lower() != "release" or not any(
        c.dep_ == "dobj" and c.lemma_.lower() in DOCUMENT_NOUNS for c in verb.children)


def _after_addressee(cue, option: tuple[str, int, int]) -> tuple[str, int, int]:
    """"urged reporters not to lose sight of ...": what is urged starts after the people addressed, at the
    infinitive (an object and then an infinitive of the cue; neutral on PolNeAR dev, where both spans match)."""
    objs = [c for c in cue.children if c.dep_ == "dobj" and c.left_edge.i == option[1]]
    infinitives = [c for c in cue.children if c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)]
    if objs and infinitives and objs[0].right_edge.i < infinitives[0].left_edge.i < option[2]:
        return option[0], infinitives[0].left_edge.i, option[2]
    return option


def _after_as_saying(cue, option: tuple[str, int, int]) -> tuple[str, int, int]:
    """"TASS quoted Shoigu as saying that the troops ...": the content is what follows "as saying (that)", not
    the person quoted (who is the speaker)."""
    if cue.lemma_.lower() not in ("quote", "cite"):
        return option
    doc = cue.doc
    for i in range(option[1], option[2] - 2):
        if doc[i].lower_ == "as" and doc[i + 1].lower_ in ("saying", "stating", "telling"):
            start = i + 2
            while start < option[2] - 1 and (doc[start].lower_ == "that" or doc[start].is_punct):
                start += 1
            return option[0], start, option[2]
    return option


_SAY_LIKE = words("say_like", file="quotes")


def _with_misparsed_subject(cue, option: tuple[str, int, int]) -> tuple[str, int, int]:
    """A reported clause whose subject list the parser hung on the cue as its object ("It says power lines, a
    power plant and buildings also suffered damage"): the clause starts at that object."""
    if not option[0].startswith("ccomp") or cue.lemma_.lower() not in _SAY_LIKE:
        return option
    objects = [c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < option[1]]
    if objects and cue.doc[option[1] - 1].text == ",":
        return option[0], objects[0].left_edge.i, option[2]
    return option


def _cut_at_own_verb(cue, start: int, end: int) -> int:
    """The end of a content cut before a verb that belongs to the cue's speaker (:func:`misattached_to`),
    with the "and" / "but" / comma before it; ``end`` when there is none."""
    doc = cue.doc
    if cue.tag_ not in ("VBZ", "VBD"):
        return end
    for tok in doc[start + 1:end]:
        if tok.dep_ == "conj" and tok.tag_ == cue.tag_ and getattr(misattached_to(tok), "i", None) == cue.i:
            cut = tok.left_edge.i
            while cut > start + 1 and (doc[cut - 1].dep_ in ("cc", "punct") or doc[cut - 1].pos_ == "ADV"):
                cut -= 1
            return cut if cut > start + 1 else end
    return end


def _quoted_tokens(sdoc) -> set[int]:
    out: set[int] = set()
    for q in find_quoted_spans(doc_text(sdoc)):
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
    fronted = fronted_subject_clause(verb) if lemma in SPEECH_VERBS else None
    if fronted is not None:  # "A warship that was damaged ... has sunk, Russia's defence ministry has said"
        return fronted.left_edge.idx, verb.doc[fronted.right_edge.i + 1].idx  # up to the comma after it
    if verb.dep_ == "parataxis" and lemma in SPEECH_VERBS:
        if is_sign_off(verb.head):  # "<clause>, the ministry said, TASS reports": the clause the wire relays
            fronted = [c for c in verb.head.children if c.dep_ == "ccomp" and c.i < verb.i]
            if fronted:
                comp = fronted[0]
                return comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge.text)
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


# What "according to" may follow that says nothing: a plan, a rule, a custom.
_NORMS = words("norms", file="quotes")
# ", and ..." after "according to X": the phrase closes the clause before it.
_ACCORDING_CLOSES = pattern("according_closes", file="quotes")
_CLOSING_BRACKET = re.compile(r"\s*\)")


def _according_to(sdoc, tok) -> Candidate | None:
    to = sdoc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"] or [c for c in tok.children if c.dep_ == "pobj"]
    if not objs:
        return None
    obj = objs[0]
    if obj.lemma_.lower() in _NORMS:
        return None  # "proceeding according to plan", "according to the law": a norm, not a source
    verb = tok.head
    if verb.i < tok.i and verb.lemma_.lower() in SPEECH_VERBS and any(c.dep_ == "nsubj" for c in verb.children):
        return None  # "..., Grosberg said, according to ERR": the outlet relays Grosberg, who is the speaker
    sent = tok.sent
    phrase_start = tok.idx
    phrase_end = max(t.idx + len(t.text) for t in obj.subtree)
    text = doc_text(sdoc)
    phrase = text[phrase_start:phrase_end]
    if phrase.count("(") > phrase.count(")") and (closing := _CLOSING_BRACKET.match(text[phrase_end:])):
        phrase_end += closing.end()  # "according to the Institute for the Study of War (ISW)"
    before = (sent.start_char, phrase_start)
    after = (phrase_end, sent.end_char)
    spans = (trim_span(text, *before), trim_span(text, *after))
    if _ACCORDING_CLOSES.match(text[phrase_end:]) and spans[0][1] - spans[0][0] >= 8:
        start, end = spans[0]  # "X holds the town, according to Y, and fighting goes on": the phrase closes X
    else:
        start, end = max(spans, key=lambda s: s[1] - s[0])
    if end - start < 8:
        return None
    speaker = named_apposition(obj)  # "according to Ukraine's commander-in-chief, Valeriy Zaluzhnyi"
    return Candidate(start, end, "indirect", (tok.idx, to.idx + 2), speaker_span(speaker), speaker.lower_,
                     speaker.lemma_.lower())


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
    text = doc_text(sdoc)
    before = trim_span(text, clause_start, tok.idx)
    after = trim_span(text, phrase_end, clause_end)
    start, end = max((before, after), key=lambda s: s[1] - s[0])
    if len(text[start:end].split()) < 3:
        return None
    return Candidate(start, end, "indirect", (tok.idx, tok.idx + len(tok.text)), speaker_span(obj), obj.lower_,
                     obj.lemma_.lower())


_OPENERS, _CLOSERS = "“«„‘", "”»’"


def _keep_closing_mark(text: str, start: int, end: int) -> int:
    """The end of a reported clause, past the closing mark of a quotation it opened: trimming the clause
    ("had been “a waste of time”.") must not leave the quotation open."""
    if end >= len(text) or text[end] not in _CLOSERS + '"':
        return end
    inside = text[start:end]
    last = max((inside.rfind(ch) for ch in _OPENERS + _CLOSERS), default=-1)
    if last >= 0 and inside[last] in _OPENERS or (text[end] == '"' and inside.count('"') % 2 == 1):
        return end + 1
    return end


class _Directs:
    """The direct quotes of :func:`merge`, sorted by start, those not yet taken into a reported clause marked, with
    a segment tree of their ends: each question a reported clause asks of them costs a bisection or a walk over
    the quotes inside it, not a pass over every quote (quadratic in a long text). Answers are indexes into the
    list given, in its order."""

    def __init__(self, direct: list[Candidate]):
        self.direct = direct
        self.order = sorted(range(len(direct)), key=lambda k: (direct[k].start, k))
        self.starts = [direct[k].start for k in self.order]
        self.position = {k: p for p, k in enumerate(self.order)}
        self.alive = [True] * len(direct)
        # every quote, taken or not, for "inside a quotation" (as the quotes were given)
        self.reach: list[int] = []
        for k in self.order:
            self.reach.append(max(self.reach[-1], direct[k].end) if self.reach else direct[k].end)
        size = 1
        while size < max(1, len(direct)):
            size *= 2
        self.size = size
        self.ends = [None] * (2 * size)  # max end of the kept quotes under each node (None: none)
        for p, k in enumerate(self.order):
            self.ends[size + p] = direct[k].end
        for node in range(size - 1, 0, -1):
            self.ends[node] = _max_end(self.ends[2 * node], self.ends[2 * node + 1])

    def any_holding(self, offset: int) -> bool:
        """Whether some quote (kept or not) has start <= offset < end."""
        lo, hi = bisect_right(self.reach, offset), bisect_right(self.starts, offset)
        return any(self.direct[self.order[p]].end > offset for p in range(lo, hi))

    def inside(self, start: int, end: int) -> list[int]:
        """The kept quotes with start <= their start and their end <= end, in the order given."""
        lo, hi = bisect_left(self.starts, start), bisect_right(self.starts, end)
        return sorted(k for k in self.order[lo:hi] if self.alive[k] and self.direct[k].end <= end)

    def reaches(self, start: int, end: int) -> bool:
        """Whether a kept quote has its start <= start and its end >= end."""
        hi = bisect_right(self.starts, start)  # positions [0, hi) start at or before ``start``
        best, lo, hi = None, self.size, self.size + hi
        while lo < hi:
            if lo & 1:
                best, lo = _max_end(best, self.ends[lo]), lo + 1
            if hi & 1:
                hi -= 1
                best = _max_end(best, self.ends[hi])
            lo, hi = lo // 2, hi // 2
        return best is not None and best >= end

    def remove(self, taken: list[int]) -> None:
        for k in taken:
            self.alive[k] = False
            node = self.size + self.position[k]
            self.ends[node] = None
            node //= 2
            while node:
                self.ends[node] = _max_end(self.ends[2 * node], self.ends[2 * node + 1])
                node //= 2

    def remaining(self) -> list[Candidate]:
        return [d for k, d in enumerate(self.direct) if self.alive[k]]


def _max_end(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def merge(indirect: list[Candidate], direct: list[Candidate], text: str) -> list[Candidate]:
    """Combine the passes: reported clauses holding quoted text become mixed (or direct); nested cues inside
    a direct quote are dropped; overlapping reported clauses keep the outer one."""
    kept = _Directs(direct)
    result: list[Candidate] = []
    for cand in sorted(indirect, key=lambda c: (c.start, -(c.end - c.start))):
        if cand.cue and kept.any_holding(cand.cue[0]):
            continue  # speech reported inside a quotation
        inner = kept.inside(cand.start, cand.end + 2)
        if inner:
            quoted = sum(direct[k].end - direct[k].start for k in inner)
            kind = "direct" if quoted >= 0.85 * (cand.end - cand.start) else "mixed"
            kept.remove(inner)
            cand = replace(cand, kind=kind, end=_keep_closing_mark(text, cand.start, cand.end))
        elif kept.reaches(cand.start, cand.end - 2):
            continue
        elif (closed := _keep_closing_mark(text, cand.start, cand.end)) > cand.end:
            # a short quotation inside the clause that the quote pass left alone ("called the move “another
            # closed channel of communication”."): the clause quotes it, so it is mixed, closing mark included
            cand = replace(cand, kind="mixed", end=closed)
        if result and result[-1].start <= cand.start and cand.end <= result[-1].end:
            continue
        result.append(cand)
    # direct quotes that overlap a reported clause only partly are kept as they are
    result.extend(kept.remaining())
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
    # A cue that introduces a quotation says nothing else: in "“...,” Price told a regular news briefing" the
    # object of "told" is the audience, not a second content.
    quoting = {c.cue for c in deduped if c.kind != "indirect" and c.cue is not None}
    return [c for c in deduped if not (c.kind == "indirect" and c.cue in quoting)]


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
    candidates = [_postposed_speaker(c, sdoc) for c in merge(indirect, direct + intro, text)]
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


def _postposed_speaker(cand: Candidate, sdoc) -> Candidate:
    """A speaker the parser left inside the content: "..., while its proposal is “not serious,” Russia’s
    permanent representative to the UN, Vassily Nebenzia, said on Tuesday" hangs the role and name on the reported
    clause and gives "said" no subject. The noun phrase between the last mark or comma and ", said" speaks, and
    the content ends before it."""
    if cand.speaker is not None or cand.cue is None or cand.inherit:
        return cand
    span = sdoc.char_span(cand.cue[0], cand.cue[1], alignment_mode="expand")
    verbs = [t for t in span if t.pos_ in ("VERB", "AUX")] if span is not None else []
    if not verbs or verbs[-1].lemma_.lower() not in SPEECH_VERBS:
        return cand
    cue = verbs[-1]
    verb_start = min([cue.i] + [c.i for c in cue.children if c.dep_ in ("aux", "auxpass") and c.i < cue.i])
    if verb_start < 3 or sdoc[verb_start - 1].text != "," or any(c.dep_ in ("nsubj", "nsubjpass")
                                                                 for c in cue.children):
        return cand  # (", Rodion Miroshnik, has claimed": the auxiliary opens the verb)
    last = sdoc[verb_start - 2]
    if last.pos_ not in ("PROPN", "NOUN"):
        return cand
    heads = [last]
    while heads[-1].dep_ in ("appos", "compound", "flat") and heads[-1].head.i < heads[-1].i:
        heads.append(heads[-1].head)
    for head in reversed(heads):  # the widest speaker phrase that still reads as one (not "the republic, ...")
        first = head.i
        while first > head.sent.start and not (sdoc[first - 1].is_punct or sdoc[first - 1].is_quote):
            first -= 1
        words = sdoc[first:last.i + 1]
        if not (first == head.i and head.pos_ != "PROPN" or len(words) > 12 or first == head.sent.start
                or not any(t.pos_ == "PROPN" for t in words)):
            break
    else:
        return cand
    start, end = trim_span(doc_text(sdoc), cand.start, min(cand.end, sdoc[first].idx))
    if not cand.start <= sdoc[first].idx <= cand.end + 2 or end - start < 8:
        return cand
    return replace(cand, start=start, end=end, speaker=(sdoc[first].idx, last.idx + len(last.text)),
                   speaker_head=head.lower_, speaker_lemma=head.lemma_.lower())


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
    s = config.settings("quotes")
    return Quotes(s.min_words, s.attitude_verbs, s.cue_model, s.cue_threshold)
