"""``events.v1``: conflict events (PLOVER-style types, mapped to ACLED) from the claims and their sentences.

One event per trigger word (a verb or noun such as "shelled", "captured", "withdrew", "airstrike") in a
sentence; types, modes and the ACLED mapping are in :data:`TRIGGERS` and docs/events.md. For each event:

- ``actor``: the trigger's grammatical subject (or the "by" agent of a passive), expanded to its noun phrase
  ("Russian forces", "the 92nd Mechanised Brigade"); pronouns and places used as actors are left out;
- ``target``: the object (or the subject of a passive) unless it is a place;
- ``place``: the place attached to the trigger ("in/near/at X", the object of "captured X"), else the most
  specific non-metonymic place of the sentence (a town before a region before a country);
- ``date``: the first resolved date of the claim holding the sentence, else the document's published date;
- ``fatalities``: ACLED's conservative reading of a death count in the sentence ("at least 12" -> 12,
  "dozens" -> 12, "tens" -> 10, "hundreds" -> 100, "10 to 15" -> 10); null when no count is given;
- ``claim``: index of the claim whose span holds the trigger (and so its claimant), else null.

Negated ("did not attack"), future or conditional ("will strike", "could capture") triggers are skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .. import registry
from ..config import Config
from ..lexicon import mapping, pattern, sequence, table, words
from ..model import Document, Event, EventPlace, Mention
from ..pipeline import Component, Resources
from ..resolve.dates import find_dates
from .cues import AID_WORDS, DISASTER_WORDS, SPEECH_VERBS


def _words(name: str) -> frozenset[str]:
    return words(name, file="events")


def _pattern(name: str) -> re.Pattern:
    return pattern(f"patterns.{name}", file="events", flags=re.I)


def _sequence(name: str) -> tuple[str, ...]:
    """A list of resources/en/events.toml in its order (a dotted name reaches into a table)."""
    return sequence(name, file="events")


@dataclass(frozen=True)
class EventType:
    code: str  # PLOVER category (SEIZE is our declared extension)
    mode: str
    acled_type: str
    acled_sub_type: str


_SHELL = EventType("ASSAULT", "heavy-weapons", "Explosions/Remote violence", "Shelling/artillery/missile attack")
_AIR = EventType("ASSAULT", "aerial", "Explosions/Remote violence", "Air/drone strike")
_DRONE = EventType("ASSAULT", "drone", "Explosions/Remote violence", "Air/drone strike")
_MINE = EventType("ASSAULT", "explosives", "Explosions/Remote violence", "Remote explosive/landmine/IED")
_CLASH = EventType("ASSAULT", "firearms", "Battles", "Armed clash")
_ATTACK = EventType("ASSAULT", "", "Battles", "Armed clash")
_SEIZE = EventType("SEIZE", "territory", "Battles", "Armed clash")
_RETAKE = EventType("SEIZE", "territory", "Battles", "Government regains territory")
_RETREAT = EventType("RETREAT", "withdraw", "Strategic developments", "Non-violent transfer of territory")
_MOBILIZE = EventType("MOBILIZE", "troops", "Strategic developments", "Other")
_ARREST = EventType("COERCE", "arrest", "Strategic developments", "Arrests")
_ABDUCT = EventType("ASSAULT", "abduct", "Violence against civilians", "Abduction/forced disappearance")
_DESTROY = EventType("ASSAULT", "destroy", "Explosions/Remote violence", "Shelling/artillery/missile attack")
_THREATEN = EventType("THREATEN", "", "Strategic developments", "Other")
_EVACUATE = EventType("RETREAT", "evacuate", "Strategic developments", "Other")
_PROTEST = EventType("PROTEST", "demonstrate", "Protests", "Peaceful protest")
_SANCTION = EventType("SANCTION", "", "Strategic developments", "Other")
_AID = EventType("AID", "military", "Strategic developments", "Other")
# PLOVER's verbal and diplomatic types: ACLED codes none of them (acled_type "", left out of the ACLED export).
_ACCUSE = EventType("ACCUSE", "", "", "")
_REQUEST = EventType("REQUEST", "", "", "")
_CONSULT = EventType("CONSULT", "", "", "")
_AGREE = EventType("AGREE", "", "", "")
_REJECT = EventType("REJECT", "", "", "")
_SUPPORT = EventType("SUPPORT", "", "", "")
_COOPERATE = EventType("COOPERATE", "", "", "")
_CONCEDE = EventType("CONCEDE", "", "", "")

# Trigger lemma -> event type. Nouns and verbs share the table (its lemmas are in resources/en/events.toml,
# [triggers]); the sentence decides the ACLED sub-type for generic attacks (a missile or drone word nearby makes
# "attack"/"strike" remote violence).
_TRIGGER_TYPES: tuple[tuple[str, EventType], ...] = (
    ("shell", _SHELL), ("air", _AIR), ("mine", _MINE), ("clash", _CLASH), ("attack", _ATTACK), ("seize", _SEIZE),
    ("retake", _RETAKE), ("retreat", _RETREAT), ("mobilize", _MOBILIZE), ("arrest", _ARREST), ("abduct", _ABDUCT),
    ("destroy", _DESTROY), ("threaten", _THREATEN), ("evacuate", _EVACUATE), ("protest", _PROTEST),
    ("sanction", _SANCTION), ("accuse", _ACCUSE), ("request", _REQUEST), ("consult", _CONSULT), ("agree", _AGREE),
    ("reject", _REJECT), ("support", _SUPPORT), ("cooperate", _COOPERATE), ("concede", _CONCEDE),
)
VERBAL = frozenset(kind.code for kind in (_ACCUSE, _REQUEST, _CONSULT, _AGREE, _REJECT, _SUPPORT, _COOPERATE,
                                          _CONCEDE))
TRIGGERS: dict[str, EventType] = {
    lemma: kind for group, kind in _TRIGGER_TYPES for lemma in _sequence(f"triggers.{group}")
}
_GROUPS: dict[str, EventType] = {**dict(_TRIGGER_TYPES), "aid": _AID}
# Verbs that are events only with a given object ([object_triggers]), in the file's order (the first entry
# whose objects match wins): matched on the parse by a spaCy DependencyMatcher (see :class:`_ObjectTriggers`).
_OBJECT_ENTRIES: tuple[tuple[frozenset[str], frozenset[str], EventType], ...] = tuple(
    (frozenset(e["verbs"]), frozenset(e["objects"]), _GROUPS[e["group"]])
    for e in table("events")["object_triggers"].values())
# verb lemma -> the types it may code, for events read back without a parse (event_type_of)
_OBJECT_TRIGGERS: dict[str, list[EventType]] = {}
for _verbs, _, _kind in _OBJECT_ENTRIES:
    for _verb in _verbs:
        _OBJECT_TRIGGERS.setdefault(_verb, []).append(_kind)
# Modifiers that make a corridor or a foothold humanitarian: its opening is an evacuation, not ground taken.
_HUMANITARIAN = _words("humanitarian_marks")
_DENIALS = _words("denials")
_VERB_ONLY = _words("verb_only")
_REMOTE_WORDS = _pattern("remote_words")
_AIR_WORDS = _pattern("air_words")
_DRONE_WORDS = _pattern("drone_words")
_MILITARY = _pattern("military")
# Triggers with an everyday business sense: no event when a firm does them and no military word is near.
_FIGURATIVE = _words("figurative")
_COMMERCIAL = _words("commercial")
# Weapons are what an actor uses, not actors: "he was hit by a mortar".
_MUNITIONS = _words("munitions")
_POSSIBLE = _words("possible")
_GUARDS = _words("guards")
_MODALS = _words("modals")
_INTENT = _words("intent")
_PLACE_PREPS = _words("place_preps")
_PRONOUNS = _words("pronouns")
_FEATURE_RANK = {"P": 0, "L": 1, "A": 2}
_NUMBER_WORDS = mapping("number_words", file="events")
_DEATHS = _pattern("deaths")
_TOLL = _pattern("toll")
# The separator of a range of counts ("10 to 15", "10-15"): the lower bound is read.
_RANGE = re.compile(r"\s*(?:-|to|–)\s*")


def conservative_count(raw: str) -> int | None:
    """ACLED's conservative reading of a count: the lower bound of a range, fixed values for vague words."""
    raw = raw.strip().lower()
    if raw in _NUMBER_WORDS:
        return _NUMBER_WORDS[raw]
    low = _RANGE.split(raw)[0].replace(",", "")
    return int(low) if low.isdigit() else None


