"""``claims.v1``: check-worthy factual claims, typed, attributed, with relay chain, hedging and a score.

A claim is a sentence (or the reported clause of a quote inside it) that carries a war-news event word
(captured, killed, destroyed, struck, advanced ...) or a counted quantity, or a quoted statement that the
check-worthiness scorer rates at or above ``min_statement_score``. Each gets:

- ``type``: the first of equipment_losses, casualties, territorial_control, strike, movement whose word list
  matches where the act is asserted (not asked for, feared, planned or talked of: "called for NATO to launch
  strikes", "should recapture", "will capture") and not only in a phrase that describes a noun; "statement" for
  quoted speech without one, and for a quoted count that takes a stance (:func:`_states_a_position`); "other"
  otherwise (explosions with no attack named among them, counts told as news);
- ``claimant``: the quote's speaker when the claim is (inside) a quote whose cue says, believes or takes a stand
  (:data:`~discernment.extract.cues.CLAIM_CUES`); else the outlet's own voice;
- ``via``: relay phrases ("according to TASS", "told Reuters", "captured by RIA Novosti", "disseminated
  through state media", "X has published footage");
- ``hedged``: a hedge word in the claim or in its cue ("reportedly", "allegedly", "may", "I think", "claimed"),
  or a hedging cue ("suggested", "estimated");
- ``checkworthy``: the scorer's probability (``discernment.extract.checkworthy``), joined with ``event_prior``
  for the types of war events;
- ``quantities``, ``dates`` inside the claim span (for a reported clause with no date of its own, the date its
  attribution gives: "said on Tuesday that ..."), and ``places``: indexes of ``doc.places`` inside it.
"""

from __future__ import annotations

import bisect
import re

from .. import lexicon, registry
from ..config import Config
from ..model import Claim, Claimant, Document, Quote
from ..pipeline import Component, Resources
from ..resolve.dates import find_dates
from ..resolve.quantities import find_quantities
from .checkworthy import load_scorer
from .cues import (
    ACT_PARTICLES,
    AID_WORDS,
    CLAIM_CUES,
    DISASTER_WORDS,
    DOCUMENT_NOUNS,
    HEDGES,
    HEDGING_CUES,
    NEWS_OUTLETS,
    SPEECH_WITH_PARTICLE,
    STANCE_CUES,
)


# This module's word classes and patterns are data: resources/en/claims.toml (the claim types' patterns are in
# claim_types.toml), read once, here, at import.
def _words(name: str) -> frozenset[str]:
    """The word class ``name`` of claims.toml."""
    return lexicon.words(name, file="claims")


def _pattern(name: str, flags: int = 0) -> re.Pattern:
    """The pattern ``name`` of claims.toml (pieces joined in order; a dotted name reaches into a table)."""
    return lexicon.pattern(name, file="claims", flags=flags)


def _alternatives(name: str) -> str:
    """The alternatives ``name`` of claims.toml (regular-expression pieces), joined by "|" in their order; the
    caller writes the frame around them."""
    return "|".join(lexicon.table("claims")[name])


# The claim types' patterns, in the order they are tried.
TYPE_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (name, lexicon.pattern(f"types.{name}", file="claim_types", flags=re.I))
    for name in lexicon.table("claim_types")["order"])
