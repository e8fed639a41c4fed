"""``places.v1``: place names in the text, resolved to coordinates through the gazetteer.

Detection joins two sources: spaCy's GPE/LOC/FAC entities, and a gazetteer matcher over runs of proper nouns
(spaCy's small model tags "Kryvyi Rih" or "Odesa and Mykolaiv" as PERSON). Hyphenated pairs ("the
Nikolaev-Krivoy Rog direction") are split when the whole is not a name. A following "region/oblast/province"
is kept in the span and asks for the admin-1 region; "direction/axis/front" and "the city/town/village of"
ask for a populated place. Demonyms (NORP) and names inside ORG entities are left alone; a PERSON entity
counts only when every part of it is a place name. Resolution is :mod:`discernment.resolve.geocode`.

A GPE/LOC entity that the gazetteer does not know is kept with null coordinates and score 0, so one
unresolvable name never hides the others. ``doc.cache["places.metonymic"]`` holds the indexes of places used
as an actor ("Moscow said..."), for the events component.
"""

from __future__ import annotations

import weakref

from .. import registry
from ..config import Config
from ..lexicon import table, words
from ..model import Document, Place
from ..pipeline import Component, Resources
from ..resolve.dates import DATEISH as _DATEISH
from ..resolve.gazetteer import Candidate, Gazetteer, looks_abbreviated
from ..resolve.geocode import HINT_ADMIN1, HINT_CITY, HINT_COUNTY, Mention, Weights, resolve_mentions


def _words(name: str) -> frozenset[str]:
    return words(name, file="places")


# The word lists are data: resources/en/places.toml, each with what it is for.
_ADMIN_WORDS = _words("admin_words")
_COUNTY_WORDS = _words("county_words")
_ADMIN_BEFORE_OF = _words("admin_before_of")
_ADMIN_PLURALS = _words("admin_plurals")
_CITY_AFTER = _words("city_after")
_FEATURE_AFTER = _words("feature_after")
_FEATURE_BEFORE = _words("feature_before")
_CITY_BEFORE = _words("city_before")
_CONNECTORS = _words("connectors")
_FORMATION_AFTER = _words("formation_after")
_COMPASS = _words("compass")
_NOT_PLACES = _words("not_places")
_SPEECH = _words("speech")
_NOT_GIVEN = _words("not_given") | _COMPASS
_TITLES = _words("titles")
_ENTITY_JOINERS = _words("entity_joiners")
_DEMONYM_ENDINGS = tuple(table("places")["demonym_endings"])
# (matched as written: not lower-cased)
_NO_PLACE_ALONE = frozenset(table("places")["no_place_alone"])
_MAX_TOKENS = 5


class Places(Component):
    name = "places.v1"
    requires = ("doc.spacy",)
    assigns = ("doc.places",)

    def __init__(self, resources: Resources, weights: Weights, fuzzy: bool = True, min_population: int = 1000):
        self.resources = resources
        self.weights = weights
        self.fuzzy = fuzzy
        self.min_population = min_population

    @property
    def gazetteer(self) -> Gazetteer:
        return self.resources.get("gazetteer")

    def __call__(self, doc: Document) -> Document:
        sdoc = doc.cache["spacy"]
        mentions = detect_mentions(sdoc, self.gazetteer, self.fuzzy, self.min_population)
        resolve_mentions(mentions + regions_in_names(sdoc, mentions, self.gazetteer), self.weights)
        doc.set_layer("places", [self._place(m) for m in mentions])
        doc.cache["places.metonymic"] = metonymic_indexes(sdoc, mentions)
        return doc

    def _namesake_town(self, county: Candidate) -> Candidate | None:
        """For a county with no point and no resolved town of its state in the text: the largest town of its state
        bearing its name ("Riley County" -> Riley, Kansas), else None."""
        if county.fcode != "ADM2":
            return None
        words = county.name.split()
        if len(words) < 2 or words[-1].lower() not in _COUNTY_WORDS:
            return None
        towns = [
            t
            for t in self.gazetteer.lookup(" ".join(words[:-1]), fuzzy=False)
            if t.fclass == "P" and t.match == "exact" and t.country == county.country and t.admin1 == county.admin1
        ]
        return max(towns, key=lambda t: t.population) if towns else None

    def _place(self, m: Mention) -> Place:
        c = m.chosen
        if c is None:
            return Place(m.start, m.end, m.text)
        lat, lon = m.lat, m.lon
        if lat is None and c.admin1:
            region = self._namesake_town(c) or self.gazetteer.admin1_place(c.country, c.admin1)
            lat, lon = (region.lat, region.lon) if region else (None, None)
        admin1 = self.gazetteer.admin1_name(c.country, c.admin1) if c.admin1 else None
        return Place(m.start, m.end, m.text, name=c.name, lat=lat, lon=lon, country_code=c.country or None,
                     admin1=admin1, geonames_id=c.geonames_id, feature=c.fcode, score=m.score)