def count_fatalities(sentence: str) -> int | None:
    """The death count reported in ``sentence`` (conservative), or None when it gives none."""
    m = _DEATHS.search(sentence) or _TOLL.search(sentence)
    return conservative_count(m.group("n")) if m else None


class Events(Component):
    name = "events.v1"
    requires = ("doc.spacy", "doc.places", "doc.claims")
    assigns = ("doc.events",)

    def __init__(self, require_military_context: bool = True):
        self.require_military_context = require_military_context

    def __call__(self, doc: Document) -> Document:
        sdoc = doc.cache["spacy"]
        metonymic = set(doc.cache.get("places.metonymic", ()))
        place_starts = frozenset(p.start for p in doc.places)
        by_object = _object_triggers(sdoc)
        events: list[Event] = []
        for sent in sdoc.sents:
            military = bool(_MILITARY.search(sent.text))
            if self.require_military_context and not military and not _has_place(doc, sent):
                continue
            seen: set[str] = set()
            for tok in sent:
                kind = _trigger(tok, place_starts, by_object)
                if kind is None or _not_asserted(tok):
                    continue
                if not military and tok.lemma_.lower() in _FIGURATIVE and _commercial_subject(tok):
                    continue  # "shops are withdrawing from Russia", "the bank pulled out of the market"
                kind = _refine(kind, sent.text)
                key = kind.code + kind.acled_sub_type
                if key in seen:
                    continue
                seen.add(key)
                events.append(self._event(doc, sent, tok, kind, metonymic))
        doc.set_layer("events", events)
        return doc

    def _event(self, doc: Document, sent, trigger, kind: EventType, metonymic: set[int]) -> Event:
        claim = _claim_at(doc, trigger.idx)
        actor, target = _actor_target(doc, trigger)
        place = _event_place(doc, sent, trigger, metonymic)
        fatalities = count_fatalities(sent.text) if kind.code == "ASSAULT" else None
        word = Mention(trigger.idx, trigger.idx + len(trigger.text), trigger.text, trigger.lemma_.lower())
        return Event(
            type=kind.code,
            start=sent.start_char,
            end=sent.end_char,
            actor=actor,
            target=target,
            place=place,
            date=_date(doc, claim, sent, trigger),
            claim=claim,
            fatalities=fatalities,
            trigger=word,
        )