# Types that name an act of war: their claims are check-worthy whatever the scorer says (``event_prior``).
EVENT_TYPES = frozenset(name for name, _ in TYPE_PATTERNS)
_OUTLETS = NEWS_OUTLETS
# A relay's name after a verb of passing on: "captured by RIA Novosti", "disseminated through state media".
_NAME = lexicon.text("relay_name", file="claims")
# A name of capitalised words with no full stop in it, where a sentence may end right after: "according to ERR."
_NAME_TO_STOP = r"(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,4}"
VIA_PATTERNS = (
    re.compile(rf"\b(?:{_alternatives('relayed_by')})\s+(?:{_alternatives('relayed_through')})\s+({_NAME})"),
    re.compile(rf"\b(?i:according to)\s+({_OUTLETS})\b"),
    # "..., Grosberg said, according to Estonia's ERR": whoever the words came through
    re.compile(rf"\b(?:{_alternatives('said_according_to')}),?\s+(?:on \w+,?\s+)?according to\s+({_NAME_TO_STOP})"),
    re.compile(rf"\b(?:{_alternatives('spoke_to')})\s+({_OUTLETS})\b"),
    re.compile(rf"\b(?:{_alternatives('citing')})\s+({_OUTLETS})\b"),
    re.compile(rf"\b({_OUTLETS})\s+(?:has\s+|had\s+)?(?:quoted|cited)\b"),  # "TASS quoted Shoigu as saying"
    re.compile(rf"[,–—]\s+({_OUTLETS})\s+(?:has\s+|had\s+)?(?:{_alternatives('outlet_reported')})\b"),
    re.compile(rf"\(({_OUTLETS})\)\s*[–—-]"),  # a dateline: "MINSK, 17 February (BelTA) –"
    re.compile(rf"(?:^|[.;]\s+|,\s+)({_NAME})\s+(?:has\s+|have\s+|had\s+)?(?:{_alternatives('showed')})\s+"
               rf"(?:a\s+|the\s+|new\s+)*(?:{_alternatives('footage_nouns')})"),
)
_HEDGE_RE = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in sorted(HEDGES, key=len, reverse=True)) + r")\b",
                       re.I)
_MIN_WORDS = 5


# Weapons named without any act of striking: a strike only when no delivery is spoken of (:data:`AID_WORDS`).
_NATURAL = re.compile(rf"(?:{_alternatives('natural')})", re.I)  # what an earthquake or a storm may do
_WEAPONS_ONLY = re.compile(rf"(?:{_alternatives('weapons_only')})", re.I)


# Places named by who holds them ("from occupied areas", "the Russian-occupied port", "under Russian occupation")
# and holding that is no ground ("held talks", "holding a press conference") report no change of control.
_CONTROL_NOUNS = _alternatives("control_nouns")
_STATUS_BEFORE = re.compile(rf"(?:\b(?:{_alternatives('status_before')})\s+|-)$", re.I)
_STATUS_AFTER = re.compile(rf"\s+(?:{_CONTROL_NOUNS})\b")
_HELD_GROUND = _pattern("held_ground")

# "captured on video", "captured the imagination": filmed or won over, not taken
_CAPTURED_ON = _pattern("captured_not_taken", re.I)


def _control_as_status(text: str, m: re.Match) -> bool:
    word = m.group(0).lower()
    before, after = text[max(0, m.start() - 12):m.start()], text[m.end():m.end() + 40]
    if word.startswith(("occupied", "annexed")) and _STATUS_BEFORE.search(before) and _STATUS_AFTER.match(after):
        return True  # "from occupied areas", "the Russian-occupied port of Berdiansk", "Moscow-annexed Crimea"
    if word.startswith("occupation") and re.search(r"\bunder\s+(?:\w+\s+)?$", text[max(0, m.start() - 30):m.start()]):
        return True  # "held under Russian occupation"
    if word.startswith("captur") and _CAPTURED_ON.match(after):
        return True  # "captured on video", "captured the imagination": filmed or won over, not taken
    if word in ("held", "holding"):
        return not _HELD_GROUND.match(after)  # "held talks", "holding a press conference"
    return False


# Phrases that name the war or a report rather than an act of it: keywords inside them type nothing.
_NAMING = _pattern("naming", re.I)
# By claim type, phrases whose word of the type is not the type's act: "executed the plan", "seizing on concerns",
# "crossed red lines", "panic attacks", "drone strikes" (for equipment lost).
_NOT_OF_TYPE = {name: _pattern(f"not_of_type.{name}", re.I) for name in lexicon.table("claims")["not_of_type"]}

# Words of a type used for news of no war type: the claim is "other" ("blackouts have hit the regions").
_TROUBLES = _alternatives("troubles")
_NEWS_OF_NO_TYPE = {
    # a death from age or illness: "died in April aged 75", "died after undergoing treatment"
    "casualties": _pattern("news_of_no_type.casualties", re.I),
    # what an outage, a crisis or a loss hits: "blackouts have hit the regions", "hit operating profits"
    "strike": re.compile(rf"\b(?:{_TROUBLES}|loss(?:es)?)\s+(?:\w+\s+){{0,8}}?(?:hit|struck)\b|"
                         rf"\bhit\s+by\s+(?:\w+\s+){{0,2}}?(?:{_TROUBLES})\b|"
                         rf"\bhit\s+(?:\w+\s+){{0,2}}?(?:{_alternatives('hit_not_struck')})\b", re.I),
}


