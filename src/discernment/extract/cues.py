"""Word lists for attribution: reporting verbs (cues), hedges, and the nouns that name documents and roles.

The lists are data, in ``resources/en/cues.toml`` (each with a comment on what it is for), read once at import.
The verb lists started from the cue lemmas most frequent in PolNeAR's train split (counts only, no text) and
from war-news reporting verbs; every entry is a lemma as spaCy's English lemmatiser gives it.
"""

from __future__ import annotations

import re

from ..lexicon import pattern, table, words


def _words(name: str) -> frozenset[str]:
    return words(name, file="cues")


# The lists live in resources/en/cues.toml, each with a comment on what it is for.
SPEECH_VERBS = _words("speech_verbs")  # verbs that report speech or writing
ATTITUDE_VERBS = _words("attitude_verbs")  # verbs of thought and attitude ("believes that ...")
XCOMP_CUES = _words("xcomp_cues")  # cue verbs whose content can be an infinitive ("vowed to retake")
OBJECT_CUES = _words("object_cues")  # verbs whose object is what is attributed ("called for a ban")
OBJECT_PREPOSITIONS = _words("object_prepositions")

# Title-case headlines: verbs read from the word itself, words between speaker and verb, words ending the content.
HEADLINE_VERBS = _words("headline_verbs")
HEADLINE_FILLERS = _words("headline_fillers")
HEADLINE_STOPS = _words("headline_stops")

CUE_VERBS = SPEECH_VERBS | ATTITUDE_VERBS

# Nouns naming a document or message that can speak ("the report also noted").
DOCUMENT_NOUNS = words("document_nouns")  # resources/en/words.toml (the speaker resolver reads it too)

# Cues whose speaker is the claimant of what they report: acts of saying, believing, finding and taking a stand.
CLAIM_CUES = (SPEECH_VERBS - _words("speech_not_claiming")) | DOCUMENT_NOUNS | _words("claim_cues")
# Particles that make a cue verb an act ("called in the authorities"), and the verbs that still speak with one.
ACT_PARTICLES = _words("act_particles")
SPEECH_WITH_PARTICLE = _words("speech_with_particle")

PRONOUNS_PERSON = words("pronouns_person")
PRONOUNS_GROUP = words("pronouns_group")
PRONOUNS_SELF = words("pronouns_self")

# Words and phrases that mark a claim as hedged or unconfirmed, in their order in the file.
HEDGES = tuple(table("cues")["hedges"])
# Cue verbs that hedge what they report ("officials estimated that ..."), and cue verbs of a stance taken.
HEDGING_CUES = _words("hedging_cues")
STANCE_CUES = _words("stance_cues")

# Nouns that name an opinion poll: "in the new poll, X leads" attributes the clause to the poll.
POLL_NOUNS = _words("poll_nouns")


# Verbs of phase: with an infinitive they say that something goes on, starts or stops ("ships continued to sail"),
# and the infinitive, not they, may be a cue ("continued to insist that ...").
ASPECTUAL_VERBS = _words("aspectual_verbs")


def is_aspectual(tok) -> bool:
    """A phase verb governing an infinitive (see :data:`ASPECTUAL_VERBS`)."""
    return tok.lemma_.lower() in ASPECTUAL_VERBS and any(c.dep_ == "xcomp" for c in tok.children)


# Words of arms deliveries: a sentence about weapons given, sent or received names weapons without any strike.
AID_WORDS = pattern("aid_words", file="cues", flags=re.I)

# Forces of nature: what they destroy or hit is no strike ("an earthquake and tsunami destroyed the cooling").
DISASTER_WORDS = pattern("disaster_words", file="cues", flags=re.I)

# News outlets and media as sources and relays ("according to TASS", "BelTA has learned"): regex source, in order.
NEWS_OUTLETS = "|".join(table("cues")["news_outlets"])
_OUTLET_RE = re.compile(rf"(?:the\s+)?(?:{NEWS_OUTLETS})(?:\s+(?:news\s+)?agency)?", re.I)
# Verbs of a wire's sign-off: "..., the governor told reporters, BelTA has learned."
SIGN_OFF_VERBS = _words("sign_off_verbs")


def is_sign_off(tok) -> bool:
    """A news outlet's sign-off verb after the clause it relays: "..., BelTA has learned", "..., TASS reports"."""
    if tok.lemma_.lower() not in SIGN_OFF_VERBS:
        return False
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None or not _OUTLET_RE.fullmatch(subj.doc[subj.left_edge.i:subj.right_edge.i + 1].text):
        return False
    before = subj.left_edge.i - 1
    return before > tok.sent.start and subj.doc[before].text in (",", "–", "—", "-")


# Speech verbs of a relayed clause that has its own speaker ("..., the spokesman told reporters, TASS reports").
_RELAYED_SPEECH = _words("relayed_speech")


def relays_a_speaker(tok) -> bool:
    """A sign-off whose relayed clause has its own speaker ("..., Peskov told reporters, TASS reports")."""
    return is_sign_off(tok) and any(
        c.dep_ in ("ccomp", "parataxis") and c.lemma_.lower() in _RELAYED_SPEECH
        and any(g.dep_ == "nsubj" for g in c.children) for c in tok.children)
