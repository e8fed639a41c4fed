"""What a claim asserts about the state of the world, read from the parse: ``claims[].asserts``.

Three aspects (documented in docs/assertions.md; word lists in ``resources/en/asserts.toml``):

- ``control``: who holds a place. The agent of a verb of taking ("Russian forces captured Kupiansk", "Kupiansk was
  liberated by ..."), the other side of the agent of a verb of leaving ("withdrew from Kherson"), the subject of a
  verb of holding ("Our defenders continue to hold the city"), "under Kiev's control", "fell to", "Russian-held X".
  The place is the verb's object (or passive subject, or the "of"/"from" phrase of a noun such as "the liberation
  of"); "the city" is the settlement last named before the claim; a place named with a site ("the Zaporizhzhia
  nuclear plant", "Chaplyne railway station") is the site, a subject of its own.
- ``count``: what is counted (killed, wounded, captured, destroyed, lost), of whom or what, whose side, the
  quantity as given, and the event it belongs to (its place, possibly named a few sentences earlier, and date).
- ``blame``: the side said to be responsible for a strike, shelling or explosion ("accused Ukraine of shelling the
  plant", "Ukrainian shelling", "Russian troops struck ...").

None of these is read where the act is not asserted: under a modal or an intent ("will capture", "aims to take"),
in a clause that describes a noun or sets a time before ("Izium, which Russian forces captured in April", "before
the war"), or in a question. A denial is the denier's assertion of the opposite ("denied that Moscow's forces had
captured Kupiansk": Kupiansk is held by the other side). Sides come from :mod:`discernment.resolve.sides`: "our",
"its" and unmarked troops are the claimant's side, "the enemy" the other one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Iterator

from ..lexicon import pattern, table
from ..lexicon import text as _text
from ..model import Document, Place
from ..resolve.dates import find_dates
from ..resolve.quantities import find_quantities
from ..resolve.sides import SideTable, side_table
from .claims import _backgrounded

RU, UA = "RU", "UA"


@dataclass(frozen=True)
class Lexicon:
    raw: dict[str, Any]

    def words(self, section: str, key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in self.raw[section][key])

    def __getattr__(self, name: str):  # control_take -> raw["control"]["take"], as a frozenset, built once
        section, _, key = name.partition("_")
        try:
            value = self.words(section, key)
        except KeyError as exc:
            raise AttributeError(name) from exc
        object.__setattr__(self, name, value)  # later reads find the attribute and skip __getattr__
        return value


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon(table("asserts"))


def _words(section: str, key: str) -> frozenset[str]:
    return lexicon().words(section, key)


def _pattern(name: str) -> re.Pattern:
    """The regular expression ``name`` (dotted: ``places.region_after``) of asserts.toml, case-insensitive."""
    return pattern(name, file="asserts", flags=re.I)


# The word lists and patterns below are data, in resources/en/asserts.toml (each with a comment on what it is for).
# Auxiliaries of a forecast or a possibility, those of possibility, and conjunctions of a condition: no assertion.
_MODAL_AUX = _words("negation", "modal_aux")
_POSSIBLE = _words("negation", "possible")
_PERIOD_MARKS = _words("negation", "condition_marks")
# Words for the claimant's own side ("our"), possessives pointing back at it ("its"), and for the other side.
_FIRST_PERSON = _words("sides", "first_person")
_OWN = _words("sides", "own")
_ENEMY = _words("sides", "enemy")

# A place name that modifies the next word names no settlement held: "Kharkiv region", "the Kupiansk direction".
_REGION_AFTER = _pattern("places.region_after")
# "The death toll from the strike on ... has risen to": the number after it counts the dead.
_TOLL = _pattern("count.toll")
# A place named only to locate another: "a town southeast of Kharkiv", "near Izium", "40 km from Kherson".
_RELATIVE_LOCATION = _pattern("places.relative_location")
# Prepositions of a place where something happened ("of" only after an act or a settlement noun: see _locative).
_LOCATIVE_PREPS = _words("places", "locative_preps")
# Verbs whose object was hit, besides the act words of [blame] acts.
_HIT_VERBS = _words("blame", "hit_verbs")
# Nouns for a part of a settlement: "the centre of Donetsk", "the outskirts of Bakhmut".
_AREA_NOUNS = _words("places", "area_nouns")
# A number's own word as what was counted ("5 wounded"), words that say so after a number, and units of no count.
_CASUALTY_UNITS = dict(lexicon().raw["count"]["casualty_units"])
_OWN_WORDS = _words("count", "own_words")
_NOT_COUNTED = _words("count", "not_counted")
# "since" before a date: it starts a state ("under Russian control since March") and dates no claim.
_SINCE = _pattern("dates.since")
# A date that names a year only ("in 2022"): it does not date a state to a day, so the clause's tense decides.
_YEAR_ONLY = _pattern("dates.year_only")
# "early March", "mid-May", "late February": the day a claim is dated to within the month (a month alone is its
# first day), so that a capture "in late May" is not taken for one on the 1st.
_PART_OF_MONTH = _pattern("dates.part_of_month")
_PART_DAY = dict(lexicon().raw["dates"]["part_day"])
_REGION_WORD = _pattern("places.region_word")
# A share of a place before its name ("80% of the Luhansk region"), verbs of leaving whose object is the place
# ("abandoned Kherson"), and verbs that bring a place under a side's control ("came under Russian control").
_SHARE = _pattern("control.share")
_LEAVE_WITH_OBJECT = _words("control", "leave_with_object")
_CHANGE_VERBS = _words("control", "change_verbs")

# A dateline opening a paragraph: "KYIV, Aug 20 -", "KYIV, Ukraine (AP) —", "MOSCOW, November 21." The place in it
# is where the story was filed, never what a claim of the first sentence is about.
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Za-z'’.-]+(?:[ -][A-Z][A-Za-z'’.-]+){0,2})"
    r"(?:,[ \t]+[A-Z][A-Za-z .]{1,20}?)?(?:[ \t]+\([A-Za-z .]{2,20}\))?"
    r"(?:,[ \t]+[A-Z][a-z]{2,9}\.?[ \t]+\d{1,2}(?:,[ \t]+\d{4})?)?[ \t]*(?:[-–—]{1,2}|\.(?=[ \t]))[ \t]"
)


def other(side: str | None) -> str | None:
    return {RU: UA, UA: RU}.get(side or "")


def _site_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Site words (longest first) after a place name, before "in/at/near" a place name, and ending a phrase."""
    sites = sorted(lexicon().control_sites, key=len, reverse=True)
    alt = "|".join(re.escape(s) for s in sites)
    after = re.compile(r"[ \t]+(?:[Nn]uclear[ \t]+)?(?P<site>" + alt + r")\b", re.I)
    before = re.compile(r"\b(?P<site>" + alt + r")" + _text("control.site_before", file="asserts"), re.I)
    ending = re.compile(r"\b(?P<site>" + alt + r")$", re.I)
    return after, before, ending