# Heads under which an act is not asserted but asked for, feared, talked of or denied: "called for NATO to launch
# strikes", "talk of a possible nuclear strike", "failed to seize the capital", "was not referring to attacks",
# "denied that its troops shelled the town", "branded the killings a provocation".
_NOT_ASSERTING = _words("not_asserting")
# Modals of obligation and will never assert ("Georgia should recapture", "forces would be annihilated", "lives will
# be saved"); modals of possibility do, when they look back ("may have captured" is a hedged claim, "could strike"
# is none).
_MODALS = _words("modals")
# Adjectives of ability: "a military capable of inflicting casualties" has inflicted none.
_ABILITY = _words("ability")
# Verbs that ask or fight for what their "on"/"for" object names: "insisted on a withdrawal", "fighting for the
# liberation of the Donbas".
_STRIVING_FOR = _words("striving_for")
_MODALS_OF_POSSIBILITY = _words("modals_of_possibility")
_EXPLOSIONS = re.compile(rf"(?:{_alternatives('explosions')})", re.I)


def _asserted(tok) -> bool:
    """Whether the act a word names is asserted to have happened (see :data:`_NOT_ASSERTING`): not under a modal
    ("Georgia should recapture"), nor in an "if" clause, nor under a head that asks for, fears or talks of it.
    The walk up the parse stops at a clause that asserts on its own: a relative or adverbial clause, or a
    coordinated verb with its own subject ("Zelensky called for talks and Russia shelled Kyiv")."""
    t = tok
    while True:
        aux = {c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass")}
        if aux & _MODALS or aux & _MODALS_OF_POSSIBILITY and not aux & {"have", "has", "had"}:
            return False
        marks = {c.lower_ for c in t.children if c.dep_ == "mark"}
        if t.dep_ == "advcl" and (marks & {"if", "unless"} or "to" in aux):
            return False  # a condition, or a purpose: "sent troops to capture the city"
        if t.head.i == t.i or t.dep_ in ("advcl", "relcl") or (
                t.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)):
            return True
        if t.dep_ == "prep" and t.lower_ in ("on", "for") and t.head.lemma_.lower() in _STRIVING_FOR:
            return False
        t = t.head
        if t.lemma_.lower() in _NOT_ASSERTING and t.pos_ in ("VERB", "NOUN"):
            return False
        if t.lower_ in _ABILITY and t.pos_ == "ADJ":
            return False


_BACKGROUND_PREPS = _words("background_preps")
_BACKGROUND_MARKS = _words("background_marks")


_COUNT_NOUNS = _words("count_nouns")


def _takes_a_person(tok, places: tuple[int, ...] = ()) -> bool:
    """A verb of capture whose object (or passive subject) is a person: "Aiden Aslin was seized by Russian
    forces" takes a prisoner, not ground."""
    if tok is None or tok.lemma_.lower() not in ("capture", "seize", "take"):
        return False
    return any(c.dep_ in ("dobj", "nsubjpass") and (c.lower_ in ("him", "her", "them") or c.ent_type_ == "PERSON"
               and not any(c.left_edge.idx <= p <= c.idx for p in places)) for c in tok.children)


def _describes_a_noun(t) -> bool:
    """A clause that describes a noun rather than telling what happened: a relative clause ("the date he died",
    "..., which was apparently why"), a participle with its agent ("a court administered by separatists", "areas
    held by rebels") or one set off by a dash or comma ("Sergei's neighbour - killed as he tried ... - lay
    here"). A counted noun is no description: "the number of people killed", "20 civilians who were killed"; nor
    are people said to suffer the act ("parishioners who have died")."""
    head = t.head
    if t.dep_ not in ("relcl", "acl") or head.pos_ not in ("NOUN", "PROPN", "PRON"):
        return False
    counted = head.lower_ in _COUNT_NOUNS or any(c.dep_ == "nummod" for c in head.children) or (
        head.head.lower_ == "of" and head.head.head.lower_ in _COUNT_NOUNS)
    if counted:
        return False
    if head.dep_ == "attr" or head.head.lower_ == "of" and head.head.head.dep_ == "attr":
        return False  # what the sentence is about: "Mykolaiv was one of the first places Russian forces attacked"
    if t.dep_ == "relcl":  # but people who suffer the act are its news: "parishioners who have died"
        return not any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ == "who" for c in t.children)
    if head.dep_ in ("nsubj", "nsubjpass") and t.tag_ in ("VBG", "VBN"):
        return True  # a participle on the subject: "forces still holding out in the city are outnumbered"
    before = t.doc[t.left_edge.i - 1] if t.left_edge.i > 0 else None
    return any(c.dep_ == "agent" for c in t.children) or (before is not None and before.text in ",-–—")


