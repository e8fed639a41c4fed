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

from rapidfuzz.fuzz import ratio

from ..lexicon import mapping, pattern, table, text, words
from ..model import Document, Mention
from .gender import document_genders, name_gender, pronoun_gender
from .names import KIN_OF, TITLES
from .quantities import looks_plural

# Word classes shared with the extractors (resources/en/words.toml).
DOCUMENT_NOUNS = words("document_nouns")
PRONOUNS_PERSON = words("pronouns_person")
PRONOUNS_GROUP = words("pronouns_group")
PRONOUNS_SELF = words("pronouns_self")

_GROUP_LABELS = frozenset({"ORG", "NORP", "GPE", "UNIT", "FAC"})


def _words(name: str) -> frozenset[str]:
    return words(name, file="speakers")


def _mapping(name: str) -> dict[str, str]:
    return mapping(name, file="speakers")


def _text(name: str) -> str:
    return text(name, file="speakers")


def _pattern(name: str) -> re.Pattern:
    return pattern(name, file="speakers")


# The word lists and the phrases built of words are data: resources/en/speakers.toml, each with what it is for.
_ORG_NOUNS = _words("org_nouns")
_PERSON_NOUNS = _words("person_nouns")
_ORG_KINDS = _words("org_kinds")
_CAPITALS = _mapping("capitals")
_KIN = _words("kin")
_HONORIFICS = _words("honorifics")
_PARTICLES = _words("particles")
_DEMONYMS = _mapping("demonyms")
_DETERMINERS = _words("determiners")
# "Russia's leader", "the Russian president": the head of a country (see SpeakerResolver._described_before).
_HEAD_TITLES = _text("head_titles")
_HEAD_OF_COUNTRY = re.compile(rf"(?:([a-z ]+)'s|([a-z]+))\s+{_HEAD_TITLES}")
# Words that end the title before a name: "billionaire X has said Kyiv ..." is no title of Kyiv.
_NOT_IN_A_TITLE = _text("not_in_a_title")
# Nouns that describe a person named with them earlier ("US billionaire hedge fund manager Bill Ackman ... the
# billionaire").
_DESCRIPTORS = _words("descriptors")
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


@dataclass(frozen=True)
class _Mention:
    """A speaker phrase as the cases of SpeakerResolver._canonical read it: its span and text, head word and
    lemma, the entities within it and those of them that can name it."""

    start: int
    end: int
    text: str
    head: str
    lemma: str
    within: list
    inside: list


def _role_words(text: str) -> list[str]:
    """The words of a role phrase up to its "of" ("the chief of staff": the chief)."""
    words = text.lower().split()
    if "of" in words[1:-1] and words[0] == "the":
        words = words[:words.index("of", 1)]
    return words