_SITE_PATTERNS = _site_patterns()
# "Russian-held ", "the Ukrainian-controlled town of " before a place name.
_HELD = re.compile(r"(?P<side>[\w’'-]+?)-(?:" + "|".join(sorted(lexicon().control_held_adjectives)) +
                   r")\s+(?:(?:" + "|".join(lexicon().raw["control"]["held_between"]) + r")\s+){0,4}$", re.I)


def _normalised_site(words: str, nuclear: bool) -> str:
    """A site's wording as a subject key: "nuclear" kept when the text says it, then ``[sites]``."""
    site = re.sub(r"\s+", " ", words.lower())
    if nuclear and "nuclear" not in site:
        site = "nuclear " + site
    return lexicon().raw["sites"].get(site, site)


def site_of(text: str, place: Place) -> str | None:
    """The kind of site a place mention names ("nuclear power plant" for "Zaporizhzhia" in "the Zaporizhzhia
    nuclear plant"), normalised through ``[sites]``; None when the mention is the settlement itself."""
    after, before, _ = _SITE_PATTERNS
    m = after.match(text, place.end) or before.search(text, max(0, place.start - 40), place.start)
    if not m:
        return None
    nuclear = m.re is after and text[place.end:m.start("site")].strip().lower() == "nuclear"
    return _normalised_site(m.group("site"), nuclear)