def _backgrounded(tok, start: int = 0, end: int | None = None) -> bool:
    """Whether a word sits in background to the clause's own claim: a phrase that describes a noun ("revelations
    of atrocities including images of bodies", "damages from the Soviet occupation"), or a time or cause set
    before the event ("left Russia after the annexation of Crimea", "renounced his citizenship after condemning
    the offensive"). The walk stays inside the claim (characters ``start`` to ``end``): a reported clause is
    judged on its own, whatever the sentence does with it."""
    end = len(tok.doc.text) if end is None else end
    t = tok
    while t.head.i != t.i and start <= t.head.idx < end:
        if t.dep_ in ("prep", "agent") and t.head.pos_ in ("NOUN", "PROPN") and t is not tok and not (
                t.lower_ == "of" and t.head.lower_ in _COUNT_NOUNS):  # "the number of civilians killed"
            return True
        if t.dep_ == "prep" and t.lower_ in _BACKGROUND_PREPS:
            return True
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _BACKGROUND_MARKS for c in t.children):
            return True
        if _describes_a_noun(t):
            return True
        t = t.head
    return False


def claim_type(text: str, sdoc=None, offset: int = 0, places: tuple[int, ...] = ()) -> str | None:
    """The claim type of ``text`` (see the module docstring). With its parse (``sdoc``, where ``text`` starts at
    ``offset``), a word counts only where its act is asserted (:func:`_asserted`) as the clause's own claim; one
    found only in the background (:func:`_backgrounded`) makes the claim "other". ``places``: start offsets of the
    document's places, which are no people even when the tagger says so ("captured Avdiivka")."""
    naming = [(m.start(), m.end()) for m in _NAMING.finditer(text)]
    other = False
    for name, pattern in TYPE_PATTERNS:
        matches = [m for m in pattern.finditer(text) if not any(a <= m.start() < b for a, b in naming)]
        exclusion = _NOT_OF_TYPE.get(name)
        if exclusion is not None:
            matches = _outside(matches, exclusion, text)
        news = _NEWS_OF_NO_TYPE.get(name)
        if news is not None:
            kept = _outside(matches, news, text)
            other = other or len(kept) < len(matches)
            matches = kept
        if name == "territorial_control":
            matches = [m for m in matches if not _control_as_status(text, m)]
        if sdoc is not None:
            pairs = [(m, _root_at(sdoc, offset + m.start(), offset + m.end())) for m in matches]
            if name == "territorial_control":
                kept = [(m, r) for m, r in pairs if not _takes_a_person(r, places)]
                other = other or len(kept) < len(pairs)  # a prisoner taken is news of another kind
                pairs = kept
            asserted = [(m, r) for m, r in pairs if r is None or _asserted(r)]
            matches = [m for m, r in asserted if r is None or not _backgrounded(r, offset, offset + len(text))]
            other = other or len(matches) < len(asserted)
        found = [m.group(0) for m in matches]
        if not found:
            continue
        if name == "strike" and all(_WEAPONS_ONLY.fullmatch(w) for w in found) and AID_WORDS.search(text):
            continue  # "Ukraine will get 5,000 anti-tank rockets": arms given, not fired
        if name == "strike" and all(_NATURAL.fullmatch(w) for w in found) and DISASTER_WORDS.search(text):
            continue  # "an earthquake and tsunami destroyed key cooling functions"
        if name == "strike" and all(_EXPLOSIONS.fullmatch(w) for w in found):
            other = True  # "a series of explosions occurred at the airfield": no attack is said
            continue
        return name
    return "other" if other else None