class SpeakerResolver:
    """Resolves speaker mentions of one document, in text order; remembers the speakers seen so far."""

    def __init__(self, doc: Document):
        self.text = doc.text
        self.refs = entity_refs(doc)
        self.starts = [r.start for r in self.refs]
        self.history: list[tuple[int, str, str]] = []  # (offset, canonical, label) of resolved speakers
        self.honorifics = document_genders(self.text)
        self._genders: dict[str, str | None] = {}
        self.outlet_country = _OUTLET_COUNTRIES.get((doc.source.outlet or "").strip().lower())
        # Indexes kept so that no lookup scans the whole document or history (quadratic in a long text):
        self._lowered: str | None = None  # the text in lower case, made once
        self._refs_naming: dict[str, list[int]] = {}  # noun -> indexes of the ORG/GPE/NORP refs naming it
        self._quoted_naming: dict[str, list[tuple[int, str]]] = {}  # noun -> (offset, name) of ORG speakers naming it
        self._people_quoted: list[int] = []  # offsets of the PERSON speakers, sorted
        self._in_order = True  # whether speakers were resolved in text order (offsets never decreasing)

    # -- public -----------------------------------------------------------------------------------------
    def resolve(self, start: int, end: int, head_lower: str = "", head_lemma: str = "") -> Mention:
        text = self.text[start:end]
        canonical, label = self._canonical(start, end, text, head_lower, head_lemma)
        if canonical is not None:
            if self.history and start < self.history[-1][0]:
                self._in_order = False
            self.history.append((start, canonical, label))
            if label == "PERSON":
                bisect.insort(self._people_quoted, start)
            if label == "ORG":
                for noun, found in self._quoted_naming.items():
                    if noun in canonical.lower():
                        found.append((start, canonical))
        return Mention(start, end, text, canonical)

    def nearest_group(self, before: int) -> EntityRef | None:
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0 and before - self.refs[i].end < 3 * _RECENT_CHARS:
            if self.refs[i].label in ("ORG", "NORP", "GPE"):
                return self.refs[i]
            i -= 1
        return None

    # -- rules ------------------------------------------------------------------------------------------
    def _canonical(self, start: int, end: int, text: str, head: str, lemma: str) -> tuple[str | None, str]:
        """Who the speaker phrase ``text`` (at start..end, with its head word and lemma) is: (canonical name,
        kind). Each case is a method of its own, tried in order (:data:`_CASES`); the first that knows answers,
        and a phrase none knows stands for itself (``NP``)."""
        head = head or (text.lower().split()[-1] if text.strip() else "")
        within = [r for r in self._entities_in(start, end)
                  if not (r.label == "PERSON" and r.end < end and _MODIFIER_AFTER.match(self.text, r.end))]
        inside = [r for r in within if r.label in ("PERSON", "ORG", "UNIT") or head in self.text[r.start:r.end].lower()]
        m = _Mention(start, end, text, head, lemma or head, within, inside)
        for case in self._CASES:
            found = case(self, m)
            if found is not None:
                return found
        return _strip_determiner(text), "NP"

    # -- the cases of _canonical, in the order they are tried ---------------------------------------------------------
    def _seat_of_government(self, m: "_Mention"):
        """"Kiev confirmed", "Moscow said": the government seated there."""
        government = _CAPITALS.get(m.text.strip().lower())
        return (government, "ORG") if government else None

    def _person_inside_organisation(self, m: "_Mention"):
        """"the head of Russia’s Security Council Nikolay Patrushev", tagged as one organisation: the person."""
        for ref in m.inside:
            tail = _NAME_AFTER_BODY.search(self.text[ref.start:ref.end]) if ref.label == "ORG" else None
            if tail and ref.end >= m.end - 1 and self._is_personal_name(tail.group(1)):
                return tail.group(1), "PERSON"
        return None

    def _listed_speakers(self, m: "_Mention"):
        """Several speakers listed together ("The US, UK, Canada and 40 partner countries"): all of them."""
        if re.search(r"\b(?:and|&)\b", m.text) and \
                sum(r.label in ("GPE", "ORG", "NORP", "PERSON") for r in m.within) >= 2:
            return _strip_determiner(m.text), "GROUP"
        return None

    def _document_by(self, m: "_Mention"):
        """"A EU-wide survey by the pollster Eupinions": the author, not a modifier before "by"."""
        if m.lemma not in DOCUMENT_NOUNS or " by " not in m.text:
            return None
        by = m.text.index(" by ")
        authors = [r for r in m.inside if r.start >= m.start + by]
        if authors:
            return _best_entity(authors).canonical, "DOC"
        named = re.search(r"(?:[A-Z][\w'’-]*\s*)+$", m.text[by + 4:].strip())
        return (named.group().strip(), "DOC") if named else None

    def _name_tagged_as_other(self, m: "_Mention"):
        """A surname or name the tagger took for a place or an organisation ("Von der Leyen insisted", "Vereshuk
        said", "said Nino Nazarova", "Russia’s representative to the UN, Vassily Nebenzia")."""
        if not m.inside or any(r.label == "PERSON" for r in m.inside):
            return None
        plain = _strip_determiner(m.text)
        named = self._surname_of(m.start, plain)
        if named:
            return named, "PERSON"
        if len(m.inside) == 1 and (m.inside[0].canonical == plain or m.inside[0].end >= m.end - 1) and \
                self._is_personal_name(plain):
            return plain, "PERSON"  # "Iryna Venediktova told", "Venediktova" tagged as an organisation
        last = m.inside[-1]
        if last.end >= m.end - 1 and self.text[m.start:last.start].rstrip().endswith(",") and (
                self._is_personal_name(last.canonical)
                or m.head in _PERSON_NOUNS and _looks_like_name(last.canonical)):
            return last.canonical, "PERSON"
        return None

    def _named_entity(self, m: "_Mention"):
        """The phrase holds a named entity: the best of them, read with the words around it."""
        if not m.inside:
            return None
        start, end, head = m.start, m.end, m.head
        best = _best_entity(m.inside)
        owned = re.fullmatch(r"['’]s?\s+([a-z][a-z\s-]*)", self.text[best.end:end].strip())
        if best.label == "PERSON" and owned:
            # "Zelensky’s aides later said": the aides, whose person is named, not that person
            noun = " ".join(owned.group(1).split())
            return f"{best.canonical}'s {noun}", "GROUP" if _is_plural_noun(noun) else "PERSON"
        if best.label != "PERSON" and best.end >= end - 1 and best.start > start and any(
                w in _PERSON_NOUNS or w in _KIN for w in self.text[start:best.start].lower().split()):
            return best.canonical, "PERSON"  # "his wife Alena", "spokesman Igor Konashenkov" tagged ORG
        if best.label != "PERSON" and head in _PERSON_NOUNS:
            # "a spokesman for the UN secretary-general": a person of the organisation, not the organisation;
            # the person when the text names them right after ("the LPR's envoy to Russia. Rodion Miroshnik
            # wrote ...")
            return self._named_next(end) or _strip_determiner(m.text), "PERSON"
        if best.label == "ORG":
            lead = self.text[start:best.start]
            return self._qualified(start, self._of_the_country(start, lead, _with_country(lead, best.canonical))), \
                "ORG"
        if best.label == "PERSON" and " " not in best.canonical:
            given = _given_name(self.text[start:best.start])
            if given and not self._entities_in(start + given.start(1), start + given.end(1)):
                return f"{given.group(1)} {best.canonical}", "PERSON"  # "Rodion Miroshnik" tagged "Miroshnik"
            # a surname whose full name only a speaker gave ("Patrushev said" after "the head of Russia's
            # Security Council Nikolay Patrushev", which the tagger took for an organisation)
            return self._surname_of(start, best.canonical) or best.canonical, best.label
        return best.canonical, best.label

    def _pronoun(self, m: "_Mention"):
        """"he", "she": the person last named; "they", "it": the group or organisation; "I", "we": no one else."""
        if m.head in PRONOUNS_PERSON:
            return self._previous(m.start, person=True, gender=pronoun_gender(m.head))
        if m.head in PRONOUNS_GROUP:
            return self._previous(m.start, person=False, plural=m.head in ("they", "them"))
        if m.head in PRONOUNS_SELF:
            return None, ""
        return None

    def _surname(self, m: "_Mention"):
        """A surname of a person named in full before."""
        named = self._surname_of(m.start, m.text.strip())
        return (named, "PERSON") if named else None

    def _document_noun(self, m: "_Mention"):
        """"A ministry statement explained": the ministry named before; else the document itself."""
        if m.lemma not in DOCUMENT_NOUNS:
            return None
        words = m.text.lower().split()
        owner = next((w for w in words[:-1] if w in _ORG_NOUNS), None)
        if owner:
            found = self._organisation_by_noun(m.start, owner)
            if found:
                return found, "ORG"
        return self._document(m.start, m.end, m.lemma), "DOC"

    def _the_organisation(self, m: "_Mention"):
        """"the agency", "the organisation": the organisation named last."""
        if m.lemma in _ORG_KINDS and m.text.lower().split()[0] == "the":
            found = self._latest_organisation(m.start)
            if found:
                return found, "ORG"
        return None

    def _organisation_noun(self, m: "_Mention"):
        """"the ministry": the ministry named last, when its qualifiers agree; "Ukraine's infrastructure
        ministry" after "the defence ministry": another one; an organisation named by kind and qualifiers."""
        if m.lemma not in _ORG_NOUNS:
            return None
        text = m.text
        found = self._organisation_by_noun(m.start, m.lemma, _RECENT_CHARS)
        if found and _same_qualifiers(text, found, m.lemma):
            return found, "ORG"
        if found:
            return _strip_determiner(text), "ORG"
        if (len(text.split()) > 2 or text.split()[0].lower() not in _DETERMINERS) and not _names_a_person(text):
            # "The Russian embassy in Riga", which "the embassy" and "it" may refer to later
            return _strip_determiner(text), "ORG"
        return None

    def _role_named_before(self, m: "_Mention"):
        """A role the text gave a named person before ("Defence Minister Sergei Shoigu ... the minister")."""
        role = self._role(m.start, m.text) or self._described_before(m.start, m.text)
        return (role, "PERSON") if role else None

    def _head_of_state(self, m: "_Mention"):
        """"the head of state noted": the person last named, who need not have spoken yet."""
        words = m.text.lower().split()
        if words[:2] == ["the", "head"] and words[2:4] in (["of", "state"], ["of", "government"]):
            i = bisect.bisect_left(self.starts, m.start) - 1
            while i >= 0 and m.start - self.refs[i].end < _RECENT_CHARS:
                if self.refs[i].label == "PERSON":
                    return self.refs[i].canonical, "PERSON"
                i -= 1
        return None

    def _the_official(self, m: "_Mention"):
        """"the official", "Moscow’s envoy": the one just quoted."""
        words = _role_words(m.text)
        if len(words) >= 2 and (words[0] == "the" or words[0].endswith(("'s", "’s"))) and \
                words[-1].split("-")[-1] in _PERSON_NOUNS:
            previous, label = self._previous(m.start, person=True, history_only=True)
            if previous:
                return previous, label
        return None

    def _untagged_name(self, m: "_Mention"):
        """A name the tagger missed ("said Nino Nazarova"): "she" may refer to it."""
        plain = _strip_determiner(m.text)
        return (plain, "PERSON") if self._is_personal_name(plain) else None

    def _person_by_role(self, m: "_Mention"):
        """A person known by role: the one named right after, else the role itself, which "he" or "she" may
        refer to."""
        plain = _strip_determiner(m.text)
        if m.head in _PERSON_NOUNS or any(w.split("-")[-1] in _PERSON_NOUNS for w in _role_words(m.text)):
            named = self._named_next(m.end)
            if named:
                return named, "PERSON"
            if not _is_plural_noun(plain):
                return plain, "PERSON"
        return None

    _CASES = (_seat_of_government, _person_inside_organisation, _listed_speakers, _document_by,
              _name_tagged_as_other, _named_entity, _pronoun, _surname, _document_noun, _the_organisation,
              _organisation_noun, _role_named_before, _head_of_state, _the_official, _untagged_name,
              _person_by_role)

    def _named_next(self, end: int) -> str | None:
        """The person a role just quoted turns out to be, named in full right after: in an apposition ("The head of
        Germany's network regulator, Klaus Mueller, tweeted"), or in the next sentence as its opening subject
        ("..., Russia's ambassador said on Saturday. Anatoly Antonov was speaking ..."; "Speaking at the UN, ...,
        Konstantin Vorontsov said") or as the speaker of its words ("..., Iryna Venediktova told reporters")."""
        appos = re.match(r",\s+((?:[A-Z][\w'’-]+\s+){1,3}[A-Z][\w'’-]+),", self.text[end:end + 60])
        if appos and _looks_like_name(appos.group(1)):
            return appos.group(1)
        i = bisect.bisect_left(self.starts, end)
        while i < len(self.refs) and self.refs[i].start - end <= _NAMED_AFTER_CHARS:
            ref = self.refs[i]
            i += 1
            between = _QUOTED.sub("", self.text[end:ref.start])  # sentences inside a quotation do not count
            ends = list(re.finditer(r"[.!?][\"”’]?\s+", between))
            if len(ends) > 1:
                return None  # past the next sentence
            name = self._person_name(ref)
            if name is None:
                continue
            if not ends or " " not in name:
                return None  # another person in the same sentence, or a name not given in full
            opening = between[ends[0].end():]
            if name != ref.canonical and name.endswith(ref.canonical):  # the given name joined to it
                opening = opening[:max(0, len(opening) - (len(name) - len(ref.canonical)))]
            if _SPEAKING_OPENING.match(opening) or (
                    _SPEAKS_AFTER.match(self.text, ref.end)
                    and (not opening.strip(" \"“") or opening.endswith(", "))):
                return name
            return None
        return None

    def _person_name(self, ref: EntityRef) -> str | None:
        """The full name of a person entity (a given name before a one-word one joined: "Rodion Miroshnik" tagged
        "Miroshnik"), also of a name the tagger took for an organisation ("Iryna Venediktova" with "Venediktova"
        an ORG); None for no person."""
        if ref.label not in ("PERSON", "ORG"):
            return None
        name = ref.canonical
        given = _given_name(self.text[max(0, ref.start - 30):ref.start])
        if " " not in name and given:
            name = f"{given.group(1)} {name}"
        if ref.label == "ORG" and not self._is_personal_name(name):
            return None
        return name

    def _surname_of(self, before: int, mention: str) -> str | None:
        """The person named in full earlier whose surname this is: "Price told a briefing" after "spokesperson
        Ned Price" (the tagger left the second "Price" untagged, a common noun); also "Mr Gilbride", a surname
        in several words ("Von der Leyen") and a misspelt one ("Vereshuk" after "Irina Vereshchuk")."""
        words = mention.split()
        if words and words[0].lower() in _HONORIFICS:
            words = words[1:]
        if not 1 <= len(words) <= 3 or not all(
                (w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha()) or w.lower() in _PARTICLES
                for w in words) or not words[0][:1].isupper():
            return None
        wanted = [w.lower() for w in words]
        refs = [r for r in reversed(self.refs[:bisect.bisect_left(self.starts, before)]) if r.label == "PERSON"]
        names = [r.canonical for r in refs] + [c for o, c, lab in reversed(self.history)
                                               if o < before and lab == "PERSON"]
        matching = [n for n in dict.fromkeys(names)
                    if len(n.split()) > len(wanted) and [w.lower() for w in n.split()[-len(wanted):]] == wanted]
        if len(matching) > 1:  # two people of one surname: not the one named only as the other's relative
            kin = {r.canonical for r in refs if KIN_OF.search(self.text, max(0, r.start - 40), r.start)}
            kin -= {r.canonical for r in refs if not KIN_OF.search(self.text, max(0, r.start - 40), r.start)}
            matching = [n for n in matching if n not in kin] or matching
        if matching:
            return matching[0]
        if len(wanted) == 1 and len(wanted[0]) >= 5:
            for name in names:
                last = name.lower().split()[-1]
                if " " in name and last[0] == wanted[0][0] and ratio(last, wanted[0]) >= 85:
                    return name
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
        if plural and not person:
            pair = self._coordinated_countries(before)
            if pair:
                return pair, "GPE"
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0:
            ref = self.refs[i]
            if person and ref.label == "PERSON" and self._fits(ref.canonical, gender) and not (
                    _NAME_OF_A_BODY.match(self.text, ref.end)):  # not "the Azov regiment"
                return self._person_name(ref) or ref.canonical, ref.label
            if not person and ref.label in (("ORG", "NORP") if plural else ("ORG", "GPE")):
                return ref.canonical, ref.label  # "it" is no demonym: "Russian rockets ..., it says"
            i -= 1
        return None, ""

    def _coordinated_countries(self, before: int) -> str | None:
        """Two countries joined by "and" earlier in the sentence of "they" ("... opposition to Finland and Sweden
        joining Nato, hours after they said ..."): a plural that "they" refers to before any organisation named in
        between."""
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 1 and before - self.refs[i].end <= _RECENT_CHARS:
            first, second = self.refs[i - 1], self.refs[i]
            if first.label == second.label == "GPE" and self.text[first.end:second.start] == " and ":
                if not re.search(r"[.!?]\s", self.text[second.end:before]):
                    return f"{first.canonical} and {second.canonical}"
                return None
            i -= 1
        return None

    def _new_subject(self, before: int, gender: str | None) -> str | None:
        """A person introduced as the subject of a sentence after the last speaker, and named last before the
        pronoun ("Macron said ... Former diplomat Henry Kissinger agrees. He recently told ..." is Kissinger)."""
        k = bisect.bisect_left(self._people_quoted, before)
        last_spoke = self._people_quoted[k - 1] if k else -1
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0 and self.refs[i].start > last_spoke:
            ref = self.refs[i]
            if ref.label == "PERSON":
                opening = self.text[max(0, ref.start - 60):ref.start]
                if self._fits(ref.canonical, gender) and _SENTENCE_OPENING.search(opening) \
                        and before - ref.end < 400 and re.search(r"[.!?]", self.text[ref.end:before]):
                    # (a sentence ends between them: "Putin, he added, ..." is the speaker's "he")
                    return self._person_name(ref) or ref.canonical
                return None  # the last person named is not a sentence's subject: keep the speakers
            i -= 1
        return None

    def _organisation(self, before: int, noun: str) -> str | None:
        """The last organisation, place or group named before ``before`` with ``noun`` in its name."""
        naming = self._refs_naming.get(noun)
        if naming is None:
            naming = self._refs_naming[noun] = [i for i, ref in enumerate(self.refs) if ref.label in (
                "ORG", "GPE", "NORP") and noun in self.text[ref.start:ref.end].lower()]
        p = bisect.bisect_left(naming, bisect.bisect_left(self.starts, before)) - 1
        while p >= 0:
            ref = self.refs[naming[p]]
            if ref.end <= before:  # not an entity run into the mention ("Kupyansk, Defence Ministry")
                return ref.canonical
            p -= 1
        return None

    def _of_the_country(self, before: int, lead: str, canonical: str) -> str:
        """A state body of "the country" ("the country's Foreign Ministry") with the demonym of the country last
        named before it."""
        if not re.search(r"\bthe country['’]s\s+$", lead, re.I) or not _BARE_BODY.fullmatch(canonical):
            return canonical
        for i in range(bisect.bisect_left(self.starts, before) - 1, -1, -1):
            ref = self.refs[i]
            if ref.label == "GPE" and ref.canonical.lower() in _DEMONYMS:
                return f"{_DEMONYMS[ref.canonical.lower()]} {canonical}"
        return canonical

    def _qualified(self, before: int, canonical: str) -> str:
        """A state body named without its country ("the Defense Ministry said") with the country the document
        gave it before ("The Russian Defense Ministry said on Sunday ..."), else the country of a state outlet
        (RT, TASS: Russian; Ukrinform: Ukrainian), else as it is. A guess from other countries in the text is
        never made: the Russian ministry reports Ukrainian strikes."""
        if not _BARE_BODY.fullmatch(canonical):
            return canonical
        bare = _spelled(canonical)
        earlier = [_with_country(self.text[max(0, r.start - 40):r.start], r.canonical)
                   for r in reversed(self.refs[:bisect.bisect_left(self.starts, before)]) if r.label == "ORG"]
        earlier += [c for o, c, lab in reversed(self.history) if o < before and lab == "ORG"]
        for name in earlier:
            if _spelled(name).endswith(" " + bare) and name.split()[0] in _DEMONYMS.values():
                return name
        return f"{self.outlet_country} {bare}" if self.outlet_country else canonical

    def _lower(self) -> str:
        if self._lowered is None:
            self._lowered = self.text.lower()
        return self._lowered

    def _is_personal_name(self, phrase: str) -> bool:
        """Capitalised words that read as a person's name and tell a gender ("Nino Nazarova")."""
        return _looks_like_name(phrase) and name_gender(phrase, self.honorifics) is not None

    def _organisation_by_noun(self, before: int, noun: str, max_distance: int | None = None) -> str | None:
        """The organisation with ``noun`` in its name last quoted (within ``max_distance`` characters, when
        given), else the last one named."""
        quoted = self._quoted_naming.get(noun)
        if quoted is None:
            quoted = self._quoted_naming[noun] = [(o, c) for o, c, lab in self.history
                                                  if lab == "ORG" and noun in c.lower()]
        found = None
        for o, c in reversed(quoted):
            if o >= before:
                continue
            if max_distance is None or before - o <= max_distance:
                found = c
                break
            if self._in_order:
                break  # the ones before lie further back still
        return found or self._organisation(before, noun)

    def _last_quoted(self, before: int, label: str, until: int) -> str | None:
        """The canonical name of the last speaker with ``label`` quoted before ``before``, looking back no
        further than ``_RECENT_CHARS`` from ``until``."""
        for offset, canonical, lab in reversed(self.history):
            if until - offset > _RECENT_CHARS:
                break
            if offset < before and lab == label:
                return canonical
        return None

    def _latest_organisation(self, before: int) -> str | None:
        """The organisation last quoted, else the last one named, within a few paragraphs."""
        quoted = self._last_quoted(before, "ORG", before)
        if quoted:
            return quoted
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0 and before - self.refs[i].end < _RECENT_CHARS:
            if self.refs[i].label == "ORG":
                return self.refs[i].canonical
            i -= 1
        return None

    def _document(self, start: int, before: int, noun: str) -> str:
        """The first phrase "<noun> ..." up to ``before`` (its own mention included), cut before the verb; when
        this mention is the first, a document just quoted ("A survey by X found ... the study shows"), else the
        mention itself."""
        lowered = self._lower()
        pos = lowered.find(noun, 0, before)
        while pos >= 0 and not _word_at(lowered, pos, noun):
            pos = lowered.find(noun, pos + 1, before)
        if pos >= start or pos < 0:
            if lowered[start:start + 4] == "the ":
                # the document just quoted, else the organisation just quoted ("the Defense Ministry claimed ...
                # “...,” the statement read": the ministry's)
                found = self._last_quoted(start, "DOC", before) or self._last_quoted(start, "ORG", before)
                if found:
                    return found
            return _strip_determiner(self.text[start:before]) or noun
        stop = min(_first_of(self.text, pos, ".;:\n"), pos + 80)
        for word in _DOCUMENT_CUTS:
            cut = self.text.find(word, pos, stop)
            if cut >= 0:
                stop = cut
        return self.text[pos:stop].strip(" ,")

    def _described_before(self, before: int, text: str) -> str | None:
        """The person an earlier mention described the same way, in other words: "Russia's leader" or "the
        Russian leader" after "Russian President Vladimir Putin", "the 69-year-old" after "Putin, 69," or
        "the 69-year-old Putin", "the billionaire" after "US billionaire hedge fund manager Bill Ackman"."""
        role = _strip_determiner(text).lower().replace("’", "'")
        before_name = after_name = None
        if (m := _HEAD_OF_COUNTRY.fullmatch(role)) is not None:
            country = m.group(1) or m.group(2)
            demonym = _DEMONYMS.get(country) or next((d for d in _DEMONYMS.values() if d.lower() == country), None)
            if demonym is None:
                return None
            names = [c for c, d in _DEMONYMS.items() if d == demonym]
            before_name = re.compile(rf"(?:\b{re.escape(demonym.lower())}|\b(?:{'|'.join(map(re.escape, names))})'s)"
                                     rf"\s+{_HEAD_TITLES}\s+$", re.I)
        elif (m := re.fullmatch(r"(\d{1,3})[- ]year[- ]old", role)) is not None:
            age = m.group(1)
            before_name = re.compile(rf"\b{age}-year-old\s+(?:[a-z]+\s+){{0,3}}$")
            after_name = re.compile(rf",\s*(?:aged\s+)?{age}\b")
        elif role in _DESCRIPTORS:
            before_name = re.compile(rf"\b{role}\s+(?:(?!{_NOT_IN_A_TITLE})[\w-]+\s+){{0,4}}$", re.I)
        if before_name is None:
            return None
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0:
            ref = self.refs[i]
            i -= 1
            if ref.label != "PERSON" or ref.end > before:
                continue
            lead = self.text[max(0, ref.start - 70):ref.start].replace("’", "'")
            if before_name.search(lead) or (after_name is not None and after_name.match(self.text, ref.end)):
                return self._person_name(ref) or ref.canonical
        return None

    def _role(self, before: int, text: str) -> str | None:
        """A title used earlier right next to a PERSON: "Chief of the General Staff Valery Gerasimov"."""
        role = _strip_determiner(text)
        if len(role) < 4 or not role[:1].isalpha():
            return None
        lowered = self._lower()
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


