"""Pieces every quote pass shares (:mod:`quotes`, :mod:`quote_headlines`, :mod:`quoted`): the candidate record,
and the speaker, cue and span helpers over the spaCy parse."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from ..lexicon import words
from ..resolve.names import TITLES

TRIM = " \t\r\n,;:—–-\"“”‘’'«»„"
# Subjects that stand for a clause or a thing, not a speaker ("that shows ..."); the word lists are data:
# resources/en/quotes.toml, each with what it is for.
_PLACEHOLDER_SUBJECTS = words("placeholder_subjects", file="quotes")


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


def doc_text(sdoc) -> str:
    """The parse's text, joined once per Doc (spaCy's ``Doc.text`` joins every token on each access)."""
    text = _TEXTS.get(sdoc)
    if text is None:
        text = _TEXTS[sdoc] = sdoc.text
    return text


# A wire dateline opening a sentence: "MINSK, 17 February (BelTA) –", "KYIV, Ukraine (AP) —", "MOSCOW (Reuters) -".
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]{2,}(?:,[^()\n]{1,40})?\s*\([A-Za-z .]{2,30}\)\s*[–—-]+\s*")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    dateline = _DATELINE.match(text, start, end)
    if dateline:
        start = dateline.end()  # the dateline says where the wire filed from, not what was said
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM + ".":
        end -= 1
    return start, end


def nominal_subject(cue):
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
            if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in _PLACEHOLDER_SUBJECTS:
                return child
    return None


def fronted_subject_clause(verb):
    """A reported clause the parser made a first subject of the speech verb: "A Russian warship that was damaged
    by an explosion has sunk, Russia's defence ministry has said" gives "said" two subjects, "warship" and
    "ministry", with a comma between them; the first is what was said. None when there is no such pair."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
    if len(subjects) < 2:
        return None
    first, last = subjects[0], subjects[-1]
    between = verb.doc[first.right_edge.i + 1:last.left_edge.i]
    if len(between) != 1 or between[0].text != "," or not any(
            t.pos_ in ("VERB", "AUX") for t in first.subtree):
        return None
    return first


def subject(verb):
    """The subject of a cue verb: its own, or its governing verb's for "..., adding that" / "and warned"."""
    if verb.pos_ not in ("VERB", "AUX"):
        return nominal_subject(verb)
    if verb.lemma_.lower() in ("learn", "hear"):  # "BelTA learned from President Lukashenko": he speaks
        source = next((g for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"
                       for g in c.children if g.dep_ == "pobj"), None)
        if source is not None:
            return source
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as" and verb.head.head.lemma_.lower() in ("quote", "cite"):
        verb = verb.head.head  # "TASS quoted Shoigu as saying that ...": Shoigu says it
    if verb.lemma_.lower() == "quote" and verb.tag_ != "VBN":
        # "“...,” it quoted a Belarusian driver": the one quoted speaks; the subject only relays
        quoted = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
        if quoted is not None:
            return named_apposition(quoted)
    if verb.dep_ == "xcomp":
        told = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if told is not None and told.pos_ in ("NOUN", "PROPN", "PRON"):
            return named_apposition(told)  # "prompted one pollster to describe ...": the pollster describes
    owner = misattached_to(verb)
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
        subjects = [c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i]
        if len(subjects) > 1 and tok.doc[subjects[-1].i - 1].text in ("’", "'"):
            return subjects[-1]  # "The spies’ spokesman said": the parser split the possessive into two subjects
        if tok is verb and fronted_subject_clause(verb) is not None:
            return named_apposition(subjects[-1])  # the first subject is what was said
        for child in tok.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in ("who", "which", "that") \
                    and tok.dep_ == "relcl":
                return named_apposition(tok.head)  # "Zelensky, who has called for a boycott": Zelensky
            if child.dep_ in ("nsubj", "nsubjpass") and (child.lower_ not in _PLACEHOLDER_SUBJECTS or (
                    child.lower_ == "it" and child.dep_ == "nsubj" and _referential_it(tok))):
                return named_apposition(child)
            if child.dep_ == "agent":
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        if verb.dep_ == "relcl" and tok is verb:
            return verb.head
    return None


def named_apposition(head):
    """The person a role noun is put beside: "Its foreign ministry spokeswoman, Maria Zakharova, called ..." is
    Maria Zakharova speaking."""
    if head.pos_ != "NOUN" and head.lower_ not in TITLES:  # "The Agency’s Spokesman, Vadym Skibitsky, said"
        return head
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and child.ent_type_ == "PERSON":
            return child
    return head


# Verbs whose "it" subject refers to nothing: "it seems that", "it emerged that", "it means that".
_EXPLETIVE_VERBS = words("expletive_verbs", file="quotes")


def _referential_it(verb) -> bool:
    """Whether "it" as the active subject of a cue verb names something ("The institute said ... It said ..."),
    rather than standing in for a clause ("it is said that", "it seems that")."""
    return verb.lemma_.lower() not in _EXPLETIVE_VERBS and not any(c.dep_ == "auxpass" for c in verb.children)


def speaker_span(head) -> tuple[int, int]:
    """The noun phrase of a speaker head: its subtree, cut before a comma, bracket or relative clause, without a
    closing quotation mark the parser hung on it ("..., ” a spokesman said"); a hyphen inside a word does not cut
    it ("the UN secretary-general")."""
    left = head.left_edge
    while left.i < head.i and (left.is_punct or left.is_quote):
        left = left.doc[left.i + 1]
    right = head
    listed = _listed_with(head)
    for tok in head.subtree:
        if tok.i <= head.i:
            continue
        inner_hyphen = tok.text in ("-", "‐") and not tok.whitespace_ and not tok.doc[tok.i - 1].whitespace_
        list_comma = tok.text == "," and listed and tok.i < listed[-1].i
        close_appos = tok.dep_ == "appos" and tok.left_edge.i > 0 and not tok.doc[tok.left_edge.i - 1].is_punct
        if (tok.is_punct and not inner_hyphen and not list_comma) or tok.tag_ in ("WDT", "WP") or (
                tok.dep_ in ("relcl", "acl", "appos") and tok not in listed and not close_appos):
            break  # (a close apposition stays: "his wife Alena", "the pollster Eupinions")
        right = tok
    start, end = left.idx, right.idx + len(right.text)
    text = head.doc[left.i:right.i + 1].text
    if text.count("(") > text.count(")") and (cut := text[:text.rindex("(")].rstrip()):
        end = start + len(cut)  # "the UK Ministry of Defence (MoD": the bracket stays out
    return start, end


def _listed_with(head) -> list:
    """The conjuncts of a speaker listed with others ("The US, UK, Canada and 40 partner countries denounced"),
    in order; empty when the head stands alone."""
    out, tok = [], head
    if not any(c.dep_ == "conj" for c in head.children):
        # "The US, UK, Canada and ...": the parser may hang the second item on the first as an apposition
        appos = next((c for c in head.children if c.dep_ == "appos" and any(g.dep_ == "conj" for g in c.children)),
                     None)
        if appos is None:
            return out
        out.append(appos)
        tok = appos
    while True:
        nxt = next((c for c in tok.children if c.dep_ == "conj"), None)
        if nxt is None:
            return out
        out.append(nxt)
        tok = nxt


def cue_span(verb) -> tuple[int, int]:
    """The verb with its auxiliaries and particles ("has said", "pointed out")."""
    toks = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "prt", "neg") and c.i < verb.i + 3]
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return start, end


def misattached_to(verb):
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


def token_at(sdoc, char: int):
    span = sdoc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None