# Words of war events, asserted or not: a statement about one is worth checking (``event_prior``).
_WAR_EVENT_WORDS = re.compile(rf"\b(?:{_alternatives('war_event_words')})\b", re.I)


def _outside(matches: list[re.Match], pattern: re.Pattern, text: str) -> list[re.Match]:
    spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    return [m for m in matches if not any(a <= m.start() < b or a < m.end() <= b for a, b in spans)]


def _names_war_event(text: str) -> bool:
    return bool(_WAR_EVENT_WORDS.search(text))


# Modals that make a quoted count a position ("the two nations should not bother sending delegations"); "will"
# reports a plan as news ("Moscow and Kiev will each release 110 people"), and so does "would" after a past cue
# ("said 386.9 billion hryvnas would be allocated").
_POSITION_MODALS = _words("position_modals")
# Verbs of a stance held: "We believe it is the best machine pistol in the world".
_STANCE_VERBS = _words("stance_verbs")


def _states_a_position(sdoc, start: int, end: int, quote: Quote) -> bool:
    """Whether a quoted claim that counts something states a position rather than reporting a count: its verb is
    negated ("did not threaten the 30-member alliance"), under a modal of obligation or possibility, a verb of
    stance in the active voice, or the cue argues, insists, warns or denies (:data:`STANCE_CUES`)."""
    root = _root_at(sdoc, start, end)
    if root is None:
        return False
    deps = {c.dep_ for c in root.children}
    aux = {c.lower_ for c in root.children if c.dep_ == "aux"}
    if "neg" in deps or aux & _POSITION_MODALS:
        return True
    if root.lemma_.lower() in _STANCE_VERBS and "auxpass" not in deps:
        return True
    if quote.cue is not None:
        cue = sdoc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
        if cue is not None and any(t.lemma_.lower() in STANCE_CUES for t in cue):
            return True
    return False


def _root_at(sdoc, start: int, end: int):
    span = sdoc.char_span(start, end, alignment_mode="expand")
    return None if span is None else span.root


# Words the capitalised-name patterns catch that relay nothing: "reported on Sunday", "captured by Russian".
_NOT_RELAYS = _words("not_relays")


def relay_chain(text: str) -> tuple[str, ...]:
    """Relay names in order of appearance, without repeats."""
    found: list[tuple[int, str]] = []
    for pattern in VIA_PATTERNS:
        for m in pattern.finditer(text):
            found.append((m.start(1), m.group(1).strip()))
    out: list[str] = []
    for _, name in sorted(found):
        name = re.sub(r"^the\s+", "", name, flags=re.I)
        if not re.search(r"\b[A-Z]\.$", name):
            name = name.rstrip(".")  # a sentence's full stop ("according to Ukrinform."), not "U.S."
        if name and name not in out and name.lower() not in _NOT_RELAYS:
            out.append(name)
    return tuple(out)


# Hedge words that hedge nothing here: inability ("could no longer"), and claims named as such ("the Russian
# claims about technical issues were a ruse": the writer disputes them, it does not hedge).
_NOT_HEDGING_AFTER = {word: _pattern(f"not_hedging_after.{word}")
                      for word in lexicon.table("claims")["not_hedging_after"]}
_NAMED_CLAIMS = re.compile(rf"(?:\b(?:{_alternatives('names_claims')})|['’]s?)\s+$", re.I)
# "as soon as possible", "all possible means": no hedge.
_POSSIBLE_NOT_HEDGING = re.compile(rf"\b(?:{_alternatives('possible_not_hedging')})\s+$")


def hedge_matches(text: str) -> list[re.Match]:
    """The hedge words of ``text`` that hedge ("May" the month, "I think of", "could no longer" do not)."""
    out = []
    for m in _HEDGE_RE.finditer(text or ""):
        word = m.group(0).lower()
        if word.endswith("think") and re.match(r"\s+(?:of|about)\b", text[m.end():m.end() + 7]):
            continue  # "I think of the poor girl": remembering, not doubting
        after = _NOT_HEDGING_AFTER.get(word)
        if after is not None and after.match(text, m.end()):
            continue
        if word == "claims" and _NAMED_CLAIMS.search(text[max(0, m.start() - 20):m.start()]):
            continue
        if word == "possible" and _POSSIBLE_NOT_HEDGING.search(text[max(0, m.start() - 12):m.start()]):
            continue  # "as soon as possible", "all possible means"
        if m.group(0) != "May" or m.start() == 0:
            out.append(m)
    return out