# --------------------------------------------------------------------------------------------- detection


def detect_mentions(sdoc, gazetteer: Gazetteer, fuzzy: bool = True, min_population: int = 1000) -> list[Mention]:
    """Place mentions of a spaCy Doc, each with its gazetteer candidates and cue hint, in text order."""
    found: dict[tuple[int, int], Mention] = {}
    matched = [m for m in _match_tokens(sdoc, 0, len(sdoc), gazetteer, min_population) if not _alias_word(sdoc, m)]
    covered = {i for m in matched for i in _token_range(sdoc, m.start, m.end)}
    for m in matched:
        if _entities_agree(sdoc, m, covered):
            found[(m.start, m.end)] = m
    for ent in sdoc.ents:
        if ent.label_ in ("GPE", "LOC", "FAC"):
            for m in _from_entity(sdoc, ent, gazetteer, fuzzy):
                found.setdefault((m.start, m.end), m)
    for m in _postal_codes(sdoc, found.values(), gazetteer):
        found.setdefault((m.start, m.end), m)
    for m in _towns_before_regions(sdoc, list(found.values()), gazetteer):
        found.setdefault((m.start, m.end), m)
    mentions = _drop_overlaps(sorted(found.values(), key=lambda m: (m.start, -m.end)))
    mentions = _drop_surnames(sdoc, mentions)
    mentions = [_river(sdoc, m, gazetteer) for m in mentions if not _names_no_place(sdoc, m)]
    _link_parents(sdoc, mentions)
    _link_lists(sdoc, mentions)
    _regions_listed(sdoc, mentions)
    return mentions


def _river(sdoc, m: Mention, gazetteer: Gazetteer) -> Mention:
    """"the Dnipro river" with a lower-case "river" is the river when the gazetteer knows it (not the city of
    Dnipro, 300 km upstream of the Kherson front); otherwise the mention keeps the town's reading, as a
    capitalised "Sacramento River" does."""
    tokens = _token_range(sdoc, m.start, m.end)
    if not len(tokens) or tokens.stop >= len(sdoc) or sdoc[tokens.stop].lower_ not in ("river", "river's", "river’s"):
        return m
    river = sdoc[tokens.stop]
    rivers = [c for c in gazetteer.lookup(f"{m.text} River", fuzzy=False) if c.fcode in ("STM", "STMS", "CNL")]
    if not rivers:
        return m
    end = river.idx + len("river")
    text = sdoc[tokens.start:river.i + 1].text[: end - m.start]
    return Mention(m.start, end, text, f"{m.text} River", candidates=rivers)


_HYPHEN_NOT_PLACE = _words("hyphen_not_place")


def _names_no_place(sdoc, m: Mention) -> bool:
    """A mention that names something else: an abbreviation written in mixed case ("MoD", "MoH": ministries, not
    Maud, Oklahoma), or a formation named after a place ("the “Azov” regiment", "“Azov” and “Aidar” formations")."""
    if len(m.text) <= 4 and m.text[:1].isupper() and any(ch.islower() for ch in m.text[1:-1]) and m.text[-1].isupper():
        return True
    tokens = _token_range(sdoc, m.start, m.end)
    if not len(tokens):
        return False
    if m.text in _NO_PLACE_ALONE:
        return True  # "member States and observer States", "the West’s support": no place of their own
    if m.text == "US":
        line = sdoc[tokens.start].sent.text
        if sum(ch.isupper() for ch in line) > 0.8 * sum(ch.isalpha() for ch in line) and len(line) > 8:
            return True  # "JOIN US ON TELEGRAM!": the pronoun, in a line of capitals
    i = tokens.stop
    if i + 1 < len(sdoc) and sdoc[i].text == "-" and sdoc[i + 1].lower_ in _HYPHEN_NOT_PLACE:
        return True  # "a Bolshevik-style purge", "Moscow-annexed Crimea", "Kremlin-backed separatists"
    while i < len(sdoc) and (sdoc[i].is_quote or sdoc[i].is_punct and sdoc[i].text in "”’\"'»"):
        i += 1
    # "“Azov” and “Aidar” formations": look past a list of quoted names to the noun they share
    j = i
    while j + 1 < len(sdoc) and sdoc[j].lower_ in ("and", ",") and j - i < 8:
        k = j + 1
        while k < len(sdoc) and (sdoc[k].is_quote or sdoc[k].text[:1].isupper()):
            k += 1
        if k == j + 1:
            break
        j = k
    if any(k < len(sdoc) and sdoc[k].lower_ in _FORMATION_AFTER for k in {i, j}):
        return True
    # "the Svoboda national guard battalion": lower-case words of the unit's kind between name and formation word
    for k in range(i, min(i + 3, len(sdoc))):
        if not (sdoc[k].is_alpha and sdoc[k].is_lower):
            return False
        if sdoc[k].lower_ in _FORMATION_AFTER:
            return True
    return False


