"""Toponym resolution: pick, for every place mention in a document, the gazetteer candidate it most likely means.

Each candidate gets a prior score from how well the name matches (exact > folded spelling > fuzzy), its
population and number of alternate names (prominence), and its feature type (countries and admin-1 regions
are named more often than same-named hamlets). A cue next to the mention ("Kharkiv region", "the
Kupyansk direction", "Rapides Parish") favours the matching feature type. Two context passes then add the
document's focus (names settle one after the other, the surest first, each seeing the choices made so far): the
share of the other mentions that resolve to the candidate's country and admin-1 region, a parent named right after
it ("Alexandria, Louisiana", "Izium in Kharkiv region"), and a configurable prior for the countries the user
follows (default UA, RU, BY). A co-location term counts, for each candidate, the other names of the document that
have a plausible reading nearby, whatever reading they end up with ("Richmond", "Irvine" and "Berea" all have a
Kentucky town), so namesakes settle together. A capital gains when another mention names its country (unless that
is the document's main one), and names listed together lean to one kind ("Ohio, Montana and Wyoming"). The score
reported is the softmax weight of the chosen candidate among all of them, times the match similarity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .gazetteer import Candidate, Gazetteer

HINT_ADMIN1, HINT_CITY, HINT_COUNTY = "admin1", "city", "county"
_FEATURE_PRIOR = {"PCLI": 3.0, "CONT": 3.0, "ADM1": 1.5, "PPLC": 1.5, "RGN": 2.5, "SEA": 2.5, "ADM2": 0.5}
_MATCH_PENALTY = {"exact": 0.0, "abbreviation": 0.0, "alias": 0.0, "fold": 2.0, "fuzzy": 4.0}
# A place known by the name as one of its alternate names, while another place bears it as its own name
# ("Victoria" is an old name of Hong Kong's centre, "Salisbury" of Harare).
_ALIAS_PENALTY = 4.0
# The document's home: the country and admin-1 region holding the largest share of its other places (local news
# names its own region's towns without saying so). Added to the focus weights for that one country/region.
_HOME_COUNTRY, _HOME_ADMIN1 = 1.0, 2.0
# An alternate-name reading this many times larger than every own-name reading keeps its rank ("Mecca" is
# Makkah, not Mecca, California); a region this many times larger than its same-named town (not a capital) is
# read as the region ("Ontario", "Quebec"; "Odesa" and "New York" stay towns).
_ALIAS_DWARFS, _REGION_DWARFS = 50, 8
# Beside own-name bearers that are all hamlets, an alternate-name reading ten times larger suffices ("Jenin" is the
# West Bank city, not the Polish village).
_HAMLET, _ALIAS_DWARFS_HAMLET = 5_000, 10
# Co-location support (see _cluster_support): candidates per name taken, distance for full support, the softness
# of the prior weighting, and the most support one candidate can get.
_CLUSTER_TOP, _CLUSTER_KM, _CLUSTER_TEMPERATURE, _CLUSTER_CAP = 12, 100.0, 3.0, 3.0
# A county without a point supports, and is supported by, the candidates of its state this much.
_COUNTY_NEAR = 0.5
# A capital whose country another mention names ("France ... Paris"), unless the name is its country's too ("Mexico")
# or that country is already the document's main one (its capital has the focus terms; "Washington" may be the state).
_CAPITAL = 3.0
# Names listed together are mostly of one kind ("Ohio, Montana and Wyoming" are states, Wyoming the state too):
# this much times the share of the settled others of the candidate's kind (country, admin-1 region or town).
_LISTED = 2.0


@dataclass
class Mention:
    """A place name found in the text, before and after resolution."""

    start: int
    end: int
    text: str
    query: str
    hint: str | None = None
    parent: int | None = None  # index of a mention that names this one's parent ("X, Y" / "X in Y")
    siblings: tuple[int, ...] = ()  # indexes of the names listed with this one ("Ohio, Montana and Wyoming")
    candidates: list[Candidate] = field(default_factory=list)
    chosen: Candidate | None = None
    score: float = 0.0
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Weights:
    """Weights of the context evidence (see the module docstring); exposed as [places] settings."""

    focus_country: float = 3.0
    focus_admin1: float = 2.0
    parent: float = 5.0
    user_focus: float = 1.0
    proximity: float = 2.0
    cluster: float = 2.0
    user_countries: tuple[str, ...] = ("UA", "RU", "BY")


def prior(mention: Mention, cand: Candidate, has_town: bool = False, has_own_name: bool = False,
          own_population: int = 0, town_population: int = 0) -> float:
    """Score of ``cand`` for ``mention`` before document context.

    ``has_town``: a town of 10,000 or more shares the name; ``has_own_name``: some candidate bears the name as
    its own (not as an alternate name); ``own_population``: the largest of those; ``town_population``: the
    largest town (not a capital) bearing the name.
    """
    score = math.log10(cand.population + 1) + 0.4 * math.log2(1 + cand.names)
    score += _FEATURE_PRIOR.get(cand.fcode, 0.0)
    score -= _MATCH_PENALTY.get(cand.match, 4.0)
    dwarfs = _ALIAS_DWARFS if own_population >= _HAMLET else _ALIAS_DWARFS_HAMLET
    if cand.match == "alias" and has_own_name and cand.population < dwarfs * own_population:
        score -= _ALIAS_PENALTY  # unless the own-name bearers are hamlets beside it ("Mecca", California)
    score -= 10 * (1 - cand.similarity)
    if cand.fcode == "ADM1" and mention.hint is None and has_town \
            and not cand.population >= _REGION_DWARFS * town_population > 0:
        score -= 2.5  # a bare "Odesa" is the city more often than the oblast; "Ontario", "Quebec" the province
    if mention.hint == HINT_ADMIN1:
        score += 6.0 if cand.fcode == "ADM1" else -2.0
    elif mention.hint == HINT_CITY:
        score += 4.0 if cand.fclass == "P" else -2.0
    elif mention.hint == HINT_COUNTY:
        score += 6.0 if cand.fcode == "ADM2" else -2.0
    return score


def _contains(parent: Candidate, child: Candidate) -> bool:
    if parent.fcode in ("PCLI", "PCLS"):
        return child.country == parent.country
    if parent.fcode == "ADM1":
        return child.country == parent.country and child.admin1 == parent.admin1
    return False


def _focus(mentions: list[Mention], skip: int) -> tuple[dict[str, float], dict[str, float]]:
    """Share of the other resolved mentions per country and per admin-1 region (weighted by their score)."""
    countries: dict[str, float] = {}
    regions: dict[str, float] = {}
    total = 0.0
    for i, m in enumerate(mentions):
        if i == skip or m.chosen is None or m.query.lower() == mentions[skip].query.lower():
            continue
        weight = max(m.score, 0.2)
        total += weight
        countries[m.chosen.country] = countries.get(m.chosen.country, 0.0) + weight
        if m.chosen.admin1 and m.chosen.fcode not in ("PCLI", "CONT"):
            code = m.chosen.admin1_code
            regions[code] = regions.get(code, 0.0) + weight
    if total:
        countries = {k: v / total for k, v in countries.items()}
        regions = {k: v / total for k, v in regions.items()}
    return countries, regions


def _home_bonus(cand: Candidate, countries: dict[str, float], regions: dict[str, float]) -> float:
    bonus = 0.0
    if countries and cand.country == max(countries, key=countries.get):
        bonus += _HOME_COUNTRY * countries[cand.country]
    if regions and cand.admin1_code and cand.admin1_code == max(regions, key=regions.get):
        bonus += _HOME_ADMIN1 * regions[cand.admin1_code]
    return bonus


def _choose(mention: Mention, scores: list[float]) -> None:
    best = max(range(len(scores)), key=scores.__getitem__)
    top = scores[best]
    total = sum(math.exp(s - top) for s in scores)
    mention.chosen = mention.candidates[best]
    mention.score = round(mention.chosen.similarity / total, 3)


def resolve_mentions(mentions: list[Mention], weights: Weights = Weights(), passes: int = 2) -> None:
    """Choose a candidate for every mention in place (mentions without candidates stay unresolved)."""
    priors = [[prior(m, c, _has_town(m), _has_own_name(m), _own_population(m), _town_population(m))
               - _oblast_penalty(m, c) for c in m.candidates] for m in mentions]
    same_name = _same_name_groups(mentions)
    children: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.parent is not None:
            children.setdefault(m.parent, []).append(m)
    cluster = _cluster_support(mentions, priors)

    def evidence(i: int, anchors: list[tuple[str, float, float]]) -> list[float]:
        m = mentions[i]
        countries, regions = _focus(mentions, i)
        parent = mentions[m.parent].chosen if m.parent is not None else None
        named = set() if any(c.fcode in ("PCLI", "PCLS") for c in m.candidates) else {
            o.chosen.country for o in mentions if o.chosen is not None and o.chosen.fcode in ("PCLI", "PCLS")}
        home = max(countries, key=countries.get) if countries else None
        listed = [mentions[k].chosen for k in m.siblings if mentions[k].chosen is not None]
        scores = []
        for c, base in zip(m.candidates, priors[i]):
            s = base + _user_bonus(c, weights)
            s += weights.focus_country * countries.get(c.country, 0.0)
            s += weights.focus_admin1 * regions.get(c.admin1_code, 0.0)
            s += _home_bonus(c, countries, regions)
            if parent is not None and _contains(parent, c):
                s += weights.parent
            if any(k.chosen is not None and _contains(c, k.chosen) for k in children.get(i, ())):
                s += weights.parent
            s += weights.proximity * _nearness(c, anchors, m.query)
            if c.fcode == "PPLC" and c.country in named and c.country != home:
                s += _CAPITAL
            if listed:
                s += _LISTED * sum(_kind(k) == _kind(c) for k in listed) / len(listed)
            scores.append(s)
        if cluster[i] is not None and parent is None:  # "Newark, N.J." says more than nearby namesakes
            scores = [s + weights.cluster * k for s, k in zip(scores, cluster[i])]
        return scores

    # Groups are settled one after the other, the surest first (the widest margin between the two best priors),
    # each seeing the choices made so far: "Queensland" settles as the state before "Edmonton" is read, and in the
    # first pass a name not yet settled gives no context (its prior-only reading would pull the others its way).
    order = sorted(same_name, key=lambda g: -_margin(priors[g[0]]))

    def anchors() -> list[tuple[str, float, float]]:
        return [(o.query, o.chosen.lat, o.chosen.lon) for o in mentions
                if o.chosen is not None and o.chosen.fclass == "P" and o.chosen.lat is not None and o.score >= 0.6]

    for m in mentions:
        m.chosen = None
    for _ in range(passes):
        for group in order:
            near = anchors()
            _choose_together([mentions[i] for i in group], [evidence(i, near) for i in group])
    _place_points(mentions)


def _kind(c: Candidate) -> str:
    if c.fcode in ("PCLI", "PCLS"):
        return "country"
    return "admin1" if c.fcode == "ADM1" else "town" if c.fclass == "P" else c.fcode


def _margin(scores: list[float]) -> float:
    top = sorted(scores, reverse=True)[:2]
    return top[0] - top[1] if len(top) == 2 else 100.0


def _same_name_groups(mentions: list[Mention]) -> list[list[int]]:
    """Indexes of the mentions that share a name and a cue: one sense per document ("LONDON, Ky. ... London")."""
    groups: dict[tuple[str, str | None], list[int]] = {}
    for i, m in enumerate(mentions):
        if m.candidates:
            groups.setdefault((m.query.lower(), m.hint), []).append(i)
    return list(groups.values())


def _choose_together(group: list[Mention], scores: list[list[float]]) -> None:
    """Choose one candidate for mentions of the same name, on the sum of their evidence above each prior.

    The mentions' candidate lists may differ (a region named inside an organisation keeps only its regions); a
    candidate counts for the mentions that have it, so one missing from some of them loses their support.
    """
    if len(group) == 1:
        _choose(group[0], scores[0])
        return
    by_id: dict[int, list[float]] = {}
    for m, s in zip(group, scores):
        for c, value in zip(m.candidates, s):
            by_id.setdefault(c.id, []).append(value)
    total = {k: max(v) + sum(v) / len(group) for k, v in by_id.items()}
    for m in group:
        _choose(m, [total[c.id] for c in m.candidates])


def _nearness(cand: Candidate, anchors: list[tuple[str, float, float]], query: str) -> float:
    """1 when a confidently resolved town of another mention lies within 150 km, 0.5 within 400 km."""
    if cand.fclass != "P" or cand.lat is None:
        return 0.0
    best = 0.0
    for other, lat, lon in anchors:
        if other.lower() == query.lower():
            continue
        km = _km(cand.lat, cand.lon, lat, lon)
        best = max(best, 1.0 if km < 150 else 0.5 if km < 400 else 0.0)
    return best


def _cluster_support(mentions: list[Mention], priors: list[list[float]]) -> list[list[float] | None]:
    """Per candidate, how many other names of the document have a plausible town within ~100 km of it (half
    within 200 km); a county without a point counts half with the candidates of its state, both ways.

    The chosen readings are not used: "Richmond" and "Irvine" both have a Kentucky town, and that pair supports
    itself before either is settled. Each other name counts once, by its best candidate near this one, weighted
    by that candidate's prior against its name's best prior (a hamlet reading of "Paris" supports little).
    Towns and features with a point take part; regions and countries do not (their focus terms cover them).
    """
    import numpy as np

    first: dict[str, int] = {}
    for i, m in enumerate(mentions):
        if m.candidates:
            first.setdefault(m.query.lower(), i)
    rows: list[tuple] = []  # (name index, candidate id, lat, lon, weight, admin-1 code, is a county without point)
    town_first: dict[int, bool] = {}
    for group, i in enumerate(first.values()):
        top = max(priors[i])
        leader = mentions[i].candidates[max(range(len(priors[i])), key=priors[i].__getitem__)]
        town_first[group] = leader.fclass == "P"
        ranked = sorted(range(len(mentions[i].candidates)), key=lambda k: -priors[i][k])[:_CLUSTER_TOP]
        for k in ranked:
            c = mentions[i].candidates[k]
            weight = math.exp((priors[i][k] - top) / _CLUSTER_TEMPERATURE)
            if c.fclass in ("P", "L") and c.lat is not None and c.fcode not in ("CONT", "RGN", "SEA", "OCN"):
                rows.append((group, c.id, c.lat, c.lon, weight, c.admin1_code, False))
            elif c.fcode == "ADM2" and c.lat is None and c.admin1_code:  # a county: near what lies in its state
                rows.append((group, c.id, 0.0, 0.0, weight, c.admin1_code, True))
    out: list[list[float] | None] = [None] * len(mentions)
    groups = {r[0] for r in rows}
    if len(groups) < 2:
        return out
    group = np.array([r[0] for r in rows])
    lat = np.radians([r[2] for r in rows])
    lon = np.radians([r[3] for r in rows])
    a = (np.sin((lat[:, None] - lat[None, :]) / 2) ** 2
         + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin((lon[:, None] - lon[None, :]) / 2) ** 2)
    km = 12742.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    near = np.where(km < _CLUSTER_KM, 1.0, np.where(km < 2 * _CLUSTER_KM, 0.5, 0.0))
    county = np.array([r[6] for r in rows])
    either = county[:, None] | county[None, :]
    codes = np.array([r[5] for r in rows])
    near = np.where(either, np.where(codes[:, None] == codes[None, :], _COUNTY_NEAR, 0.0), near)
    near *= np.array([r[4] for r in rows])[None, :]
    support = np.zeros(len(rows))
    for g in groups:
        cols = group == g
        nearest = near[:, cols].max(axis=1)
        nearest[cols] = 0.0
        support += nearest
    by_name: dict[int, dict[int, float]] = {}
    # A name read first as a town gets its support in full, whichever town; one read first as a region or country
    # ("California") gives its town readings (California, Maryland) support only as far as they are plausible.
    for r, value in zip(rows, support):
        receiver = 1.0 if town_first[r[0]] else r[4]
        by_name.setdefault(r[0], {})[r[1]] = min(float(value), _CLUSTER_CAP) * receiver
    index = {key: g for g, key in enumerate(first)}
    for i, m in enumerate(mentions):
        values = by_name.get(index.get(m.query.lower(), -1))
        if values:
            out[i] = [values.get(c.id, 0.0) for c in m.candidates]
    return out


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _has_own_name(mention: Mention) -> bool:
    return any(c.match == "exact" for c in mention.candidates)


# Countries whose first-level regions English news names "X region" / "X oblast" and whose bare "X" is the city:
# "troops entered Kherson", "missiles hit Mykolaiv, Zaporizhzhia and Sumy" (the oblasts hold more people, so the
# population prior alone picked them).
_OBLAST_COUNTRIES = frozenset({"UA", "RU", "BY"})
_OBLAST_PENALTY = 6.0


def _oblast_penalty(mention: Mention, cand: Candidate) -> float:
    """A bare name that is both an oblast and a town of 10,000+ of the same country is the town."""
    if cand.fcode != "ADM1" or cand.country not in _OBLAST_COUNTRIES or mention.hint is not None:
        return 0.0
    town = any(c.fclass == "P" and c.country == cand.country and c.population >= 10_000 for c in mention.candidates)
    return _OBLAST_PENALTY if town else 0.0


def _has_town(mention: Mention) -> bool:
    return any(c.fclass == "P" and c.match == "exact" and c.population >= 10_000 for c in mention.candidates)


def _own_population(mention: Mention) -> int:
    # An oblast bearing the name does not dwarf the city known by a variant spelling ("Zaporizhzhia": the oblast
    # and a village bear it as their own name, the city of 710,000 as "Zaporizhzhya").
    return max((c.population for c in mention.candidates if c.match == "exact"
                and not (c.fcode == "ADM1" and c.country in _OBLAST_COUNTRIES)), default=0)


def _town_population(mention: Mention) -> int:
    """The largest town bearing the name as its own; a capital counts as infinitely large ("Washington")."""
    towns = [c for c in mention.candidates if c.fclass == "P" and c.match == "exact"]
    if any(c.fcode == "PPLC" for c in towns):
        return 10**12
    return max((c.population for c in towns), default=0)


def _user_bonus(cand: Candidate, weights: Weights) -> float:
    return weights.user_focus if cand.country in weights.user_countries else 0.0


def _place_points(mentions: list[Mention]) -> None:
    """Coordinates of the chosen candidates; one without (a county) takes its region's best-resolved place."""
    for m in mentions:
        if m.chosen is None:
            continue
        m.lat, m.lon = m.chosen.lat, m.chosen.lon
        if m.lat is not None:
            continue
        anchors = [o for o in mentions if o.chosen is not None and o.chosen.lat is not None and o is not m
                   and o.chosen.country == m.chosen.country and o.chosen.admin1 == m.chosen.admin1
                   and o.chosen.fclass == "P"]
        if anchors:
            best = max(anchors, key=lambda o: (o.score, o.chosen.population))
            m.lat, m.lon = best.chosen.lat, best.chosen.lon


def candidates_for(gazetteer: Gazetteer, query: str, fuzzy: bool = True) -> list[Candidate]:
    """Gazetteer candidates for a mention's query text."""
    return gazetteer.lookup(query, fuzzy=fuzzy)