def is_hedged(*texts: str) -> bool:
    """A hedge word in any of the texts (:func:`hedge_matches`)."""
    return any(hedge_matches(text) for text in texts)


# Hedge words whose doubt belongs to where they stand: a modal in a relative clause or in the content of a noun
# ("a disaster that could lead to spillover", "claims that Russia could use nuclear weapons are absurd"), or
# "claims" as a noun, hedges that phrase, not the claim.
_LOCAL_HEDGES = _words("local_hedges")


def _claim_hedged(sdoc, text: str, start: int, end: int) -> bool:
    """Whether the claim ``text[start:end]`` is hedged, reading the parse for :data:`_LOCAL_HEDGES`; a claim
    whose own verb is a belief or forecast (:data:`HEDGING_CUES`: "it expected the loss to hit profits", "he does
    not believe his country will ...") is hedged too."""
    root = _root_at(sdoc, start, end)
    if root is not None and root.lemma_.lower() in HEDGING_CUES and any(
            c.dep_ in ("ccomp", "xcomp", "dobj") for c in root.children):
        return True
    for m in hedge_matches(text[start:end]):
        if m.group(0).lower() not in _LOCAL_HEDGES:
            return True
        tok = _root_at(sdoc, start + m.start(), start + m.end())
        if tok is None:
            return True
        if tok.lower_ == "claims":
            if tok.pos_ == "VERB":
                return True
            continue
        verb = tok.head
        if not _in_noun_phrase(verb, start, end):
            return True
    return False


def _in_noun_phrase(tok, start: int, end: int) -> bool:
    """Whether a verb describes or fills a noun inside the claim (a relative clause, a noun's content clause)."""
    t = tok
    while t.head.i != t.i and start <= t.head.idx < end:
        if t.dep_ in ("relcl", "acl") or (t.dep_ == "ccomp" and t.head.pos_ in ("NOUN", "PROPN")):
            return True
        t = t.head
    return False


_MEDIA_OF_SPEECH = DOCUMENT_NOUNS | _words("media_of_speech")


def _act_particle(tok) -> bool:
    """A verb made an act by its particle: "called in the authorities", "called up reservists" (but "called in a
    statement for ...", where "in" names how it was said)."""
    if tok.lemma_.lower() in SPEECH_WITH_PARTICLE:
        return False  # "pointed out", "spoke out", "hit out at": still speech
    if any(c.dep_ == "prt" and c.lower_ in ACT_PARTICLES for c in tok.children):
        return True
    if tok.lemma_.lower() != "call" or tok.i + 1 >= len(tok.doc) or tok.nbor().lower_ not in ACT_PARTICLES:
        return False
    objects = [c for c in tok.nbor().children if c.dep_ == "pobj"]
    return not any(o.lemma_.lower() in _MEDIA_OF_SPEECH for o in objects)


def _cue_words(quote: Quote | None, sdoc) -> list:
    """The words (tokens of letters) of a quote's cue; none for a quote without one or a dash or colon cue."""
    if quote is None or quote.cue is None:
        return []
    span = sdoc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
    return [t for t in span if t.is_alpha] if span is not None else []


def attributes_claims(quote: Quote, sdoc) -> bool:
    """Whether a quote's speaker claims what it holds: a quotation, a dash or colon speaker line, or a cue of
    :data:`CLAIM_CUES` that is neither negated ("has not threatened Ukraine with strikes") nor an act with a
    particle ("called in the authorities")."""
    words = _cue_words(quote, sdoc)
    if not words:
        return True
    if any(t.lower_ in ("not", "never") or any(c.dep_ == "neg" for c in t.children) for t in words):
        return False
    if any(_act_particle(t) for t in words):
        return False
    return quote.kind != "indirect" or any(t.lemma_.lower() in CLAIM_CUES for t in words)


def _hedging_cue(quote: Quote | None, sdoc) -> bool:
    """A cue that hedges what it reports (:data:`HEDGING_CUES`: "a survey has suggested a drop")."""
    return any(t.lemma_.lower() in HEDGING_CUES for t in _cue_words(quote, sdoc))