def regions_in_names(sdoc, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Regions and counties named inside organisations and facilities ("Butler County Coroner's Office",
    "Indiana State Police"): not places of the text, but context for resolving the others.
    """
    taken = {i for m in mentions for i in _token_range(sdoc, m.start, m.end)}
    out = []
    for ent in sdoc.ents:
        if ent.label_ not in ("ORG", "FAC") or any(i in taken for i in range(ent.start, ent.end)):
            continue
        for m in _match_tokens(sdoc, ent.start, ent.end, gazetteer, 0):
            m.candidates = [c for c in m.candidates if c.fcode in ("ADM1", "ADM2") and c.match == "exact"]
            if m.candidates:
                out.append(m)
    return out


def _drop_surnames(sdoc, mentions: list[Mention]) -> list[Mention]:
    """A one-word mention that is the surname of a person named in full in the document ("Jeff Hamilton ...
    Hamilton will appear") is that person, and so is a given name joined to a person named in full ("Brent and
    Lynnette Hain ... Brent told CTV"). PERSON entities made of place names ("Odesa and Mykolaiv") name no one.
    """
    covered = {i for m in mentions for i in _token_range(sdoc, m.start, m.end)}
    surnames = set()
    for ent in sdoc.ents:
        words = [t for t in ent if t.is_alpha]
        if ent.label_ != "PERSON" or not 2 <= len(words) <= 3 or len(words) != len(ent):
            continue
        given = words[:-1]
        if all(t.pos_ == "PROPN" and t.lower_ not in _NOT_GIVEN and t.i not in covered for t in given):
            surnames.add(words[-1].text)
        # "Brent and Lynnette Hain", "Lynn and Bob Fodge": a given name joined to a person named in full
        before = ent.start - 2
        if before >= 0 and len(words) == len(ent) and 2 <= len(words) <= 3 and sdoc[ent.start - 1].lower_ == "and" \
                and all(t.pos_ == "PROPN" and t.i not in covered for t in words):
            tok = sdoc[before]
            if tok.is_alpha and tok.is_title and tok.pos_ == "PROPN" and tok.ent_type_ in ("PERSON", ""):
                surnames.add(tok.text)
    if not surnames:
        return mentions
    return [m for m in mentions if not (m.text in surnames and len(_token_range(sdoc, m.start, m.end)) == 1)]


def _postal_codes(sdoc, mentions, gazetteer: Gazetteer) -> list[Mention]:
    """Two-letter region codes right after "Town, " ("Athens, GA", "Surrey, BC"): the town's parent region."""
    ends = {m.end for m in mentions}
    out = []
    for tok in sdoc[2:]:
        prev = sdoc[tok.i - 1]
        if len(tok.text) == 2 and tok.text.isupper() and tok.is_alpha and prev.text == "," and prev.idx in ends:
            candidates = gazetteer.abbreviation(tok.text)
            if candidates:
                out.append(Mention(tok.idx, tok.idx + 2, tok.text, tok.text, hint=HINT_ADMIN1, candidates=candidates))
    return out


def _towns_before_regions(sdoc, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Small towns named as "HOLLIDAY, Mo." or "Annville, Pennsylvania": any town of that name in that region."""
    taken = {i for m in mentions for i in _token_range(sdoc, m.start, m.end)}
    out = []
    for region in mentions:
        states = {(c.country, c.admin1) for c in region.candidates if c.fcode == "ADM1" and c.admin1}
        comma = _token_range(sdoc, region.start, region.end).start - 1
        if not states or comma < 1 or sdoc[comma].text != "," or comma - 1 in taken:
            continue
        start = comma
        while start > 0 and comma - start < _MAX_TOKENS and _is_name_token(sdoc[start - 1], inside=True):
            start -= 1
        for i in range(start, comma):  # longest name first
            span = sdoc[i:comma]
            towns = [c for c in gazetteer.lookup(span.text, fuzzy=False)
                     if c.fclass == "P" and (c.country, c.admin1) in states]
            if towns:
                out.append(Mention(span.start_char, span.end_char, span.text, span.text, candidates=towns))
                break
    return out


def _token_range(sdoc, start: int, end: int) -> range:
    span = sdoc.char_span(start, end, alignment_mode="expand")
    return range(span.start, span.end) if span is not None else range(0)


def _entities_agree(sdoc, m: Mention, covered: set[int]) -> bool:
    """A gazetteer match inside a non-place entity counts only if places cover that whole entity.

    "Odesa and Mykolaiv" (PERSON) and "Nikolaev" (NORP) pass; "Vladimir Putin" and "Kyiv Post" do not.
    """
    tokens = _token_range(sdoc, m.start, m.end)
    for ent in {sdoc[i].ent_type_ and _entity_at(sdoc, i) for i in tokens} - {"", None}:
        if ent.label_ in ("GPE", "LOC", "FAC"):
            continue
        if ent.label_ == "DATE" and not _DATEISH.search(ent.text) and not any(t.like_num for t in ent):
            continue  # a name the tagger took for a date ("at Chaplyne railway station"): no date word in it
        if _is_demonym(ent.text) or ent.label_ in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL"):
            return False
        rest = [t for t in ent if t.i not in covered and t.lower_ not in _ENTITY_JOINERS]
        if rest:
            return False
        if ent.label_ == "PERSON" and ent.start > 0 and sdoc[ent.start - 1].lower_.rstrip(".") in _TITLES:
            return False
    return True


_ENTITY_OF: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _entity_at(sdoc, i: int):
    """The entity holding token ``i``, or None (a token-to-entity table built once per parse)."""
    table = _ENTITY_OF.get(sdoc)
    if table is None:
        table = _ENTITY_OF[sdoc] = {t: ent for ent in sdoc.ents for t in range(ent.start, ent.end)}
    return table.get(i)


def _from_entity(sdoc, ent, gazetteer: Gazetteer, fuzzy: bool) -> list[Mention]:
    start, end = ent.start, ent.end
    while start < end and sdoc[start].lower_ in ("the", "a"):
        start += 1
    while end > start and sdoc[end - 1].text in ("'s", "’s", "´s", "'", "’", "´", ".", ","):
        end -= 1
    if start >= end or _is_demonym(sdoc[start:end].text):
        return []
    if not any(t.text[:1].isupper() for t in sdoc[start:end]):
        return []  # a common noun the tagger took for a facility or place: "a Kiev metro station" ("metro")
    whole = _mention(sdoc, start, end, gazetteer, fuzzy=fuzzy)
    if whole is not None and whole.candidates:
        return [whole]
    parts = _match_tokens(sdoc, start, end, gazetteer, 0)
    if parts and _covers(sdoc, parts, start, end):
        return [m for m in parts if not _alias_word(sdoc, m)]
    if ent.label_ == "FAC" or whole is None or _is_demonym(whole.text):
        return []
    return [whole]


def _covers(sdoc, parts: list[Mention], start: int, end: int) -> bool:
    """Whether places cover every name word of tokens [start, end): "Odesa and Mykolaiv" yes; "New South
    Wales" read as "Wales", or "Kasai Occidental" as "Kasai", no (a wrong place is worse than none)."""
    covered = {i for m in parts for i in _token_range(sdoc, m.start, m.end)}
    return all(i in covered or not sdoc[i].text[:1].isupper() for i in range(start, end))


def _is_demonym(text: str) -> bool:
    low = text.lower()
    return low.endswith(_DEMONYM_ENDINGS) and " " not in low


def _mention(sdoc, start: int, end: int, gazetteer: Gazetteer, fuzzy: bool = False) -> Mention | None:
    """A mention over tokens [start, end), extended by a following region/oblast word, with its hint."""
    hint = None
    nxt = sdoc[end].lower_ if end < len(sdoc) else ""
    last = sdoc[end - 1].lower_
    if nxt in _ADMIN_WORDS and gazetteer.lookup(sdoc[start:end + 1].text, fuzzy=False):
        end += 1
        hint = HINT_ADMIN1
    elif last in _ADMIN_WORDS or (start >= 2 and sdoc[start - 1].lower_ == "of"
                                  and sdoc[start - 2].lower_ in _ADMIN_BEFORE_OF):
        hint = HINT_ADMIN1  # "Kharkiv Oblast", "the state of Victoria"
    elif last in _COUNTY_WORDS or nxt in _COUNTY_WORDS:
        hint = HINT_COUNTY
    elif nxt in _CITY_AFTER or (
        start >= 2 and sdoc[start - 1].lower_ == "of" and sdoc[start - 2].lower_ in _CITY_BEFORE
    ):
        hint = HINT_CITY
    span = sdoc[start:end]
    text = span.text
    if not text.strip():
        return None
    candidates = gazetteer.lookup(text, fuzzy=fuzzy)
    # (the next character is read from the tokens: spaCy's Doc.text joins the whole document on every access)
    if start >= 1 and sdoc[start - 1].text == "," and end < len(sdoc) and not sdoc[end - 1].whitespace_ \
            and sdoc[end].text.startswith("."):
        # "Winnipeg, Man." where the tokenizer split the abbreviation's dot off
        abbreviated = gazetteer.abbreviation(text + ".") if looks_abbreviated(text + ".") else []
        if abbreviated:
            candidates, hint = abbreviated, HINT_ADMIN1
    feature = _feature_span(sdoc, start, end)
    if feature is not None and hint is None:
        named = gazetteer.lookup(feature.text, fuzzy=False)
        if named or candidates:  # "Black Sea" is a feature the gazetteer knows; "Red River" is not the town
            span, text, candidates = feature, feature.text, named
    return Mention(span.start_char, span.end_char, text, text, hint=hint, candidates=candidates)


def _feature_span(sdoc, start: int, end: int):
    """The longer name of a feature around tokens [start, end) ("Red River", "Port of Los Angeles", "St. Michael's
    Hospital"), if any."""
    after = end + 1 if end < len(sdoc) and sdoc[end].lower_ in ("'s", "’s", "´s") else end
    if after < len(sdoc) and sdoc[after].text[:1].isupper() and sdoc[after].lower_ in _FEATURE_AFTER:
        return sdoc[start:after + 1]
    if start >= 1 and sdoc[start - 1].text[:1].isupper() and sdoc[start - 1].lower_ in _FEATURE_BEFORE:
        return sdoc[start - 1:end]
    if start >= 2 and sdoc[start - 1].lower_ == "of" and sdoc[start - 2].text[:1].isupper() \
            and sdoc[start - 2].lower_ in _FEATURE_BEFORE:
        return sdoc[start - 2:end]
    return None


def _is_name_token(tok, inside: bool = False) -> bool:
    """A token that may be (``inside``: be part of) a place name."""
    if not tok.text[:1].isupper() or (tok.lower_ in _NOT_PLACES and not (inside and tok.lower_ in _COMPASS)):
        return False
    if inside and tok.lower_ in _COMPASS:
        return True
    if not tok.text.isascii():
        return tok.is_alpha
    return tok.pos_ == "PROPN" or (not tok.is_sent_start and tok.is_alpha and not tok.is_stop)


def _match_tokens(sdoc, lo: int, hi: int, gazetteer: Gazetteer, min_population: int) -> list[Mention]:
    """Longest gazetteer names over runs of proper nouns in tokens [lo, hi), left to right."""
    out: list[Mention] = []
    i = lo
    while i < hi:
        if not _is_name_token(sdoc[i], inside=True):
            i += 1
            continue
        best = None
        for j in range(min(hi, i + _MAX_TOKENS), i, -1):
            if not _is_name_token(sdoc[j - 1], inside=j - 1 > i):
                continue
            if any(not _is_name_token(t, inside=True) and t.lower_ not in _CONNECTORS for t in sdoc[i:j]):
                continue
            m = _mention(sdoc, i, j, gazetteer)
            if m is not None and m.candidates and _plausible(m.candidates, min_population, m.hint):
                best = (m, j)
                break
        if best is None:
            i += 1
            continue
        out.append(best[0])
        i = best[1]
    return out


def _plausible(candidates: list[Candidate], min_population: int, hint: str | None) -> bool:
    """Whether a gazetteer-only match (no NER support) is likely a place, judged by its best candidate."""
    if hint is not None or min_population <= 0:
        return True
    for c in candidates:
        if c.match not in ("exact", "abbreviation") and not (c.match == "alias" and c.country in ("UA", "RU", "BY")):
            continue
        if c.fclass in ("A", "L") and c.fcode != "ADM2":
            return True
        local = c.country in ("UA", "RU", "BY")
        if c.population >= (min_population if local else 50 * min_population):
            return True
    return False


def _alias_word(sdoc, m: Mention) -> bool:
    """One word that no place bears as its own name, only as an alternate one ("City", "Creek", "Hall", "River"),
    outside the countries whose romanisations the alternate names carry: it still covers its word in a longer
    name ("Catawba River"), but is no place by itself."""
    return len(_token_range(sdoc, m.start, m.end)) == 1 and bool(m.candidates) and all(
        c.match == "alias" and c.country not in ("UA", "RU", "BY") for c in m.candidates)


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            if (m.end - m.start) > (out[-1].end - out[-1].start):
                out[-1] = m
            continue
        out.append(m)
    return out


def _link_parents(sdoc, mentions: list[Mention]) -> None:
    """"X, Y" and "X in Y": Y may name the region or country that contains X."""
    text = sdoc.text
    for i, m in enumerate(mentions[:-1]):
        gap = text[m.end:mentions[i + 1].start]
        if gap.strip() in (",", "in", ", in") or gap in (" in ", ", "):
            m.parent = i + 1


_LIST_GAPS = tuple(table("places")["list_gaps"])


def _link_lists(sdoc, mentions: list[Mention]) -> None:
    """Names listed together ("Montana, Wyoming and Texas", "Montana and Wyoming"): each gets the indexes of the
    others. Two names joined by a bare comma are left alone ("Springfield, Illinois" names a town and its state)."""
    text = sdoc.text
    chain = [0] if mentions else []
    commas = 0
    for i in range(1, len(mentions) + 1):
        gap = text[mentions[i - 1].end:mentions[i].start] if i < len(mentions) else None
        if gap in _LIST_GAPS:
            chain.append(i)
            commas += gap == ", "
            continue
        if len(chain) >= 3 or (len(chain) == 2 and not commas):
            for k in chain:
                mentions[k].siblings = tuple(j for j in chain if j != k)
        chain, commas = [i], 0


def _regions_listed(sdoc, mentions: list[Mention]) -> None:
    """Names listed before a plural region word, or after one and "of", are all regions: "in Kharkov, Zaporozhye,
    Kherson regions", "the regions of Donetsk and Lugansk" (each name alone would be its city)."""
    for m in mentions:
        tokens = _token_range(sdoc, m.start, m.end)
        if not len(tokens) or not any(c.fcode == "ADM1" for c in m.candidates):
            continue
        group = [m] + [mentions[j] for j in m.siblings]
        after = tokens.stop < len(sdoc) and sdoc[tokens.stop].lower_ in _ADMIN_PLURALS
        if after or (m.hint == HINT_ADMIN1 and m.siblings):
            for other in group:
                if any(c.fcode == "ADM1" for c in other.candidates):
                    other.hint = HINT_ADMIN1


def metonymic_indexes(sdoc, mentions: list[Mention]) -> list[int]:
    """Indexes of mentions used as a speaking actor ("Moscow said", "Kyiv denied")."""
    out = []
    for i, m in enumerate(mentions):
        span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in _SPEECH:
            out.append(i)
    return out


@registry.components.register("places.v1")
def make_places(config: Config, resources: Resources) -> Places:
    s = config.settings("places")
    gz = config.settings("gazetteer")
    resources.provide("gazetteer", lambda res: Gazetteer.open_default(gz.cache_dir or None, gz.local_path or None))
    weights = Weights(focus_country=s.focus_country_weight, focus_admin1=s.focus_admin1_weight,
                      parent=s.parent_weight, cluster=s.cluster_weight, user_focus=s.user_focus_weight,
                      user_countries=tuple(s.focus_countries))
    return Places(resources, weights, s.fuzzy, s.min_population)