def event_type_of(event: Event, text: str) -> EventType:
    """The EventType (with its ACLED mapping) an event was coded with: from its trigger's lemma, or, for an
    event stored without one, from the first word of its sentence that reads as a trigger of its type."""
    if event.trigger is not None:
        kind = TRIGGERS.get((event.trigger.canonical or "").lower())
        if kind is not None and kind.code == event.type:
            return _refine(kind, text[event.start:event.end])
        if kind in (_SEIZE, _RETAKE) and event.type == _ABDUCT.code:
            return _ABDUCT  # a capture of people (see :func:`_trigger`)
        for kind in _OBJECT_TRIGGERS.get((event.trigger.canonical or "").lower(), ()):
            if kind.code == event.type:  # "fired missiles", "took control", "sent troops"
                return _refine(kind, text[event.start:event.end])
    for word in re.findall(r"[A-Za-z-]+", text[event.start:event.end]):
        word = _IRREGULAR.get(word.lower(), word.lower())
        kind = TRIGGERS.get(word) or TRIGGERS.get(_stem(word))
        if kind is not None and kind.code == event.type:
            return _refine(kind, text[event.start:event.end])
    known = next((k for k in _GROUPS.values() if k.code == event.type), None)
    # An event coded elsewhere (another component, an older store) with a type this table lacks: keep its
    # code and file it under ACLED's catch-all rather than fail the export.
    return known or EventType(event.type, "", "Strategic developments", "Other")


_ACCUSE = _words("accuse")
_RESPONSIBILITY = _words("responsibility")  # "claimed responsibility for the bombing"
_COPULAS = _words("copulas")  # "came under attack"
# Nouns for a part of a place: its owner is where the event happened ("Ukraine's heartland").
_AREA_NOUNS = _words("area_nouns")
# Words for a location, which name where an event happened rather than what it hit ("shelled the city").
_LOCATION_WORDS = _words("location_words")
# Prepositions that say where: a place of the sentence not attached to the trigger is the event's place only
# after one of these.
_LOCATIVE = _words("locative")
# Irregular past forms of trigger verbs, for events stored without their trigger.
_IRREGULAR = mapping("irregular", file="events")
# Endings stripped, in order, to find a trigger in a word.
_SUFFIXES = _sequence("trigger_suffixes")
# Objects that make a trigger verb figurative.
_ABSTRACT_OBJECTS = _words("abstract_objects")
# Trigger nouns that name a weapon rather than its use.
_WEAPON_NOUNS = _words("weapon_nouns")
# Nouns a mine belongs to when it is a pit, not a weapon ("coal mines").
_PIT_WORDS = _words("pit_words")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] in TRIGGERS:
            return word[: -len(suffix)]
    return word


def _trigger(tok, place_starts: frozenset[int] = frozenset(),
             by_object: dict[int, EventType] | None = None) -> EventType | None:
    if tok.pos_ not in ("VERB", "NOUN"):
        return None
    lemma = tok.lemma_.lower()
    kind = TRIGGERS.get(lemma)
    if kind is None:
        return (by_object or {}).get(tok.i)
    if tok.dep_ in ("compound", "nmod") and tok.head.pos_ in ("NOUN", "PROPN"):
        return None  # a modifier, not an event: "air raid sirens", "attack helicopters", "bomb hoax threats"
    if lemma == "pound" and tok.pos_ == "NOUN":  # money or weight
        return None
    if lemma in _VERB_ONLY and tok.pos_ != "VERB":  # "the sanctions targeted the economy": no act of sanctioning
        return None
    if lemma == "target" and tok.pos_ == "NOUN":  # "boosted its targets", "a legitimate target": no act
        return None
    if any(c.dep_ == "nsubj" and DISASTER_WORDS.fullmatch(c.text) for c in tok.children):
        return None  # "an earthquake and tsunami destroyed ...": no armed actor
    if lemma in _WEAPON_NOUNS and tok.pos_ == "NOUN" and AID_WORDS.search(tok.sent.text):
        return None  # "artillery ammunition and mines make up the aid package": weapons given, not used
    if lemma == "mine" and (tok.pos_ != "NOUN" or any(c.lemma_.lower() in _PIT_WORDS for c in tok.children)):
        return None  # the verb ("mine data"), or a pit ("coal mines")
    if any(c.dep_ == "dobj" and c.lemma_.lower() in _ABSTRACT_OBJECTS for c in tok.children):
        return None  # "regaining independence", "captured the imagination", "fighting corruption"
    if lemma in ("strike", "hit") and any(c.dep_ in ("ccomp", "auxpass") for c in tok.children) and not any(
            c.dep_ == "agent" for c in tok.children):
        return None  # "I was struck that ...", "was hit hard by the sanctions" is kept only with an agent
    if kind in (_SEIZE, _RETAKE) and any(c.dep_ in ("dobj", "nsubjpass") and _is_person(c) and c.idx not in place_starts
                                         for c in tok.children):
        return _ABDUCT  # "recaptured him", "a British man captured in Ukraine": people taken, not ground
    return kind