# A name followed by a common noun inside a mention modifies it: "the commander of the Azov regiment" (Azov
# tagged as a person), "the Trump administration".
_MODIFIER_AFTER = _pattern("modifier_after")
# A name that names a body, not a person, by the noun after it ("the Azov regiment", "the Trump administration").
_NAME_OF_A_BODY = _pattern("name_of_a_body")
# A person's name the tagger joined to the body before it: "Security Council Nikolay Patrushev".
_NAME_AFTER_BODY = _pattern("name_after_body")


def _best_entity(refs: list[EntityRef]) -> EntityRef:
    """The person a mention names (the last one: a noun phrase's head comes last), else its organisation ..."""
    people = [ref for ref in refs if ref.label == "PERSON"]
    if people:
        return people[-1]
    bodies = [ref for ref in refs if ref.label == "ORG" and ref.canonical.lower() not in _DEMONYMS]
    if bodies and len(bodies) < len([ref for ref in refs if ref.label == "ORG"]):
        return bodies[0]  # "the UK Ministry of Defence", the country tagged as an organisation of its own
    for label in ("ORG", "UNIT", "NORP", "GPE"):
        for ref in refs:
            if ref.label == label:
                return ref
    return refs[0]


_GENERIC_QUALIFIERS = _words("generic_qualifiers")


