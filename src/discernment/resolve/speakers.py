"""Who is speaking: the mention span of a quote's speaker, and the canonical name it refers to.

Rules over the spaCy parse and the entity layer, no coreference model (none installs offline with spaCy 3):

- a mention that contains a named entity takes that entity's canonical name ("Russian President Vladimir Putin"),
  the last person in it when it names several ("Shakhtar captain Taras Stepanenko": the head comes last);
- "he"/"she" take the nearest compatible earlier speaker or PERSON (the last quoted person wins when recent);
  compatible means no conflicting gender (``resolve.gender``: honorifics in the document, patronymics, given
  names, Slavic surname endings), so "she said" after "Sergei Lavrov ... Maria Zakharova" is Zakharova;
- "they"/"it" take the nearest earlier organisation, group or country speaker;
- a role or title ("the Chief of the General Staff") takes the person it was attached to earlier in the text
  (apposition or a title in front of the name); a bare definite person noun ("the official", "the spokesman",
  "the veteran") the last person quoted within a few paragraphs, as "he" would;
- an organisation noun ("the ministry") takes the latest earlier organisation whose name holds that noun;
- a document ("the report") takes its first mention ("a report by a think tank based in Brussels").

Entities come from ``doc.entities``; when that layer is empty, spaCy's ``doc.ents`` stand in, canonicalised by
the fuller earlier form of the same surname.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..extract.cues import DOCUMENT_NOUNS, PRONOUNS_GROUP, PRONOUNS_PERSON, PRONOUNS_SELF
from .gender import document_genders, name_gender, pronoun_gender
from .quantities import looks_plural
from ..model import Document, Mention

_GROUP_LABELS = frozenset({"ORG", "NORP", "GPE", "UNIT", "FAC"})
_ORG_NOUNS = frozenset(
    "ministry department office agency service army command staff government kremlin council committee "
    "administration military forces police guard parliament duma court prosecutor embassy mission".split()
)
# Nouns for a person by role, which "the <noun>" uses for someone just quoted ("..., the official said").
_PERSON_NOUNS = frozenset(
    "official spokesman spokeswoman spokesperson minister commander general colonel officer diplomat envoy "
    "ambassador president governor mayor chief head leader politician lawmaker senator analyst expert veteran "
    "captain journalist correspondent deputy adviser advisor aide premier chancellor secretary".split()
)
_DETERMINERS = frozenset("the a an this that these those its his her their our".split())
_RECENT_CHARS = 1500  # a pronoun prefers the last quoted speaker when it spoke within this distance


@dataclass(frozen=True, order=True)
class EntityRef:
    start: int
    end: int
    label: str
    canonical: str


def entity_refs(doc: Document) -> list[EntityRef]:
    """The entity layer, or spaCy's entities (surnames expanded to the fuller earlier name) when it is empty."""
    if doc.entities:
        return sorted(EntityRef(e.start, e.end, e.label, e.canonical) for e in doc.entities)
    sdoc = doc.cache.get("spacy")
    if sdoc is None:
        return []
    refs: list[EntityRef] = []
    full_names: dict[str, str] = {}
    for ent in sdoc.ents:
        name = ent.text.strip()
        if ent.label_ == "PERSON" and name.endswith("'s"):
            name = name[:-2]
        canonical = name
        if ent.label_ == "PERSON":
            parts = name.split()
            if len(parts) > 1:
                full_names[parts[-1]] = name
            elif name in full_names:
                canonical = full_names[name]
        refs.append(EntityRef(ent.start_char, ent.end_char, ent.label_, canonical))
    return refs


