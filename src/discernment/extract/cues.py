"""Word lists for attribution: reporting verbs (cues), hedges, and the nouns that name documents and roles.

The verb list started from the cue lemmas most frequent in PolNeAR's train split (counts only, no text) and
from war-news reporting verbs; every entry is a lemma as spaCy's English lemmatiser gives it.
"""

from __future__ import annotations

import re

from ..lexicon import words

# Verbs that report speech or writing: they take the reported clause as a complement.
SPEECH_VERBS = frozenset(
    """
    say tell report write add note state claim insist argue announce declare explain stress emphasize emphasise
    warn confirm deny assert maintain contend remark comment mention observe reply respond answer recall reveal
    disclose indicate acknowledge admit concede allege accuse charge complain boast predict promise pledge vow
    suggest propose urge caution tweet post publish testify assure inform specify clarify underline underscore
    reiterate repeat conclude estimate ask wonder question threaten hint signal point continue counter retort
    brief quote cite describe agree disagree reassure assess forecast calculate
    """.split()
)

# Verbs of thought and attitude; PolNeAR counts them as attributions ("Trump believes that ...").
ATTITUDE_VERBS = frozenset(
    """
    believe think feel fear hope expect know worry doubt suspect consider find show see realize realise
    understand assume guess reckon imagine learn hear seem appear acknowledge want plan refuse decline agree
    decide offer
    """.split()
)

# Cue verbs whose reported content can be an infinitive (xcomp): "vowed to retake the city".
XCOMP_CUES = frozenset(
    "promise pledge vow threaten want hope plan urge refuse decline seek expect seem appear agree decide offer".split()
)

# Verbs whose object noun phrase is what is attributed ("Trump called for a ban", "she cited the figure").
OBJECT_CUES = frozenset(
    """
    call cite criticize criticise describe support oppose endorse defend praise blame accuse attack blast condemn
    denounce reject dismiss propose demand question acknowledge mention discuss promise announce urge tout back
    decry slam welcome recommend seek want deny predict applaud advocate champion lament dispute challenge
    """.split()
)
OBJECT_PREPOSITIONS = frozenset("for on about to of".split())

# Verbs of title-case headlines ("Putin Praises Trump", "Biden Trashes Trump") beyond the lists above: spaCy
# tags a capitalised verb as a proper noun there, so these are read from the word itself.
HEADLINE_VERBS = frozenset("trash mock chide renounce compare rip knock bash hail laud fault scold hit".split())
# Words between a headline's speaker and its verb ("Trump Finally Endorses Ryan") that belong to neither.
HEADLINE_FILLERS = frozenset("just now finally also again officially formally quietly publicly openly still".split())
# Words that end a headline's content ("Backs Trump And Denounces Clinton", "Slams Trump After Ruling").
HEADLINE_STOPS = frozenset(
    "and after while amid before despite because but as following during then ahead with".split()
)

CUE_VERBS = SPEECH_VERBS | ATTITUDE_VERBS

# Nouns naming a document or message that can speak ("the report also noted").
DOCUMENT_NOUNS = words("document_nouns")  # resources/en/words.toml (the speaker resolver reads it too)

# Cues whose speaker is the claimant of what they report: acts of saying, believing, finding and taking a stand.
# PolNeAR also counts acts that say nothing ("welcomed six refugees", "failed to seize", "called in the
# authorities"); quotes.v1 keeps those, but a claim under such a cue stays in the outlet's own voice.
CLAIM_CUES = (SPEECH_VERBS - {"continue", "ask", "wonder", "question"}) | DOCUMENT_NOUNS | frozenset(
    """
    believe think feel fear hope expect know worry doubt suspect consider find show conclude accord
    call condemn denounce reject dismiss demand deny accuse blame criticize criticise praise dispute
    statement claim comment remark announcement warning assessment estimate account testimony
    """.split()
)
# Particles that make a cue verb an act: "called in the authorities", "called up reservists".
ACT_PARTICLES = frozenset("in up off out back".split())
# Verbs that still speak with such a particle: "pointed out that", "spoke out against", "hit out at".
SPEECH_WITH_PARTICLE = frozenset("point speak spell lay hit lash single cry shout sound".split())

PRONOUNS_PERSON = words("pronouns_person")
PRONOUNS_GROUP = words("pronouns_group")
PRONOUNS_SELF = words("pronouns_self")