def _cue_in_subordinate_clause(quote: Quote, sdoc) -> bool:
    """Whether a quote's cue sits in an adverbial or relative clause of its sentence ("..., even though the General
    Staff has admitted to targeting the town"): its speaker is no claimant of the whole sentence."""
    words = _cue_words(quote, sdoc)
    if not words:
        return False
    t = words[-1]
    while t.head.i != t.i:
        if t.dep_ in ("advcl", "relcl", "acl"):
            return True
        t = t.head
    return False


def _claim_units(doc: Document, sdoc) -> list[tuple[int, int, Quote | None, int, int]]:
    """(start, end, quote, sentence start, sentence end): each reported clause of a quote that lies in the
    sentence ("X reported destroying ... and claimed to have eliminated ..." gives two), longest first where
    two overlap; else the whole sentence, with the first quote that touches it (its speaker is the claimant)."""
    text = doc.text
    quotes = sorted((q for q in doc.quotes if attributes_claims(q, sdoc)), key=lambda q: q.start)
    q_starts = [q.start for q in quotes]
    units = []
    for sent in sdoc.sents:
        s, e = sent.start_char, sent.end_char
        while e > s and text[e - 1].isspace():
            e -= 1
        if len(text[s:e].split()) < _MIN_WORDS:
            continue
        i = max(bisect.bisect_right(q_starts, s) - 1, 0)
        touching = []
        while i < len(quotes) and quotes[i].start < e:
            if quotes[i].end > s:
                touching.append(quotes[i])
            i += 1
        inside = [q for q in touching if s <= q.start and q.end <= e and len(q.text.split()) >= _MIN_WORDS]
        chosen: list[Quote] = []
        for q in sorted(inside, key=lambda q: (q.start - q.end, q.start)):
            if all(q.end <= c.start or c.end <= q.start for c in chosen):
                chosen.append(q)
        if chosen:
            units.extend((q.start, q.end, q, s, e) for q in sorted(chosen, key=lambda q: q.start))
        else:
            voiced = [q for q in touching if not _cue_in_subordinate_clause(q, sdoc)]
            units.append((s, e, voiced[0] if voiced else None, s, e))
    return units


# The claim type of a sentence typed by its first assertion only.
_ASPECT_TYPES = {
    "control": lambda a: "territorial_control",
    "count": lambda a: "casualties" if a["of"] in ("civilians", "soldiers") else "equipment_losses",
    "blame": lambda a: "strike",
}


def _attribution_dates(sdoc, text: str, published: str | None, quote: Quote, date_spans, date_starts, s_start: int,
                       s_end: int) -> tuple:
    """The date of a reported clause that gives none of its own, from its attribution: "Zelensky said on Tuesday
    that troops had shelled Kharkiv" is dated Tuesday. A date counts when it hangs on the cue verb (directly or
    through one preposition), outside the quote's content."""
    if quote.cue is None:
        return ()
    cue = sdoc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
    if cue is None:
        return ()
    verb = cue.root
    for ds, de in date_spans[bisect.bisect_left(date_starts, s_start):bisect.bisect_right(date_starts, s_end)]:
        if de > s_end or quote.start <= ds < quote.end:
            continue
        span = sdoc.char_span(ds, de, alignment_mode="expand")
        if span is None:
            continue
        head = span.root.head
        if head == verb or head.dep_ == "prep" and head.head == verb:
            found = tuple(find_dates(text, published, ds, de, [(ds, de)]))
            if found:
                return found
    return ()