class SpeakerResolver:
    """Resolves speaker mentions of one document, in text order; remembers the speakers seen so far."""

    def __init__(self, doc: Document):
        self.text = doc.text
        self.refs = entity_refs(doc)
        self.starts = [r.start for r in self.refs]
        self.history: list[tuple[int, str, str]] = []  # (offset, canonical, label) of resolved speakers
        self.honorifics = document_genders(self.text)
        self._genders: dict[str, str | None] = {}

    # -- public -----------------------------------------------------------------------------------------
    def resolve(self, start: int, end: int, head_lower: str = "", head_lemma: str = "") -> Mention:
        text = self.text[start:end]
        canonical, label = self._canonical(start, end, text, head_lower, head_lemma)
        if canonical is not None:
            self.history.append((start, canonical, label))
        return Mention(start, end, text, canonical)

    def latest_speaker(self, before: int, max_distance: int = _RECENT_CHARS) -> tuple[int, str] | None:
        """The last speaker resolved before ``before`` (offset, canonical), if recent enough."""
        for offset, canonical, _ in reversed(self.history):
            if offset < before:
                return (offset, canonical) if before - offset <= max_distance else None
        return None

    def nearest_group(self, before: int) -> EntityRef | None:
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0 and before - self.refs[i].end < 3 * _RECENT_CHARS:
            if self.refs[i].label in ("ORG", "NORP", "GPE"):
                return self.refs[i]
            i -= 1
        return None

    # -- rules ------------------------------------------------------------------------------------------
    def _canonical(self, start: int, end: int, text: str, head: str, lemma: str) -> tuple[str | None, str]:
        head = head or (text.lower().split()[-1] if text.strip() else "")
        within = self._entities_in(start, end)
        inside = [r for r in within if r.label in ("PERSON", "ORG", "UNIT") or head in self.text[r.start:r.end].lower()]
        if re.search(r"\b(?:and|&)\b", text) and sum(r.label in ("GPE", "ORG", "NORP", "PERSON") for r in within) >= 2:
            # several speakers listed together ("The US, UK, Canada and 40 partner countries"): all of them
            return _strip_determiner(text), "GROUP"
        if inside:
            best = _best_entity(inside)
            if best.label != "PERSON" and head in _PERSON_NOUNS:
                # "a spokesman for the UN secretary-general": a person of the organisation, not the organisation
                return _strip_determiner(text), "PERSON"
            return best.canonical, best.label
        if head in PRONOUNS_PERSON:
            return self._previous(start, person=True, gender=pronoun_gender(head))
        if head in PRONOUNS_GROUP:
            return self._previous(start, person=False, plural=head in ("they", "them"))
        if head in PRONOUNS_SELF:
            return None, ""
        named = self._surname_of(start, text.strip())
        if named:
            return named, "PERSON"
        lemma = lemma or head
        if lemma in DOCUMENT_NOUNS:
            return self._document(end, lemma), "DOC"
        if lemma in _ORG_NOUNS:
            found = next((c for o, c, lab in reversed(self.history) if o < start and start - o <= _RECENT_CHARS
                          and lab == "ORG" and lemma in c.lower()), None) or self._organisation(start, lemma)
            if found and _same_qualifiers(text, found, lemma):
                return found, "ORG"
            if found:  # "Ukraine's infrastructure ministry" after "the defence ministry": another ministry
                return _strip_determiner(text), "ORG"
        role = self._role(start, text)
        if role:
            return role, "PERSON"
        words = text.lower().split()
        if words[:2] == ["the", "head"] and words[2:4] in (["of", "state"], ["of", "government"]):
            # "the head of state noted": the person last named, who need not have spoken yet
            i = bisect.bisect_left(self.starts, start) - 1
            while i >= 0 and start - self.refs[i].end < _RECENT_CHARS:
                if self.refs[i].label == "PERSON":
                    return self.refs[i].canonical, "PERSON"
                i -= 1
        if "of" in words[1:-1] and words[0] == "the":
            words = words[:words.index("of", 1)]  # "the chief of staff": the noun before "of"
        if len(words) >= 2 and words[0] == "the" and words[-1].split("-")[-1] in _PERSON_NOUNS:
            previous, label = self._previous(start, person=True, history_only=True)
            if previous:
                return previous, label
        return _strip_determiner(text), "NP"

    def _surname_of(self, before: int, word: str) -> str | None:
        """The person named in full earlier whose surname is this one capitalised word: "Price told a briefing"
        after "spokesperson Ned Price" (the tagger left the second "Price" untagged, a common noun)."""
        if " " in word or not word[:1].isupper() or not word.isalpha():
            return None
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0:
            ref = self.refs[i]
            if ref.label == "PERSON" and " " in ref.canonical and ref.canonical.split()[-1] == word:
                return ref.canonical
            i -= 1
        return None

    def _entities_in(self, start: int, end: int) -> list[EntityRef]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.refs) and self.refs[i].start < end:
            out.append(self.refs[i])
            i += 1
        return out

    def gender(self, canonical: str) -> str | None:
        if canonical not in self._genders:
            self._genders[canonical] = name_gender(canonical, self.honorifics)
        return self._genders[canonical]

    def _fits(self, canonical: str, gender: str | None) -> bool:
        if gender is None:
            return True
        known = self.gender(canonical)
        return known is None or known == gender

    def _previous(self, before: int, person: bool, gender: str | None = None,
                  history_only: bool = False, plural: bool = False) -> tuple[str | None, str]:
        wanted = ("PERSON",) if person else tuple(_GROUP_LABELS) + ("DOC",)
        if person and not history_only:
            newcomer = self._new_subject(before, gender)
            if newcomer is not None:
                return newcomer, "PERSON"
        for offset, canonical, label in reversed(self.history):
            if offset < before and before - offset <= _RECENT_CHARS and (
                    label in wanted or (plural and label == "NP" and _is_plural_noun(canonical))
                    or (not person and not plural and label == "NP" and _org_head(canonical))):
                # "they" may be the plural speaker just quoted: "Critics say ... They say ..."
                if not person or self._fits(canonical, gender):
                    return canonical, label
            if before - offset > _RECENT_CHARS:
                break
        if history_only:
            return None, ""
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0:
            ref = self.refs[i]
            if person and ref.label == "PERSON" and self._fits(ref.canonical, gender):
                return ref.canonical, ref.label
            if not person and ref.label in ("ORG", "NORP", "GPE"):
                return ref.canonical, ref.label
            i -= 1
        return None, ""

    def _new_subject(self, before: int, gender: str | None) -> str | None:
        """A person introduced as the subject of a sentence after the last speaker, and named last before the
        pronoun ("Macron said ... Former diplomat Henry Kissinger agrees. He recently told ..." is Kissinger)."""
        last_spoke = max((o for o, _, lab in self.history if o < before and lab == "PERSON"), default=-1)
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0 and self.refs[i].start > last_spoke:
            ref = self.refs[i]
            if ref.label == "PERSON":
                opening = self.text[max(0, ref.start - 60):ref.start]
                if self._fits(ref.canonical, gender) and _SENTENCE_OPENING.search(opening) \
                        and before - ref.end < 400 and re.search(r"[.!?]", self.text[ref.end:before]):
                    # (a sentence ends between them: "Putin, he added, ..." is the speaker's "he")
                    return ref.canonical
                return None  # the last person named is not a sentence's subject: keep the speakers
            i -= 1
        return None

    def _organisation(self, before: int, noun: str) -> str | None:
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0:
            ref = self.refs[i]
            if ref.label in ("ORG", "GPE", "NORP") and noun in self.text[ref.start:ref.end].lower():
                return ref.canonical
            i -= 1
        return None

    def _document(self, before: int, noun: str) -> str:
        """The first phrase "<noun> ..." up to ``before`` (its own mention included), cut before the verb."""
        lowered = self.text.lower()
        pos = lowered.find(noun, 0, before)
        while pos >= 0 and not _word_at(lowered, pos, noun):
            pos = lowered.find(noun, pos + 1, before)
        if pos < 0:
            return noun
        stop = min(_first_of(self.text, pos, ".;:\n"), pos + 80)
        for word in (" said", " says", " found", " noted", " shows", " showed", " published", " released"):
            cut = self.text.find(word, pos, stop)
            if cut >= 0:
                stop = cut
        return self.text[pos:stop].strip(" ,")

    def _role(self, before: int, text: str) -> str | None:
        """A title used earlier right next to a PERSON: "Chief of the General Staff Valery Gerasimov"."""
        role = _strip_determiner(text)
        if len(role) < 4 or not role[:1].isalpha():
            return None
        lowered = self.text.lower()
        key = role.lower()
        pos = lowered.rfind(key, 0, before)
        while pos >= 0:
            after, end = pos + len(key), pos + len(key)
            i = bisect.bisect_left(self.starts, after)
            if i < len(self.refs) and self.refs[i].label == "PERSON" and self.refs[i].start - end <= 3:
                return self.refs[i].canonical
            j = bisect.bisect_left(self.starts, pos) - 1
            if j >= 0 and self.refs[j].label == "PERSON" and 0 <= pos - self.refs[j].end <= 8:
                return self.refs[j].canonical
            pos = lowered.rfind(key, 0, pos)
        return None