# Words and phrases that mark a claim as hedged or unconfirmed.
HEDGES = (
    "reportedly", "allegedly", "apparently", "seemingly", "purportedly", "supposedly", "ostensibly", "presumably",
    "possibly", "probably", "likely", "unlikely", "perhaps", "maybe", "might", "may", "could",
    "unconfirmed", "unverified", "could not be verified", "could not independently verify",
    "could not be independently verified", "not independently verified", "claimed", "claims", "is said to",
    "are said to", "was said to", "were said to", "believed to", "thought to", "appears to", "appear to",
    "appeared to", "seems to", "seem to", "seemed to", "i think", "we think", "i believe", "we believe",
    "it is possible", "rumoured", "rumored", "according to unconfirmed", "an estimated", "it is unclear",
    "it was unclear", "it remains unclear", "it is not clear", "it was not clear", "not immediately clear",
    "alleged", "allegations", "suspected", "possible", "all but certain", "according to estimates",
    "appears still to", "appeared still to",
)
# Cue verbs that hedge what they report: "a survey has suggested a drop", "officials estimated that ...", and
# beliefs and forecasts: "we believe the town will fall", "the firm expects sales to drop".
HEDGING_CUES = frozenset("suggest estimate speculate guess hint believe think expect assume suspect".split())
# Cue verbs of a stance taken, which make a quoted count a position ("he argued, the scenario of 'two Russias' is
# not vital"): claims.py types such a claim "statement".
STANCE_CUES = frozenset("""argue insist warn stress urge vow deny criticise criticize maintain caution accuse emphasise
    emphasize believe think""".split())

# Nouns that name an opinion poll: "in the CBS poll, X leads" attributes the clause to the poll.
POLL_NOUNS = frozenset("poll survey".split())


# Verbs of phase: with an infinitive they say that something goes on, starts or stops ("ships continued to sail"),
# and the infinitive, not they, may be a cue ("continued to insist that ...").
ASPECTUAL_VERBS = frozenset("continue begin start keep stop cease resume".split())


def is_aspectual(tok) -> bool:
    """A phase verb governing an infinitive (see :data:`ASPECTUAL_VERBS`)."""
    return tok.lemma_.lower() in ASPECTUAL_VERBS and any(c.dep_ == "xcomp" for c in tok.children)


# Words of arms deliveries: a sentence about weapons given, sent or received ("the new package of US military aid",
# "Ukraine will get 5,000 anti-tank rockets") names weapons without any strike.
AID_WORDS = re.compile(r"\b(?:aid|assistance|packages?|deliver\w*|suppl(?:y|ies|ied|ying)|sen[dt]s?|sending|"
                       r"provid\w+|transfer\w*|donat\w+|pledg\w+|receiv\w+|will get|shipments?|drawdown|"
                       r"stocks?|stockpiles?|arsenals?|export\w*|import\w*|furnish\w*|obtain\w*|acquir\w*|purchas\w*|"
                       r"bought|buy\w*|s[eo]l[dl]s?|selling|transport\w*)\b", re.I)

# Forces of nature: what they destroy or hit is no strike ("an earthquake and tsunami destroyed the cooling").
DISASTER_WORDS = re.compile(r"\b(?:earthquakes?|quakes?|tsunamis?|floods?|flooding|wildfires?|storms?|hurricanes?|"
                            r"typhoons?|tornado(?:es)?|cyclones?|landslides?|avalanches?|droughts?|lightning)\b", re.I)

# News outlets and media as sources and relays ("according to TASS", "BelTA has learned").
NEWS_OUTLETS = (
    "TASS|RIA Novosti|RIA|Interfax|Sputnik|RT|Reuters|Associated Press|AP|AFP|Agence France-Presse|BBC|CNN|"
    "Ukrinform|UNIAN|Ukrainska Pravda|Kyiv Independent|Kyiv Post|Meduza|Izvestia|Kommersant|RBC|BelTA|"
    "Rossiya 24|Channel One|Zvezda|Xinhua|Al Jazeera|Bloomberg|New York Times|Washington Post|Guardian|"
    "Telegram|state media|state television|state TV|Russian media|Ukrainian media|local media"
)
_OUTLET_RE = re.compile(rf"(?:the\s+)?(?:{NEWS_OUTLETS})(?:\s+(?:news\s+)?agency)?", re.I)
# Verbs of a wire's sign-off: "..., Lukashenko told reporters, BelTA has learned."
SIGN_OFF_VERBS = frozenset("learn report write inform hear".split())


def is_sign_off(tok) -> bool:
    """A news outlet's sign-off verb after the clause it relays: "..., BelTA has learned", "..., TASS reports"."""
    if tok.lemma_.lower() not in SIGN_OFF_VERBS:
        return False
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None or not _OUTLET_RE.fullmatch(subj.doc[subj.left_edge.i:subj.right_edge.i + 1].text):
        return False
    before = subj.left_edge.i - 1
    return before > tok.sent.start and subj.doc[before].text in (",", "–", "—", "-")


_RELAYED_SPEECH = frozenset("say tell add state note stress claim announce declare insist warn explain emphasize "
                            "emphasise reply respond confirm deny".split())


def relays_a_speaker(tok) -> bool:
    """A sign-off whose relayed clause has its own speaker ("..., Peskov told reporters, TASS reports")."""
    return is_sign_off(tok) and any(
        c.dep_ in ("ccomp", "parataxis") and c.lemma_.lower() in _RELAYED_SPEECH
        and any(g.dep_ == "nsubj" for g in c.children) for c in tok.children)