class Claims(Component):
    name = "claims.v1"
    requires = ("doc.spacy", "doc.entities", "doc.quotes")
    assigns = ("doc.claims",)

    def __init__(self, scorer, min_statement_score: float = 0.5, event_prior: float = 0.45):
        self.scorer = scorer
        self.min_statement_score = min_statement_score
        self.event_prior = event_prior

    def __call__(self, doc: Document) -> Document:
        doc.set_layer("claims", self.extract(doc))
        return doc

    def extract(self, doc: Document) -> list[Claim]:
        sdoc = doc.cache["spacy"]
        text = doc.text
        candidates = []
        place_starts = tuple(p.start for p in doc.places)
        for start, end, quote, s_start, s_end in _claim_units(doc, sdoc):
            span = text[start:end]
            if span.rstrip().endswith("?"):
                continue
            kind = claim_type(span, sdoc, start, place_starts)
            quantities = [q for q in find_quantities(text, start, end) if q.unit]
            if kind is None and quantities:
                kind = "statement" if quote is not None and _states_a_position(sdoc, start, end, quote) else "other"
            if kind is None and quote is not None:
                kind = "statement"
            candidates.append((start, end, quote, s_start, s_end, kind, bool(quantities)))
        from .asserts import read_assertions  # asserts reads this module's clause tests

        claimants = [self._claimant(doc, c[2]) for c in candidates]
        found = read_assertions(
            doc, sdoc, [(c[0], c[1], cl.canonical or cl.text) for c, cl in zip(candidates, claimants)]
        )
        # a sentence that no word list types is still a claim when it asserts who holds a place, a count or a
        # blame ("The regional capital Zaporozhye remains under Kiev's control")
        kept = [i for i, c in enumerate(candidates) if c[5] is not None or found[i]]
        candidates = [c if c[5] is not None else (*c[:5], _ASPECT_TYPES[found[i][0]["aspect"]](found[i][0]), c[6])
                      for i, c in ((i, candidates[i]) for i in kept)]
        claimants, found = [claimants[i] for i in kept], [found[i] for i in kept]
        scores = self.scorer.score([text[c[0]:c[1]] for c in candidates]) if candidates else []
        places = sorted((p.start, p.end, i) for i, p in enumerate(doc.places))
        date_spans = sorted((e.start_char, e.end_char) for e in sdoc.ents if e.label_ == "DATE")
        # a claim's places and dates are found by bisection: a long text has thousands of each
        place_starts = [p[0] for p in places]
        date_starts = [d[0] for d in date_spans]
        claims = []
        for (start, end, quote, s_start, s_end, kind, counts), score, claimant, asserted in zip(
                candidates, scores, claimants, found):
            if kind in EVENT_TYPES or kind == "statement" and _names_war_event(text[start:end]):
                # a statement about a war event ("denied that its forces shelled civilians") is worth checking
                score = 1.0 - (1.0 - float(score)) * (1.0 - self.event_prior)
            if kind == "statement" and not counts and not asserted and score < self.min_statement_score:
                continue  # a position that counts something, or asserts who holds a place, is kept
            context = text[s_start:s_end]
            cue = quote.cue.text if quote is not None and quote.cue else ""
            dates = tuple(find_dates(text, doc.source.published, start, end,
                                     [d for d in date_spans[bisect.bisect_left(date_starts, start):
                                                            bisect.bisect_right(date_starts, end)] if d[1] <= end]))
            if not dates and quote is not None:
                dates = _attribution_dates(sdoc, text, doc.source.published, quote, date_spans, date_starts,
                                           s_start, s_end)
            claims.append(Claim(
                start, end, text[start:end], kind,
                claimant=claimant,
                via=relay_chain(context),
                hedged=_claim_hedged(sdoc, text, start, end) or is_hedged(cue) or _hedging_cue(quote, sdoc),
                checkworthy=round(float(score), 4),
                quantities=tuple(find_quantities(text, start, end)),
                dates=dates,
                places=tuple(i for ps, pe, i in places[bisect.bisect_left(place_starts, start):
                                                       bisect.bisect_right(place_starts, end)] if pe <= end),
                asserts=asserted[0] if asserted else None,
                assertions=tuple(asserted),
            ))
        return claims

    @staticmethod
    def _claimant(doc: Document, quote: Quote | None) -> Claimant:
        if quote is not None and quote.speaker is not None:
            sp = quote.speaker
            return Claimant(sp.text, sp.canonical, sp.start, sp.end)
        voice = doc.source.outlet or doc.source.author or "author"
        return Claimant(voice, doc.source.outlet or doc.source.author)


@registry.components.register("claims.v1")
def make_claims(config: Config, resources: Resources) -> Claims:
    s = config.settings("claims")
    resources.provide(f"checkworthy.{s.model}", lambda r: load_scorer(s.model))
    return Claims(resources.get(f"checkworthy.{s.model}"), s.min_statement_score, s.event_prior)