def _best_entity(refs: list[EntityRef]) -> EntityRef:
    """The person a mention names (the last one: a noun phrase's head comes last), else its organisation ..."""
    people = [ref for ref in refs if ref.label == "PERSON"]
    if people:
        return people[-1]
    for label in ("ORG", "UNIT", "NORP", "GPE"):
        for ref in refs:
            if ref.label == label:
                return ref
    return refs[0]


_GENERIC_QUALIFIERS = frozenset("the a an its his her their our this that ukraine's ukraine’s russia's russia’s "
                                 "country's country’s state state's russian ukrainian".split())


def _same_qualifiers(mention: str, canonical: str, noun: str) -> bool:
    """Whether an organisation noun's own modifiers ("infrastructure" in "Ukraine's infrastructure ministry") are
    all in the earlier organisation's name it would be resolved to; a bare "the ministry" always is."""
    words = [w for w in mention.lower().split() if w != noun and w not in _GENERIC_QUALIFIERS]
    name = canonical.lower()
    return all(w in name for w in words)


# A sentence start then at most a few capitalised title words before a name: "Former diplomat Henry Kissinger".
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?][\"”’)]?\s+)(?:[A-Z][\w.-]*\s+){0,3}(?:[a-z][\w-]*\s+){0,2}$")


def _org_head(phrase: str) -> bool:
    """An organisation named by a common noun ("Ukraine's energy ministry"): what "it" may refer to."""
    words = phrase.lower().split()
    return bool(words) and words[-1] in _ORG_NOUNS


def _is_plural_noun(phrase: str) -> bool:
    words = phrase.split()
    return bool(words) and looks_plural(words[-1])


def _strip_determiner(text: str) -> str:
    words = text.split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def _word_at(lowered: str, pos: int, word: str) -> bool:
    before = lowered[pos - 1] if pos > 0 else " "
    after = lowered[pos + len(word)] if pos + len(word) < len(lowered) else " "
    return not before.isalnum() and not after.isalnum()


def _first_of(text: str, pos: int, chars: str) -> int:
    found = [i for i in (text.find(c, pos) for c in chars) if i >= 0]
    return min(found) if found else len(text)