class _Reader:
    """Reads the assertions of one document's claims; built once per document."""

    def __init__(self, doc: Document, sdoc, sides: SideTable):
        self.doc, self.sdoc, self.sides, self.lex = doc, sdoc, sides, lexicon()
        self.text = doc.text
        self.place_of_token: dict[int, int] = {}
        for i, p in enumerate(doc.places):
            span = sdoc.char_span(p.start, p.end, alignment_mode="expand")
            if span is not None:
                for t in span:
                    self.place_of_token.setdefault(t.i, i)
        datelines = {m.start("place") for m in _DATELINE.finditer(self.text)}
        self.dateline = [p.start in datelines for p in doc.places]
        self.settlement = [self._settlement(p) and not self.dateline[i] for i, p in enumerate(doc.places)]
        self.date_spans = [(e.start_char, e.end_char) for e in sdoc.ents if e.label_ == "DATE"]
        self._date_starts = [s for s, _ in self.date_spans]  # spaCy's entities come in text order
        # Places by start offset, so a sentence's places are found by bisection (a long text has thousands).
        self._place_order = sorted(range(len(doc.places)), key=lambda i: doc.places[i].start)
        self._place_starts = [doc.places[i].start for i in self._place_order]
        # the headline: a first line of its own, short, followed by a blank line
        first = self.text.find("\n\n")
        self.headline_end = first if 0 < first <= 200 and "\n" not in self.text[:first] else 0
        if first < 0 and len(self.text) <= 300:
            self.headline_end = len(self.text)  # a one-paragraph item (a wire flash, a subheading) is all headline
        self._dates: dict[int, list] = {}
        self._sites: dict[int, str | None] = {}

    # -- places --------------------------------------------------------------------------------------------------
    def places_between(self, start: int, end: int) -> list[int]:
        """Indexes of the places that start in [start, end), in text order."""
        lo, hi = bisect_left(self._place_starts, start), bisect_left(self._place_starts, end)
        return self._place_order[lo:hi]

    def places_before(self, before: int, reach: int) -> Iterator[int]:
        """Indexes of the places starting before ``before``, nearest first, as far back as ``reach`` characters
        (and a place name's length) before it."""
        for k in range(bisect_left(self._place_starts, before) - 1, -1, -1):
            if before - self._place_starts[k] > reach + 500:
                return
            yield self._place_order[k]

    def _settlement(self, p: Place) -> bool:
        """A populated place, or a name the gazetteer does not know (villages beyond its extract), unless the
        text calls it a region ("Kharkiv region", "the Donbas")."""
        if _REGION_AFTER.match(self.text, p.end) or _REGION_WORD.search(p.text):
            return False
        outlet = (self.doc.source.outlet or "").lower()
        if outlet and (outlet.startswith(p.text.lower()) or self.text[p.end:p.end + 4].lower() == ".net"):
            return False  # the outlet's own name in its credit line ("— Censor.NET")
        if p.geonames_id is None:
            return p.feature is None and p.text[:1].isupper()
        return (p.feature or "").lower() in self.lex.control_features

    def _places_in(self, tokens) -> list[int]:
        seen = []
        for t in tokens:
            i = self.place_of_token.get(t.i)
            if i is not None and i not in seen:
                seen.append(i)
        return seen

    def _phrase_tokens(self, tok):
        """The tokens of a noun phrase without the clauses that describe it."""
        skip = set()
        for t in tok.subtree:
            if t.dep_ in ("relcl", "acl", "advcl") and t.i != tok.i and t.head.i != tok.i:
                skip.update(x.i for x in t.subtree)
        return [t for t in tok.subtree if t.i not in skip]

    def place_of_phrase(self, tok, before: int) -> tuple[int | None, str | None]:
        """(place index, site) a noun phrase names: its first settlement or site; else, for "the city/town", the
        settlement last named before offset ``before``."""
        if tok is None:
            return None, None
        core = self._core(tok)
        if tok.dep_ == "appos" and tok.head.pos_ == "PROPN":
            core.append(tok.head)  # "Energodar, a city ... under the control of Russian troops"
        found = self._places_in(core)
        for i in found:
            site = self.site(i)
            if site:
                return i, site
        for i in found:
            if self.settlement[i]:
                return i, None
        site = None if found else self._site_words(tok)
        if site is not None:
            # "the plant", "Europe's largest nuclear power plant", "the ZNPP": the site of that kind named last
            for i in self.places_before(before, 3000):
                p = self.doc.places[i]
                named = self.site(i) if p.end <= before and before - p.end < 3000 else None
                if named and (named == site or site in self.lex.control_generic_sites and (
                        named.endswith(site) or site in ("facility", "site") or named.endswith("plant"))):
                    return i, named
            return None, None
        if tok.lemma_.lower() in self.lex.control_settlement_nouns and not found and any(
                c.lower_ in ("the", "this", "that") for c in tok.children):
            for i in self.places_before(before, 2500):
                p = self.doc.places[i]
                if p.end <= before and self.settlement[i] and before - p.end < 2500 and not site_of(self.text, p) \
                        and not _RELATIVE_LOCATION.search(self.text, max(0, p.start - 30), p.start):
                    return i, None
        return None, None

    def _core(self, tok, depth: int = 0) -> list:
        """The tokens that can name what a noun phrase is about: the head, its compounds and modifiers, its
        appositions and its "of" phrase ("the town of Kupyansk", "parts of Bakhmut"); not places that only locate
        it ("a coup in Kiev", "a town southeast of Kharkiv")."""
        out = [tok]
        if depth > 3:
            return out
        for c in tok.children:
            if c.dep_ in ("compound", "amod", "nmod", "appos", "npadvmod") and c.pos_ in ("PROPN", "NOUN", "ADJ"):
                out += self._core(c, depth + 1)
            elif c.dep_ == "prep" and c.lower_ == "of" and tok.pos_ in ("NOUN", "PROPN", "NUM"):
                out += [x for g in c.children if g.dep_ == "pobj" for x in self._core(g, depth + 1)]
            elif c.dep_ == "prep" and c.lower_ in ("in", "at", "near") and depth == 0 and self._site_words(tok):
                out += [x for g in c.children if g.dep_ == "pobj" for x in self._core(g, depth + 1)]
            elif c.dep_ == "conj" and self.place_of_token.get(c.i) is not None:
                out.append(c)
        return out

    def site(self, i: int) -> str | None:
        """The site a place mention names: by the words around it (:func:`site_of`), or by what the sentence says
        it is ("Zaporozhye is Europe's largest nuclear power plant", "Zaporozhye, the nuclear plant, ...")."""
        if i not in self._sites:
            self._sites[i] = self._find_site(i)
        return self._sites[i]

    def _find_site(self, i: int) -> str | None:
        p = self.doc.places[i]
        if not self.settlement[i]:
            return None  # "the railway station in Dnipropetrovsk region" names no one station
        site = site_of(self.text, p)
        if site:
            return site
        span = self.sdoc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            return None
        root = span.root
        described = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ == "be":
            described += [c for c in root.head.children if c.dep_ == "attr"]
        for d in described:
            site = self._site_words(d)
            if site:
                return site
        return None

    def _site_words(self, tok) -> str | None:
        """The kind of site a noun phrase without a place name names ("the plant", "the nuclear facility", "the
        ZNPP"), normalised; None when it names none."""
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        words = " " + " ".join(t.text for t in tok.subtree if tok.left_edge.i <= t.i <= tok.i)
        m = _SITE_PATTERNS[2].search(words)
        return _normalised_site(m.group("site"), "nuclear" in words.lower()) if m else None

    def region(self, place: int) -> str | None:
        """The region the sentence names for a place ("Kamianka in Ukraine's eastern Donetsk region"): the
        resolved name of the first region mentioned after it in its sentence, else before it; None when none is."""
        p = self.doc.places[place]
        tok = self.sdoc.char_span(p.start, p.end, alignment_mode="expand")
        if tok is None:
            return None
        sent = tok.root.sent
        regions = [q for q in (self.doc.places[i] for i in self.places_between(sent.start_char, sent.end_char))
                   if q.feature == "ADM1"]
        after = [q for q in regions if q.start >= p.end]
        pick = (after or regions[::-1] or [None])[0]
        return pick.name if pick is not None else None

    # -- sides ---------------------------------------------------------------------------------------------------
    def side_of_phrase(self, tok, claimant_side: str | None, military_only: bool = False) -> str | None:
        """RU or UA: the side a noun phrase (an agent, a possessor) stands for."""
        if tok is None:
            return None
        low = tok.lower_
        if low in _FIRST_PERSON:
            return claimant_side
        tokens = [t for t in self._phrase_tokens(tok) if t.i <= tok.i or t.dep_ in ("prep", "pobj", "compound")]
        words = {t.lower_ for t in tokens}
        if military_only and not ({t.lemma_.lower() for t in tokens} & self.lex.control_military_nouns) \
                and tok.ent_type_ not in ("GPE", "NORP", "ORG"):
            return None
        phrase = " ".join(t.text for t in tokens)
        side = self.sides.side(phrase)
        if side in (RU, UA):
            return side  # "the Russian occupiers" are Russian whoever speaks
        if words & _ENEMY:
            return other(claimant_side)
        if words & _FIRST_PERSON or any(t.dep_ == "poss" and t.lower_ in _OWN for t in tokens):
            return claimant_side
        if tok.lemma_.lower() in self.lex.control_military_nouns or (
                tok.lemma_.lower() in ("unit", "group") and any(t.lemma_.lower() == "force" for t in tokens)):
            return claimant_side  # unmarked troops in a side's own statement are its own
        return None

    # -- assertion status ------------------------------------------------------------------------------------
    def status(self, tok, start: int, end: int) -> str | None:
        """"asserted", "denied" (the claim asserts the opposite) or None (a forecast, an intent, a condition,
        background, a report of someone else's claim)."""
        lex = self.lex
        if _backgrounded(tok, start, end):
            return None
        denied = any(c.dep_ == "neg" for c in tok.children)
        ancestors = []  # the heads whose content this clause is; a clause beside one ("saying ...") is not
        a = tok
        while a.head.i != a.i and a.dep_ not in ("advcl", "conj", "parataxis", "relcl"):
            a = a.head
            ancestors.append(a)
        denials = [i for i, a in enumerate(ancestors) if a.lemma_.lower() in lex.negation_deny]
        t = tok
        while True:
            aux = {c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass")}
            perfect = bool(aux & {"have", "has", "had"})
            if aux & (_MODAL_AUX - _POSSIBLE) or (aux & _POSSIBLE and not perfect):
                return None
            if t.dep_ == "advcl" and ({c.lower_ for c in t.children if c.dep_ == "mark"} & _PERIOD_MARKS
                                      or "to" in aux):
                return None
            if t.dep_ in ("xcomp", "ccomp") and t.head.lemma_.lower() in lex.negation_intent:
                return None
            if t.dep_ == "acl" and "to" in aux:
                return None  # "an attempt to seize"
            if t.head.i == t.i:
                break
            t = t.head
            lemma = t.lemma_.lower()
            if lemma in lex.negation_deny and t in ancestors:
                denied = not denied
            elif lemma in lex.negation_report_nouns and t.pos_ == "NOUN" and not any(
                    ancestors[i].i != t.i and t in ancestors[i].subtree for i in denials):
                return None  # "Russian claims that ... captured": whoever made them asserts it, unless denied
            elif lemma in lex.negation_intent and t.pos_ in ("VERB", "NOUN", "AUX"):
                return None
        sent = tok.sent
        if sent.text.rstrip().endswith("?"):
            return None
        return "denied" if denied else "asserted"

    # -- dates ---------------------------------------------------------------------------------------------------
    def as_of(self, tok) -> str | None:
        """The date the clause of ``tok`` (or a clause above it) gives; else the publication date."""
        return self.dated(tok)[0]

    def dated(self, tok) -> tuple[str | None, bool | str]:
        """(date, how the text dates it): the date whose clause governs ``tok`` (its own clause first, then each
        clause above it) and True; else the publication date and "tense" for an act told in the simple past, False
        otherwise. A date after publication is a target ("by 2045") and
        one after "since" starts a state ("under Russian control since March"): neither dates the claim."""
        published = self.doc.source.published
        sent = tok.sent
        if sent.start not in self._dates:
            self._dates[sent.start] = [d for d in find_dates(self.text, published, sent.start_char, sent.end_char,
                                                             self.date_spans[
                                                                 bisect_left(self._date_starts, sent.start_char):
                                                                 bisect_left(self._date_starts, sent.end_char)])
                                       if d.value]
        dates = self._dates[sent.start]
        if not dates:
            return self._undated(tok)
        chain = {tok.i: 0}
        t, depth = tok, 0
        while t.head.i != t.i:
            t, depth = t.head, depth + 1
            chain[t.i] = depth
        best = None
        for d in dates:
            if published and d.value > published:
                continue  # a target date ("by 2045") is no date of the state
            if _SINCE.search(self.text, max(0, d.start - 12), d.start) or d.text.lower().startswith("since"):
                continue
            if _YEAR_ONLY.fullmatch(d.text.strip()):
                continue
            part = _PART_OF_MONTH.match(d.text)
            if part and d.value.endswith("-01"):
                d = replace(d, value=f"{d.value[:8]}{_PART_DAY[part.group('part').lower()]:02d}")
            span = self.sdoc.char_span(d.start, d.end, alignment_mode="expand")
            if span is None:
                continue
            a = span.root
            while a.head.i != a.i and a.i not in chain:
                a = a.head
            if a.i in chain and (best is None or chain[a.i] < best[0]):
                best = (chain[a.i], d.value)
        if best:
            return best[1], True
        return self._undated(tok)

    def _undated(self, tok) -> tuple[str | None, bool | str]:
        published = self.doc.source.published
        # no date in the text: an act told in the simple past ("Russian missiles struck port facilities") is news of
        # the day of publication or the day before; a perfect or a present is a recap or a habit
        if tok.idx < self.headline_end:
            return published, "tense"  # a headline tells the day's news in the present: "Russia shells Nikopol"
        verb = tok if tok.pos_ in ("VERB", "AUX") else next((a for a in tok.ancestors if a.pos_ == "VERB"), None)
        if verb is not None and verb.tag_ == "VBD" and not any(
                c.dep_ in ("aux", "auxpass") and c.lower_ in ("have", "has", "had") for c in verb.children):
            return published, "tense"
        return published, False

    # -- control -------------------------------------------------------------------------------------------------
    def control(self, start: int, end: int, claimant_side: str | None) -> list[dict]:
        lex = self.lex
        out = []
        span = self.sdoc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return out
        for tok in span:
            lemma = tok.lemma_.lower()
            found = None
            if tok.pos_ in ("VERB", "AUX") or tok.tag_ in ("VBN", "VBD", "VBG"):
                if lemma in lex.control_take:
                    found = self._take_verb(tok, claimant_side)
                elif lemma in lex.control_leave:
                    found = self._leave_verb(tok, claimant_side)
                elif lemma in lex.control_hold:
                    found = self._hold_verb(tok, claimant_side)
                elif lemma == "fall":
                    found = self._fall(tok, claimant_side)
            elif tok.pos_ == "NOUN" and lemma in lex.control_take_nouns | lex.control_leave_nouns:
                found = self._taking_noun(tok, claimant_side)
            if lemma == "control" and tok.pos_ == "NOUN" and found is None:
                found = self._under_control(tok, claimant_side)
            if found is None:
                continue
            holder, obj, change, cue = found
            if holder not in (RU, UA):
                continue
            place, site = self.place_of_phrase(obj, start)
            if place is None or not (start <= self.doc.places[place].start < end or obj.lemma_.lower()
                                     in lex.control_settlement_nouns or site and self._site_words(obj)):
                continue
            st = self.status(cue, start, end)
            if st is None:
                continue
            if st == "denied":
                holder, change = other(holder), False
            extent, share = self._extent(obj, cue, place)
            for i in [place] + self._conjoined(place, start, end):  # "withdrew from Balakliia and Izium"
                out.append({"aspect": "control", "place": i, "site": site if i == place else self.site(i),
                            "holder": holder, "extent": extent, "share": share, "change": change,
                            "as_of": self.as_of(cue), "region": self.region(i), "cue": _span(cue),
                            "denied": st == "denied"})
        out += self._held_adjectives(start, end, {a["place"] for a in out})
        return _unique(out, ("place", "site", "as_of"))

    def _conjoined(self, place: int, start: int, end: int) -> list[int]:
        """The settlements joined to a place by "and"/"or" in the claim ("Balakliia and Izium", "Lyman, Kupiansk
        and Izium"): each is held as the first is."""
        p = self.doc.places[place]
        span = self.sdoc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            return []
        out = []
        for c in span.root.conjuncts:
            i = self.place_of_token.get(c.i)
            if i is not None and i != place and i not in out and self.settlement[i] \
                    and start <= self.doc.places[i].start < end:
                out.append(i)
        return out

    def _subject(self, verb):
        """The verb's subject; through xcomp and conj heads ("continue to hold", "entered and captured")."""
        t = verb
        for _ in range(4):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
            if subj is not None:
                return subj
            if t.dep_ in ("xcomp", "conj", "advcl") and t.head.i != t.i:
                t = t.head
            else:
                return None
        return None

    def _agent(self, verb, inherit: bool = True):
        """The doer of a verb: its "by" phrase when passive, else its active subject (with ``inherit``, one its
        head gives it: "continue to hold", "entered and captured")."""
        by = next((c for c in verb.children if c.dep_ == "agent"), None)
        if by is not None:
            return next((g for g in by.children if g.dep_ == "pobj"), None)
        if self._passive(verb):
            return None
        subj = self._subject(verb) if inherit else next((c for c in verb.children if c.dep_ == "nsubj"), None)
        return subj if subj is None or subj.dep_ != "nsubjpass" else None

    @staticmethod
    def _passive(verb) -> bool:
        deps = {c.dep_ for c in verb.children}
        if verb.dep_ == "conj" and verb.tag_ == "VBN" and not deps & {"nsubj", "aux"} and verb.head.i != verb.i:
            return _Reader._passive(verb.head)  # "was captured by ... and retaken by ..."
        return bool(deps & {"auxpass", "nsubjpass"}) or (
            verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod") and verb.head.pos_ in ("NOUN", "PROPN")
            and not deps & {"nsubj", "aux"})

    def _object(self, verb):
        """What a verb of taking or holding acts on: its object, or its passive subject."""
        dobj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        if dobj is None:  # the parser hangs an unknown town's name on the verb as a modifier: "recaptured Lyman"
            dobj = next((c for c in verb.children if c.dep_ == "npadvmod" and c.pos_ == "PROPN" and c.i == verb.i + 1
                         and self.place_of_token.get(c.i) is not None), None)
        if dobj is not None:
            if dobj.lemma_.lower() == "control":
                of = next((c for c in dobj.children if c.dep_ == "prep" and c.lower_ in ("of", "over")), None)
                return next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
            return dobj
        if self._passive(verb):
            subj = self._subject(verb)
            if subj is not None and subj.dep_ == "nsubjpass":
                return subj
            if verb.dep_ in ("acl", "amod"):
                return verb.head
        # "took control of": spaCy hangs "of X" on the verb at times
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "over") and any(d.lemma_.lower() == "control"
                                                                       for d in verb.children):
                return next((g for g in c.children if g.dep_ == "pobj"), None)
        return None

    def _take_verb(self, verb, claimant_side):
        lemma = verb.lemma_.lower()
        obj = self._object(verb)
        if obj is None:
            return None
        if lemma == "take" and not any(c.lemma_.lower() == "control" for c in verb.children) and \
                self.place_of_phrase(obj, obj.idx)[0] is None:
            return None  # "took part", "took two hours": "take" takes a place only as "take control" or "take X"
        if lemma in ("capture", "seize", "take") and self.place_of_token.get(obj.i) is None and (
                obj.ent_type_ == "PERSON" or obj.lower_ in ("him", "her", "them")):
            return None  # a prisoner taken
        agent = self._agent(verb)
        if agent is not None:
            side = self.side_of_phrase(agent, claimant_side, military_only=lemma == "enter")
        elif lemma in self.lex.control_own_side_when_no_agent:
            side = claimant_side
        else:
            side = None
        change = not (lemma == "occupy" and self._passive(verb))  # "has been occupied since March": a state
        return side, obj, change, verb

    def _leave_verb(self, verb, claimant_side):
        lemma = verb.lemma_.lower()
        obj = None
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("from", "out"):
                obj = next((g for g in c.subtree if g.dep_ == "pobj"), None)
            elif c.dep_ == "prt" and c.lower_ == "out":
                of = next((g for g in verb.children if g.dep_ == "prep" and g.lower_ == "of"), None)
                obj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else obj
        moved = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        if moved is not None and lemma in ("withdraw", "pull", "evacuate") and \
                moved.lemma_.lower() not in self.lex.control_military_nouns:
            return None  # "withdrew equipment from Mariupol", "evacuated civilians from": no place given up
        if obj is None and lemma in _LEAVE_WITH_OBJECT:
            obj = self._object(verb)
            if (
                lemma == "lose"
                and obj is not None
                and obj.lemma_.lower() != "control"
                and self.place_of_token.get(obj.i) is None
                and obj.lemma_.lower() not in self.lex.control_settlement_nouns
            ):
                return None  # "lost 400 soldiers" is a count, not ground
        if obj is None or lemma == "pull" and not any(c.lower_ in ("out", "back") for c in verb.children):
            return None
        agent = self._agent(verb)
        side = self.side_of_phrase(agent, claimant_side, military_only=lemma in ("leave", "flee", "evacuate"))
        return other(side), obj, True, verb

    def _hold_verb(self, verb, claimant_side):
        obj = self._object(verb)
        if obj is None:
            return None
        agent = self._agent(verb)
        side = self.side_of_phrase(agent, claimant_side)
        if verb.lemma_.lower() == "defend" and side is None:
            return None
        return side, obj, False, verb

    def _fall(self, verb, claimant_side):
        to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "under")), None)
        if to is None:
            return None
        pobj = next((g for g in to.children if g.dep_ == "pobj"), None)
        if pobj is None:
            return None
        if pobj.lemma_.lower() == "control":
            side = self._control_owner(pobj, claimant_side)
        else:
            side = self.side_of_phrase(pobj, claimant_side)
        return side, self._subject(verb), True, verb

    def _taking_noun(self, noun, claimant_side):
        lemma = noun.lemma_.lower()
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "from")), None)
        obj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        if obj is None:
            return None
        agent = next((c for c in noun.children if c.dep_ == "poss"), None)
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        if by is not None:
            agent = next((g for g in by.children if g.dep_ == "pobj"), None)
        side = self.side_of_phrase(agent, claimant_side) if agent is not None else None
        if side is None:
            adj = next((c for c in noun.children if c.dep_ in ("amod", "compound")
                        and self.sides.side(c.text) in (RU, UA)), None)
            side = self.sides.side(adj.text) if adj is not None else None
        if side is None and noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ == "VERB":
            side = self.side_of_phrase(self._agent(noun.head), claimant_side)  # "Units ... completed the liberation"
        if side is None and lemma == "liberation":
            side = claimant_side
        if lemma in self.lex.control_leave_nouns:
            side = other(side)
        return side, obj, lemma != "occupation", noun.head if noun.head.pos_ == "VERB" else noun

    def _control_owner(self, control, claimant_side) -> str | None:
        """Whose control a "control" noun names: "Ukrainian control", "Kiev's control", "control of Russia"."""
        for c in control.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                side = self.side_of_phrase(c, claimant_side)
                if side:
                    return side
            if c.dep_ == "prep" and c.lower_ == "of":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and self.place_of_token.get(pobj.i) is None or (
                        pobj is not None and self.sides.side(pobj.text)):
                    return self.side_of_phrase(pobj, claimant_side)
        return None

    def _under_control(self, control, claimant_side):
        """"X (remains) under Ukrainian control", "Russian forces are in control of X"."""
        prep = control.head
        if control.dep_ != "pobj" or prep.lower_ not in ("under", "in"):
            return None
        if prep.lower_ == "in":  # "in control of X": the subject holds X
            of = next((c for c in control.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
            verb = prep.head
            return self.side_of_phrase(self._subject(verb), claimant_side), obj, False, verb
        side = self._control_owner(control, claimant_side)
        head = prep.head
        if head.pos_ in ("NOUN", "PROPN"):
            return side, head, head.dep_ == "pobj" and head.head.lower_ == "to", control
        subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        # "The regional capital Zaporozhye remains ...": the parser may give two subjects; the one with a place
        subj = next((c for c in subjects if self.place_of_phrase(c, c.idx)[0] is not None), None) or \
            self._subject(head)
        change = head.lemma_.lower() in _CHANGE_VERBS
        obj = subj if subj is not None else next((c for c in head.children if c.dep_ == "dobj"), None)
        return side, obj, change, head

    def _held_adjectives(self, start: int, end: int, done: set[int]) -> list[dict]:
        """"Russian-held Kherson", "the Ukrainian-controlled town of Siversk": a state, said in passing, in the
        outlet's own words whoever the sentence quotes (``voice: "outlet"``)."""
        out = []
        for i in self.places_between(start, end):
            p = self.doc.places[i]
            if i in done or not self.settlement[i]:
                continue
            m = _HELD.search(self.text, max(start, p.start - 60), p.start)
            if not m:
                continue
            side = self.sides.side(m.group("side"))
            if side not in (RU, UA):
                continue
            tok = self.sdoc.char_span(p.start, p.end, alignment_mode="expand")
            if tok is None or self.status(tok.root, start, end) is None and tok.root.dep_ != "pobj":
                continue
            out.append({"aspect": "control", "place": i, "site": self.site(i), "holder": side,
                        "extent": "full", "share": None, "change": False, "as_of": self.as_of(tok.root),
                        "region": self.region(i), "voice": "outlet",
                        "cue": {"start": m.start(), "end": m.end(), "text": self.text[m.start():m.end()].rstrip()},
                        "denied": False})
        return out

    def _extent(self, obj, cue, place: int) -> tuple[str, float | None]:
        lex = self.lex
        p = self.doc.places[place]
        left = self.text[max(0, obj.left_edge.idx, p.start - 60):p.start]
        share = _SHARE.search(left)
        if share:
            value = float(share.group(1)) / 100
            return ("full" if value >= 1 else "partial"), round(min(value, 1.0), 4)
        words = {t.lemma_.lower() for t in obj.subtree if t.idx < p.start} | {obj.lemma_.lower()}
        if words & lex.control_partial:
            return "partial", None
        return "full", None

    # -- counts --------------------------------------------------------------------------------------------------
    def counts(self, start: int, end: int, claimant_side: str | None) -> list[dict]:
        out = []
        for q in find_quantities(self.text, start, end):
            if not q.unit:
                toll = self._toll(q, start, end, claimant_side)
                if toll is not None:
                    out.append(toll)
                continue
            if q.unit in _NOT_COUNTED or q.unit.startswith(("$", "€", "£")):
                continue
            span = self.sdoc.char_span(q.start, q.end, alignment_mode="expand")
            if span is None:
                continue
            num = span[-1]
            noun = num.head if num.dep_ in ("nummod", "quantmod", "amod", "compound") else num
            if noun.dep_ in ("pobj",) and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in (
                    "unit", "piece"):
                noun = noun.head.head.head if noun.head.head.dep_ == "pobj" else noun
            what, verb = self._what(noun)
            of = self._counted(noun, q.unit)
            if q.unit.lower() in _CASUALTY_UNITS:  # "5 wounded", "12 injured", "3 dead": the number's own word
                what, verb, of = _CASUALTY_UNITS[q.unit.lower()], num, "people"
            if what is None:
                continue
            if of is None:
                continue
            cue = verb if verb is not None else noun
            st = self.status(cue, start, end)
            if st != "asserted":
                continue
            side = self._victim_side(noun, verb, claimant_side)
            sentence = cue.sent
            tally = self._tally(sentence)
            event = None if tally else self.event(sentence, start)
            # "Six adults and 11 children were killed": each figure is part of the toll, not the toll
            part = any(c.dep_ == "conj" and any(g.like_num for g in c.subtree) for c in noun.children) or (
                noun.dep_ == "conj" and any(g.like_num for g in noun.head.children))
            out.append({"aspect": "count", "what": what, "of": of, "side": side, "part": part,
                        "quantity": q.to_dict(),
                        "event": event, "as_of": self.as_of(cue), "tally": tally, "cue": _span(cue)})
        return out

    def _toll(self, q, start: int, end: int, claimant_side: str | None) -> dict | None:
        """"The death toll ... has risen to 25": a count of people killed with no noun after the number."""
        m = _TOLL.search(self.text, max(start, q.start - 160), q.start)
        if m is None:
            return None
        span = self.sdoc.char_span(m.start("toll"), m.end("toll"), alignment_mode="expand")
        if span is None or self.status(span.root.head if span.root.dep_ == "nsubj" else span.root, start, end) \
                != "asserted":
            return None
        cue = span.root
        what = "wounded" if m.group("kind").lower() in ("injury", "injuries") else "killed"
        sentence = cue.sent
        tally = self._tally(sentence)
        return {"aspect": "count", "what": what, "of": "people", "side": None, "quantity": q.to_dict(),
                "event": None if tally else self.event(sentence, start), "as_of": self.as_of(cue), "tally": tally,
                "cue": _span(cue)}

    def _tally(self, sentence) -> bool:
        """A daily or running total ("in the past 24 hours", "since the start of the war"): no one event."""
        low = sentence.text.lower()
        return any(w in low for w in self.lex.count_tally)

    def _what(self, noun) -> tuple[str | None, Any]:
        lex = self.lex
        cands = [noun]
        if noun.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "pobj", "conj", "appos"):
            cands.append(noun.head)
            if noun.head.dep_ in ("prep", "agent", "conj"):
                cands.append(noun.head.head)
        for c in noun.children:
            if c.dep_ in ("amod", "acl", "relcl") or c.tag_ in ("VBN", "JJ"):
                cands.append(c)
        for t in cands:
            lemma = t.lemma_.lower()
            if t.i == noun.i and lemma not in _OWN_WORDS and t.lower_ not in _OWN_WORDS:
                continue
            if t.i == noun.i:
                lemma = t.lower_  # "12 injured", "5 wounded": the word itself says what was counted
            for name in ("killed", "wounded", "captured", "destroyed"):
                if lemma in lex.raw["count"][name] or t.lower_ in lex.raw["count"][name]:
                    if lemma in ("lose", "loss"):
                        return "lost", t
                    if name == "destroyed" and lemma in lex.count_killed and noun.lemma_.lower() not in \
                            lex.count_equipment:
                        return "killed", t
                    if name == "killed" and noun.lemma_.lower() in lex.count_equipment:
                        return "destroyed", t
                    return name, t
        return None, None

    def _counted(self, noun, unit: str) -> str | None:
        lex = self.lex
        forms = []
        for w in (noun.lemma_.lower(), noun.lower_, (unit or "").lower()):
            forms += [w, re.sub(r"men$", "man", w), w[:-1] if w.endswith("s") else w, re.sub(r"ies$", "y", w)]
        for lemma in forms:
            if lemma in lex.count_civilians:
                return "civilians"
            if lemma in lex.count_people:
                return "people"
            if lemma in lex.count_military:
                return "soldiers"
            if lemma in lex.count_equipment:
                return lemma
        return None

    def _victim_side(self, noun, verb, claimant_side) -> str | None:
        for c in noun.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                side = self.sides.side(c.text)
                if side in (RU, UA):
                    return side
                if c.lower_ in _ENEMY:
                    return other(claimant_side)
        if noun.lower_ in _ENEMY or noun.lemma_.lower() in ("invader", "occupier"):
            return other(claimant_side)
        if verb is not None and verb.lemma_.lower() in ("lose",):
            subj = self._subject(verb)
            return self.side_of_phrase(subj, claimant_side) if subj is not None else None
        return None

    def event(self, sentence, before: int) -> dict | None:
        """The event a count belongs to: the site or settlement and the act named in its sentence, else in one of
        the few sentences before it (the station named two sentences earlier)."""
        sents = [sentence]
        prev = sentence
        for _ in range(int(self.lex.raw["count"]["sentences_back"])):
            if prev.start == 0:
                break
            prev = self.sdoc[prev.start - 1].sent
            sents.append(prev)
        paragraph_start = self.text.rfind("\n", 0, sentence.start_char) + 1
        for k, s in enumerate(sents):
            if k > 0 and s.end_char <= paragraph_start:
                break  # the event is named in the same paragraph, or not at all
            act = next((t for t in s if t.lemma_.lower() in self.lex.blame_acts and not self.habitual(t)), None)
            places = self._located(act) if act is not None else []
            places = places or [i for i in self._places_in(s) if self.settlement[i] and self._locative(i)]
            if k == 0 and act is not None and not places and not any(
                    c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in act.children):
                return None  # the count's own sentence tells an act of its own without a place ("Three of those
                # hit ..."); "the strike killed ..." points back to the strike named before
            if not places or (k > 0 and act is None):
                continue
            sited = [i for i in places if self.site(i)]
            place = (sited or places)[0]
            date, dated = self.dated(act if act is not None else s.root)
            if not dated and k > 0:
                date, dated = self.dated(sentence.root)
            return {"place": place, "site": self.site(place), "act": act.lemma_.lower() if act is not None else None,
                    "date": date, "dated": dated, "sentences_back": k}
        return None

    def habitual(self, tok) -> bool:
        """An act told as a habit or a series, not one event: "have repeatedly targeted", "constant attacks"."""
        words = {c.lower_ for c in tok.children} | {c.lower_ for c in tok.head.children}
        return bool(words & self.lex.blame_habitual)

    def _locative(self, i: int) -> bool:
        """Whether a place mention says where something happened ("in Kharkiv", "shelled Energodar", "at Chaplyne
        railway station"), rather than standing for a government ("Kiev shelled ...", "accused Moscow of") or
        describing a person ("Zaporizhzhia's governor")."""
        p = self.doc.places[i]
        span = self.sdoc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            return False
        t = span.root
        for _ in range(3):
            if t.dep_ == "pobj" and t.head.lower_ in _LOCATIVE_PREPS:
                if t.head.lower_ != "of":
                    return True
                owner = t.head.head  # "the shelling of Nikopol", "the city of Kherson"
                return owner.lemma_.lower() in self.lex.blame_acts | self.lex.control_settlement_nouns \
                    | self.lex.control_partial | _AREA_NOUNS or self.site(i) is not None
            if t.dep_ in ("dobj", "nsubjpass") and t.head.lemma_.lower() in self.lex.blame_acts | _HIT_VERBS:
                return True
            if t.dep_ in ("compound", "nmod", "amod", "appos") and t.head.pos_ in ("NOUN", "PROPN"):
                t = t.head  # "at Chaplyne railway station", "the Kherson market"
                continue
            return False
        return False

    def _located(self, act) -> list[int]:
        """Places among an act's own arguments: what it hit ("shelled Energodar", "the shelling of Nikopol") or
        where ("struck ... in Kharkiv", "an attack on the plant")."""
        out = []
        args = [c for c in act.children if c.dep_ in ("dobj", "nsubjpass") or c.dep_ == "prep" and
                c.lower_ in _LOCATIVE_PREPS and c.lower_ != "of" or c.dep_ == "prep" and c.lower_ == "of" and
                act.pos_ == "NOUN"]
        if act.dep_ in ("nsubj", "dobj", "nsubjpass", "pobj") and act.head.lemma_.lower() in _HIT_VERBS:
            # "a missile hit the station in Chaplyne", "Ukrainian shelling struck the city"
            args += [c for c in act.head.children if c.i != act.i and (
                c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ in _LOCATIVE_PREPS)]
        for c in args:
            target = next((g for g in c.children if g.dep_ == "pobj"), None) if c.dep_ == "prep" else c
            if target is None:
                continue
            place, _ = self.place_of_phrase(target, target.idx)
            if place is not None:
                out.append(place)
            else:
                out += [i for i in self._places_in(c.subtree) if self.settlement[i] and self._locative(i)]
        return list(dict.fromkeys(out))

    # -- blame ---------------------------------------------------------------------------------------------------
    def blame(self, start: int, end: int, claimant_side: str | None) -> list[dict]:
        from .events import _accused

        out = []
        span = self.sdoc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return out
        for tok in span:
            lemma = tok.lemma_.lower()
            if lemma not in self.lex.blame_acts or tok.pos_ not in ("NOUN", "VERB"):
                continue
            side = None
            accused = _accused(tok)
            if accused is not None:
                side = self.side_of_phrase(accused, claimant_side)
            if side is None:
                for c in tok.children:
                    if c.dep_ in ("amod", "compound", "poss") and self.sides.side(c.text) in (RU, UA):
                        side = self.sides.side(c.text)
                        break
            if side is None and tok.i > 0 and tok.tag_ in ("VBG", "NN", "NNS"):
                prev = tok.doc[tok.i - 1]  # "Russian shelling", parsed or not as its modifier
                if prev.ent_type_ in ("NORP", "GPE") and self.sides.side(prev.text) in (RU, UA):
                    side = self.sides.side(prev.text)
            if side is None and tok.pos_ == "VERB":
                agent = self._agent(tok, inherit=False)
                side = self.side_of_phrase(agent, claimant_side) if agent is not None else None
            if side is None and tok.pos_ == "NOUN":
                by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"), None)
                agent = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
                side = self.side_of_phrase(agent, claimant_side) if agent is not None else None
            if side not in (RU, UA):
                continue
            if self.habitual(tok) or tok.pos_ == "VERB" and tok.tag_ in ("VB", "VBP", "VBZ") and not any(
                    c.dep_ in ("aux", "auxpass") for c in tok.children):
                continue  # a habit ("have repeatedly shelled") or a present of habit ("only strike military targets")
            places = self._located(tok) or [i for i in self._places_in(tok.sent) if self.settlement[i]
                                            and start <= self.doc.places[i].start < end and self._locative(i)]
            if not places:
                continue
            st = self.status(tok, start, end) if accused is None else "asserted"
            if st is None:
                continue
            if st == "denied":
                side = other(side)
            sited = [i for i in places if self.site(i)]
            place = (sited or places)[0]
            date, dated = self.dated(tok)
            out.append({"aspect": "blame", "act": lemma, "blamed": side, "place": place,
                        "site": self.site(place), "as_of": date, "dated": dated,
                        "cue": _span(tok), "denied": st == "denied"})
        return _unique(out, ("place", "site"))


def _span(tok) -> dict:
    return {"start": tok.idx, "end": tok.idx + len(tok.text), "text": tok.text}


def _unique(items: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """The first assertion per subject: a claim says one thing about each place."""
    seen, out = set(), []
    for a in items:
        k = tuple(a.get(k) for k in keys)
        if k not in seen:
            seen.add(k)
            out.append(a)
    return out


def read_assertions(doc: Document, sdoc, spans: list[tuple[int, int, str | None]],
                    sides: SideTable | None = None) -> list[list[dict]]:
    """For each claim span (start, end, claimant name): its assertions, control first, then counts, then blame."""
    sides = sides or side_table()
    reader = _Reader(doc, sdoc, sides)
    out = []
    for start, end, claimant in spans:
        claimant_side = sides.side(claimant) if claimant else None
        if claimant_side not in (RU, UA):
            claimant_side = None
        found = reader.control(start, end, claimant_side) + reader.counts(start, end, claimant_side) + \
            reader.blame(start, end, claimant_side)
        out.append(found)
    return out