def _same_qualifiers(mention: str, canonical: str, noun: str) -> bool:
    """Whether an organisation noun's own modifiers ("infrastructure" in "Ukraine's infrastructure ministry") are
    all in the earlier organisation's name it would be resolved to; a bare "the ministry" always is."""
    words = [w for w in mention.lower().split() if w != noun and w not in _GENERIC_QUALIFIERS]
    name = canonical.lower()
    return all(w in name for w in words)


# A sentence start then at most a few capitalised title words before a name: "Former diplomat Henry Kissinger".
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?][\"”’)]?\s+)(?:[A-Z][\w.-]*\s+){0,3}(?:[a-z][\w-]*\s+){0,2}$")


# A name followed by its speech verb, perhaps after an apposition: "Iryna Venediktova told", "Vitaly Ganchev, the
# head of the administration, said".
_SPEAKS_AFTER = _pattern("speaks_after")
# A sentence opening with a participle of speaking: "Speaking at the UN, ..., Konstantin Vorontsov said".
_SPEAKING_OPENING = _pattern("speaking_opening")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
# How far after a role's mention the person it turns out to be may be named (:meth:`SpeakerResolver._named_next`).
_NAMED_AFTER_CHARS = 360
# State bodies that every country has, so their name alone does not say whose they are.
_BARE_BODY = _pattern("bare_body")
# "Ministry of Defence" read as "Defence Ministry", to compare two spellings of one body.
_MINISTRY_OF = _pattern("ministry_of")
# A country right before an organisation's name: "the UK Ministry of Defence".
_COUNTRY_BEFORE = _pattern("country_before")
# The words that end a document's first mention ("a report by X, published ..."), tried in order.
_DOCUMENT_CUTS = tuple(table("speakers")["document_cuts"])
# State and state-aligned outlets whose "the Defense Ministry" is their own country's.
_OUTLET_COUNTRIES = _mapping("outlet_countries")