class _ObjectTriggers:
    """Verbs that are events only with certain objects, found on the parse: a DependencyMatcher pattern per
    entry of [object_triggers] (the verb, and its direct object or passive subject, or an object joined to that
    one by "and"). Built once per vocabulary."""

    def __init__(self, vocab):
        from spacy.matcher import DependencyMatcher

        self.matcher = DependencyMatcher(vocab)
        for k, (verbs, objects, _) in enumerate(_OBJECT_ENTRIES):
            verb = {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": "VERB", "LEMMA": {"IN": sorted(verbs)}}}
            obj = {"DEP": {"IN": ["dobj", "nsubjpass"]}}
            self.matcher.add(str(k), [
                [verb, {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "object",
                        "RIGHT_ATTRS": {**obj, "LEMMA": {"IN": sorted(objects)}}}],
                [verb, {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "first", "RIGHT_ATTRS": obj},
                 {"LEFT_ID": "first", "REL_OP": ">", "RIGHT_ID": "object",
                  "RIGHT_ATTRS": {"DEP": "conj", "LEMMA": {"IN": sorted(objects)}}}],
                # "sending large numbers of troops": the object's "of" phrase
                [verb, {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "first", "RIGHT_ATTRS": obj},
                 {"LEFT_ID": "first", "REL_OP": ">", "RIGHT_ID": "of", "RIGHT_ATTRS": {"DEP": "prep", "LOWER": "of"}},
                 {"LEFT_ID": "of", "REL_OP": ">", "RIGHT_ID": "object",
                  "RIGHT_ATTRS": {"DEP": "pobj", "LEMMA": {"IN": sorted(objects)}}}],
                # "the sanctions imposed by the EU": the verb is a participle on its object
                [{**verb, "RIGHT_ATTRS": {**verb["RIGHT_ATTRS"], "DEP": "acl"}},
                 {"LEFT_ID": "verb", "REL_OP": "<", "RIGHT_ID": "object",
                  "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(objects)}}}],
            ])

    def __call__(self, sdoc) -> dict[int, EventType]:
        """Token index of each matched verb -> its event type (the first matching entry of the file)."""
        found: dict[int, tuple[int, EventType]] = {}
        for match_id, tokens in self.matcher(sdoc):
            k = int(sdoc.vocab.strings[match_id])
            verb, obj = sdoc[tokens[0]], sdoc[tokens[-1]]
            if obj.lemma_.lower() in TRIGGERS and obj.lemma_.lower() not in _VERB_ONLY:
                continue  # "launched an attack on the convoy": the noun is the event, with its own roles
            kind = _OBJECT_ENTRIES[k][2]
            if kind is _SEIZE and any(c.lower_ in _HUMANITARIAN for c in obj.children):
                kind = _EVACUATE  # "opened a humanitarian corridor"
            if verb.i not in found or k < found[verb.i][0]:
                found[verb.i] = (k, kind)
        return {i: kind for i, (_, kind) in found.items()}


_MATCHERS: dict[int, tuple[object, _ObjectTriggers]] = {}


def _object_triggers(sdoc) -> dict[int, EventType]:
    vocab, matcher = _MATCHERS.get(id(sdoc.vocab), (None, None))
    if vocab is not sdoc.vocab:  # built for another vocabulary that happened to have the same id
        matcher = _ObjectTriggers(sdoc.vocab)
        _MATCHERS[id(sdoc.vocab)] = (sdoc.vocab, matcher)
    return matcher(sdoc)


_PERSON_NOUNS = _words("person_nouns")
_PERSON_PRONOUNS = _words("person_pronouns")


def _is_person(tok) -> bool:
    if tok.pos_ == "PRON":
        return tok.lower_ in _PERSON_PRONOUNS
    return tok.ent_type_ == "PERSON" or tok.lemma_.lower() in _PERSON_NOUNS or tok.lower_ in _PERSON_NOUNS


def _refine(kind: EventType, sentence: str) -> EventType:
    """A generic attack becomes a drone/air strike or shelling when the sentence names the weapon."""
    if kind is not _ATTACK and kind is not _DESTROY:
        return kind
    if _DRONE_WORDS.search(sentence):
        return _DRONE
    if _AIR_WORDS.search(sentence):
        return _AIR
    if _REMOTE_WORDS.search(sentence):
        return _SHELL
    return kind


def _not_asserted(tok) -> bool:
    """Negated, modal/future, conditional, merely possible, or intended-only triggers."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
        return True  # "If captured, it would be ..."
    if any(c.dep_ == "amod" and c.lower_ in _POSSIBLE for c in tok.children):
        return True  # "a possible chemical attack", "a potential offensive"
    if tok.dep_ == "pobj" and tok.head.lower_ == "against" and tok.head.head.lemma_.lower() in _GUARDS:
        return True  # "a deterrent against a nuclear attack"
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in tok.children):
        return True
    head = tok.head
    if tok.dep_ in ("xcomp", "pobj", "dobj") and head.lemma_.lower() in _INTENT:
        return True
    if tok.dep_ == "pcomp" and head.lower_ == "by" and any(  # "By withdrawing forces, Russia would expose ..."
            c.dep_ == "aux" and c.lower_ in _MODALS for c in head.head.children):
        return True
    if _intended(tok) or _denied(tok):
        return True
    return tok.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ in _MODALS for c in head.children)


def _denied(tok) -> bool:
    """A trigger inside a clause its speaker denies, up a chain of complements: "Kyiv denied that the town had
    fallen", "the ministry dismissed reports that troops had withdrawn"."""
    for _ in range(4):
        if tok.dep_ not in ("ccomp", "xcomp", "acl", "relcl", "dobj", "pobj", "prep", "conj"):
            return False
        tok = tok.head
        if tok.lemma_.lower() in _DENIALS:
            return True
    return False


def _intended(tok) -> bool:
    """A trigger inside what someone tries, bids, threatens or is going to do, up a chain of complements: "forces
    try to organise a pincer movement to seize the rest", "a bid to capture the station", "threats that they are
    going to carry out air strikes"."""
    for _ in range(4):
        if tok.dep_ not in ("xcomp", "advcl", "acl", "dobj", "pobj", "pcomp", "prep"):
            return False
        head = tok.head
        lemma = head.lemma_.lower()
        if lemma in _INTENT or lemma in ("bid", "effort"):
            return True
        if lemma == "go" and head.tag_ == "VBG" and any(c.dep_ == "xcomp" for c in head.children):
            return True  # "are going to carry out"
        tok = head
    return False


def _phrase(tok) -> str:
    """The noun phrase headed by ``tok`` without a leading article, relative clauses or prepositions."""
    keep = [t for t in tok.subtree if t.i <= tok.i or t.dep_ in ("compound", "amod", "nummod", "flat", "appos")]
    left = [t for t in keep if t.i >= tok.left_edge.i]
    start = min(t.i for t in left)
    end = tok.i + 1
    while end < len(tok.doc) and tok.doc[end].dep_ in ("compound", "flat") and tok.doc[end].head == tok:
        end += 1
    span = tok.doc[start:end]
    words = [t for t in span if t.dep_ not in ("det", "punct", "case") and t.pos_ != "ADP"]
    return " ".join(t.text for t in words) if words else tok.text


def _actor_target(doc: Document, trigger) -> tuple[str | None, str | None]:
    actor = target = None
    verb = trigger if trigger.pos_ == "VERB" else trigger.head
    if trigger.pos_ == "NOUN" and trigger.dep_ in ("nsubj", "nsubjpass", "csubj"):
        verb = trigger  # "fighting ... may decide the outcome", "attacks show the risk": the verb's roles are not its
    for child in verb.children:
        if child.dep_ == "nsubj":
            actor = child
        elif child.dep_ == "agent":
            actor = next((g for g in child.children if g.dep_ == "pobj"), actor)
        elif child.dep_ in ("nsubjpass", "dobj"):
            target = child
    if trigger.pos_ == "NOUN" and (target is None or target.i == trigger.i):
        # "shelling on the steel plant", "the attack against the convoy": what the attack noun is aimed at
        preps = ("on", "against") if TRIGGERS.get(trigger.lemma_.lower()) in (_RETREAT, _MOBILIZE) else (
            "on", "against", "of")  # "the withdrawal of troops": who withdraws, not a target
        aimed = next((g for c in trigger.children if c.dep_ == "prep" and c.lower_ in preps
                      for g in c.children if g.dep_ == "pobj"), None)
        if aimed is not None and not (aimed.ent_type_ in ("GPE", "LOC") or _layer(doc, "places").holding(
                aimed.idx)) and aimed.lemma_.lower() not in _LOCATION_WORDS \
                and aimed.lemma_.lower() not in _AREA_NOUNS and aimed.lower_ not in _AREA_NOUNS:
            # ("on the outskirts of Moscow" says where)
            target = aimed
    if trigger.pos_ == "NOUN":
        # "Kiev's attack", "Wagner assault"; not "air strikes", "poison attack"
        poss = next((c for c in trigger.children if c.dep_ == "poss" or (c.dep_ == "compound" and (
            c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "ORG", "GPE", "PERSON")))), None)
        by = next((c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        agent = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
        actor = agent or actor or poss  # "another raid by Kiev's special forces"
    if actor is not None and actor.lemma_.lower() in _MUNITIONS and not any(
            c.ent_type_ in ("NORP", "GPE") for c in actor.children):
        actor = None  # "hit by a mortar": the weapon, not who fired it ("Russian missiles" keep their side)
    if actor is None or actor.i == trigger.i:
        actor = _nationality(doc, trigger)
    accused = _accused(trigger)
    if accused is not None:  # "accused Russia of shelling", "blamed the attack on Kyiv"
        actor, target = accused, target if target is not accused else None
    name = _name(doc, actor, actor=True)
    return name, (_name(doc, target) if target is None or target.lemma_.lower() not in _LOCATION_WORDS else None)


def _nationality(doc: Document, trigger):
    """A nationality adjective on a trigger noun: "Ukrainian shelling", "Russian attacks"."""
    for child in trigger.children:
        if child.dep_ == "amod" and child.pos_ == "ADJ" and (child.ent_type_ in ("NORP", "GPE") or any(
                doc.entities[k].label == "NORP" for k in _layer(doc, "entities").holding(child.idx))):
            return child
    return None


def _accused(trigger):
    """Who a sentence accuses of the event: the object of "accuse/suspect/charge X of ..." or "blame X for ...",
    or the object of "on" in "blame <event> on X"."""
    head = trigger.head
    if head.dep_ == "prep" and head.lower_ in ("of", "for") and head.head.lemma_.lower() in _ACCUSE:
        return next((c for c in head.head.children if c.dep_ == "dobj"), None)
    if head.dep_ == "prep" and head.lower_ in ("of", "for") and head.head.dep_ == "dobj" \
            and head.head.head.lemma_.lower() in _ACCUSE:
        return head.head  # "accused [Ukrainian forces of attacking]": the parser hung "of" on the accused
    for child in trigger.children:  # "attacks, which Russia has blamed on Ukrainian forces"
        if child.dep_ == "relcl" and child.lemma_.lower() == "blame" and _blamed_on(child) is not None:
            return _blamed_on(child)
    if trigger.dep_ == "dobj" and head.lemma_.lower() == "blame":
        return _blamed_on(head)
    if head.dep_ == "prep" and head.lower_ == "for" and head.head.lemma_.lower() == "responsibility":
        owner = head.head.head  # "the NRA claimed responsibility for the bombing": who claims it did it
        if owner.lemma_.lower() in _RESPONSIBILITY:
            return next((c for c in owner.children if c.dep_ == "nsubj"), None)
    return None


def _blamed_on(verb):
    """The object of "on" after a "blame" verb ("blamed the attack on Kyiv"), or None."""
    on = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "on"), None)
    return next((g for g in on.children if g.dep_ == "pobj"), None) if on is not None else None


def _name(doc: Document, tok, actor: bool = False) -> str | None:
    """The phrase a token heads, unless it is a pronoun, a trigger word or a place; a country may be an actor
    ("Russia attacked", "accused Ukraine of shelling": its forces or government)."""
    if tok is None or tok.lower_ in _PRONOUNS or tok.lemma_.lower() in TRIGGERS:
        return None
    held = _layer(doc, "places").holding(tok.idx)
    place = doc.places[held[0]] if held else None
    if place is not None and not (actor and place.feature in ("PCLI", "PCLD", "PCLS", "PCLF")):
        if not any(doc.entities[k].label in ("ORG", "UNIT", "NORP") for k in _layer(doc, "entities").holding(tok.idx)):
            return None
    return _phrase(tok)


def _event_place(doc: Document, sent, trigger, metonymic: set[int]) -> EventPlace | None:
    inside = [(i, doc.places[i]) for i in _layer(doc, "places").starting(sent.start_char, sent.end_char)
              if i not in metonymic]
    if not inside:
        return None
    attached = [(i, p) for i, p in inside if _attached(doc, trigger, p) and not _elsewhere(trigger, p)]
    # Without an attached place, any other place of the sentence, but not one that acts or owns there
    # ("Moscow prevented a raid", "Kiev's forces", "accused Russia of shelling"): that names an actor.
    pool = attached or [(i, p) for i, p in inside if not _acting(trigger.doc, p) and _locative(trigger.doc, p)
                        and not _elsewhere(trigger, p)]
    if not pool:
        return None
    i, best = min(pool, key=lambda ip: (ip[1].lat is None, _FEATURE_RANK.get(_fclass(ip[1]), 3), ip[1].start))
    return EventPlace(best.text, best.lat, best.lon)


def _fclass(place) -> str:
    if place.feature in ("PCLI", "CONT"):
        return "C"
    if place.feature in ("ADM1", "ADM2", "RGN"):
        return "A"
    return "P" if place.feature else "X"


def _place_root(sdoc, place):
    """The token heading a place's span in the parse, or None; for a conjunct ("Moscow and Kiev blamed"), the
    first of its conjuncts, which carries their role."""
    span = sdoc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


def _acting(sdoc, place) -> bool:
    """A place used as a subject, an owner, or the one accused: an actor, not where something happened."""
    tok = _place_root(sdoc, place)
    if tok is None:
        return False
    if tok.dep_ == "nsubj":  # "Moscow prevented", but not "Kyiv continues to be a target"
        return tok.head.lemma_.lower() not in _COPULAS
    if tok.dep_ == "poss" or any(t.dep_ == "case" for t in tok.children):  # "Kiev's forces", not "Ukraine's east"
        return tok.head.lemma_.lower() not in _AREA_NOUNS
    return tok.dep_ == "dobj" and tok.head.lemma_.lower() in _ACCUSE


def _elsewhere(trigger, place) -> bool:
    """A place that belongs to the report or to a comparison, not to the event: where the speaker is ("he says
    from his hospital bed in Dnipro": the first verb above the place reports), or what the event is set against
    ("unlike what we saw in the Kyiv region")."""
    tok = _place_root(trigger.doc, place)
    first_verb = None
    for _ in range(8):
        if tok is None or tok.head is tok or tok == trigger:
            break
        if tok.dep_ == "prep" and tok.lower_ in ("unlike", "like"):
            return True
        tok = tok.head
        if first_verb is None and tok.pos_ in ("VERB", "AUX") and tok != trigger:
            first_verb = tok
    return first_verb is not None and first_verb.lemma_.lower() in _REPORTING


def _locative(sdoc, place) -> bool:
    """A place named where something is: after a locative preposition, directly or as the owner or modifier of the
    noun after it ("in Kharkiv", "near Kherson's port", "in the Kharkiv region", "outskirts of Kyiv"), the owner
    of a part of a place ("Ukraine's positions"), or the subject of a copula ("Kharkiv continues to be a target")."""
    tok = _place_root(sdoc, place)
    if tok is not None and tok.dep_ == "nsubj" and tok.head.lemma_.lower() in _COPULAS:
        return True  # "Kharkiv continues to be a target", "the plant came under attack"
    for _ in range(3):
        if tok is None:
            return False
        if tok.dep_ == "poss" and tok.head.lemma_.lower() in _AREA_NOUNS:
            return True  # "Ukraine's fortified positions", "Russia's border"
        if tok.dep_ == "pobj":
            prep = tok.head.lower_
            return prep in _LOCATIVE or (prep == "of" and tok.head.head.lemma_.lower() in _AREA_NOUNS | _LOCATION_WORDS)
        if tok.dep_ not in ("compound", "poss", "amod", "nmod", "appos"):
            return False
        tok = tok.head
    return False


def _attached(doc: Document, trigger, place) -> bool:
    tok = _place_root(trigger.doc, place)
    if tok is None:
        return False
    if tok.dep_ in ("nsubj", "nsubjpass", "poss") or any(t.dep_ == "case" for t in tok.children):
        return False  # "Ukraine amassed", "Kiev's forces": an actor or owner, not where it happened
    for _ in range(3):
        if tok == trigger:
            return True
        if tok.dep_ == "prep" and tok.lower_ not in _PLACE_PREPS:
            return False  # "the fight against Moscow", "allied with the US": no location
        if tok.head == trigger:
            return True
        if tok.dep_ == "pobj" and tok.head.lower_ in _PLACE_PREPS and tok.head.head == trigger:
            return True
        if tok.dep_ not in _NOUN_LINKS:
            return False  # not through another verb: "shelling the site to discredit Ukraine"
        tok = tok.head
    return False


_NOUN_LINKS = frozenset("pobj prep compound amod nmod appos npadvmod".split())


def _commercial_subject(tok) -> bool:
    """Whether the subject of the trigger (or of the verb a trigger noun hangs on) is a business."""
    verb = tok if tok.pos_ == "VERB" else tok.head
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    subjects += [c for c in tok.children if c.dep_ == "poss"]
    return any(c.lemma_.lower() in _COMMERCIAL or c.lower_ in _COMMERCIAL for c in subjects)


def _has_place(doc: Document, sent) -> bool:
    return bool(_layer(doc, "places").starting(sent.start_char, sent.end_char))


def _claim_at(doc: Document, offset: int) -> int | None:
    held = _layer(doc, "claims").holding(offset)
    return held[0] if held else None


class _Spans:
    """The records of a layer (anything with ``start`` and ``end``) sorted by start, so that those holding an
    offset or starting in a range are found by bisection, not by scanning the layer once per event (which made
    a long document quadratic). Both lookups answer layer indexes in layer order."""

    def __init__(self, spans):
        self.spans = spans
        self.order = sorted(range(len(spans)), key=lambda k: (spans[k].start, k))
        self.starts = [spans[k].start for k in self.order]
        self.reach: list[int] = []  # the furthest end of the spans up to each position
        furthest = None
        for k in self.order:
            furthest = spans[k].end if furthest is None else max(furthest, spans[k].end)
            self.reach.append(furthest)

    def holding(self, offset: int) -> list[int]:
        """Indexes of the spans with start <= offset < end."""
        lo, hi = bisect_right(self.reach, offset), bisect_right(self.starts, offset)
        return sorted(k for k in self.order[lo:hi] if self.spans[k].end > offset)

    def starting(self, lo: int, hi: int) -> list[int]:
        """Indexes of the spans with lo <= start < hi."""
        return sorted(self.order[bisect_left(self.starts, lo):bisect_left(self.starts, hi)])


def _layer(doc: Document, name: str) -> _Spans:
    """The :class:`_Spans` of one layer of ``doc``, built once per version of the layer (layers are replaced
    whole, never changed in place)."""
    layer = getattr(doc, name)
    key = f"events.spans.{name}"
    cached = doc.cache.get(key)
    if cached is None or cached.spans is not layer:
        cached = doc.cache[key] = _Spans(layer)
    return cached


def _sentence_dates(doc: Document, sent) -> list[tuple[int, int]]:
    """Character spans of the DATE entities inside ``sent``, as ``sent.ents`` gives them (spaCy builds every
    entity of the document for that, once per sentence asked)."""
    sdoc = sent.doc
    cached = doc.cache.get("events.ents")
    if cached is None or cached[0] is not sdoc:
        ents = list(sdoc.ents)
        cached = doc.cache["events.ents"] = (sdoc, ents, [e.start for e in ents])
    _, ents, starts = cached
    out = []
    for k in range(bisect_left(starts, sent.start), len(ents)):
        ent = ents[k]
        if ent.end > sent.end:
            break  # as Span.ents: the first entity running past the sentence ends the list
        if ent.label_ == "DATE":
            out.append((ent.start_char, ent.end_char))
    return out


def _date(doc: Document, claim: int | None, sent=None, trigger=None) -> str | None:
    """The claim's first resolved date; else the first date of the sentence ("On Thursday, according to the
    ministry, ..." where the claim starts after the date); else the publication date. Dates of the report
    ("..., authorities said Sunday") and of periods ("since March", "as of Monday") are not the event's; an event
    told as background (a past perfect, a "when ..." clause) with no date of its own gets none."""
    sdoc = doc.cache.get("spacy")

    def of_event(d) -> bool:
        return bool(d.value) and not _period_bound(doc.text, d.start) and not _report_date(sdoc, d.start)

    if claim is not None:
        for d in doc.claims[claim].dates:
            if of_event(d):
                return d.value
    if sent is not None:
        entities = _sentence_dates(doc, sent)
        for d in find_dates(doc.text, doc.source.published, sent.start_char, sent.end_char, entities):
            if of_event(d):
                return d.value
        if _BACKGROUND.search(sent.text):
            return None  # "For decades the PKK has fought ...", "the second anniversary of the attack": not today
    if trigger is not None and _told_as_background(trigger):
        return None
    return doc.source.published


# Verbs that report: a date on them dates the report.
_REPORTING = _words("reporting")


def _report_date(sdoc, start: int) -> bool:
    """Whether the date starting at character ``start`` dates a reporting verb ("authorities said Sunday",
    "claimed responsibility on Monday") rather than the event."""
    if sdoc is None:
        return False
    span = sdoc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    tok = span[0]
    for _ in range(3):
        head = tok.head
        if head.i == tok.i:
            return False
        if head.pos_ in ("VERB", "AUX"):
            return head.lemma_.lower() in _REPORTING or any(c.lemma_.lower() == "responsibility" for c in head.children)
        tok = head
    return False


def _told_as_background(trigger) -> bool:
    """A past perfect ("had retreated from Bucha") or a "when ..." clause ("working in Poland when the Russians
    attacked"): an earlier event the article recalls, not one of its day."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    reported = verb.dep_ in ("ccomp", "conj") and verb.head.lemma_.lower() in SPEECH_VERBS
    if any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children) and verb.tag_ == "VBN" \
            and not reported:  # "he said troops had repelled 11 attacks": the tense of reported speech
        return True
    return verb.dep_ == "advcl" and verb.tag_ == "VBD" and any(
        c.dep_ in ("mark", "advmod") and c.lower_ == "when" for c in verb.children)


# Words that put a sentence's events in the background, before the news the article reports.
_BACKGROUND = _pattern("background")
# Words that open or close a period before a date ("since March", "until May").
_PERIOD_WORDS = _sequence("period_words")


def _period_bound(text: str, start: int) -> bool:
    """A date that opens or closes a period ("under Russian control since March", "until May"): not when an
    event of the sentence happened."""
    return text[max(0, start - 8):start].lower().rstrip().endswith(_PERIOD_WORDS)


@registry.components.register("events.v1")
def make_events(config: Config, resources: Resources) -> Events:
    return Events(config.settings("events").require_military_context)