def _spelled(name: str) -> str:
    """One spelling for comparing state bodies ("Defense Ministry" and "Ministry of Defence" alike)."""
    name = re.sub(r"\bDefense\b", "Defence", name)
    return _MINISTRY_OF.sub(lambda m: f"{m.group(1) or ''}{m.group(2)} Ministry", name)


def _given_name(before: str) -> re.Match | None:
    """A capitalised word right before a one-word name that may be its given name ("Rodion" before "Miroshnik"):
    no title, honorific, role or country."""
    given = re.search(r"(?<![\w'’-])([A-Z][a-z][\w'’-]*)\s+$", before)
    word = given.group(1).lower() if given else ""
    if not given or word in TITLES or word in _HONORIFICS or word in _PERSON_NOUNS or word in _DEMONYMS:
        return None
    return given


def _with_country(before: str, canonical: str) -> str:
    """An organisation's name with the country a possessive in front of it gives ("Russia's Emergencies Ministry"
    -> "Russian Emergencies Ministry"), when the name has none of its own."""
    if canonical.islower() and _BARE_BODY.fullmatch(canonical.title()):
        canonical = canonical.title()  # "Russia's defence ministry": one spelling for the body
    match = re.search(r"([A-Z][\w .]*?)['’]s\s+$", before) or _COUNTRY_BEFORE.search(before)
    if not match:
        return canonical
    owner = match.group(1).lower().removeprefix("the ").strip(" .")
    demonym = _DEMONYMS.get(owner)
    if demonym is None and owner in _CAPITALS and _BARE_BODY.fullmatch(canonical):
        demonym = _CAPITALS[owner].split()[0]  # "Moscow's Investigative Committee"; not "Kyiv's city council"
    if demonym is None or any(w.lower() in _DEMONYMS or w in _DEMONYMS.values() for w in canonical.split()):
        return canonical
    return f"{demonym} {canonical}"


def _looks_like_name(phrase: str) -> bool:
    """Two to four capitalised words ("Nino Nazarova"), none of them a common role or organisation noun."""
    words = phrase.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words) and not any(
        w.lower() in _PERSON_NOUNS or w.lower() in _ORG_NOUNS or w.lower() in _ORG_KINDS for w in words)


def _org_head(phrase: str) -> bool:
    """An organisation named by a common noun ("Ukraine's energy ministry"): what "it" may refer to."""
    words = phrase.lower().split()
    return bool(words) and words[-1] in _ORG_NOUNS


def _is_plural_noun(phrase: str) -> bool:
    words = phrase.split()
    return bool(words) and looks_plural(words[-1])


def _names_a_person(text: str) -> bool:
    """An organisation noun's phrase that names a person ("its chief prosecutor"); a person noun in the title
    of a body named in capitals ("the Ukrainian General Staff") does not."""
    words = text.split()
    titled = words[-1][:1].isupper() and words[-1].lower() not in _PERSON_NOUNS
    return any(w.lower() in _PERSON_NOUNS and not (titled and w[:1].isupper()) for w in words)


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
