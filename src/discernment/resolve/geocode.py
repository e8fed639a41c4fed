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

from .gazetteer import Candidate

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


class _Context:
    """What the evidence of a name reads from the choices made so far, kept up to date as each group of names
    settles, so that no mention scans all the others (that made a long document quadratic):

    - the focus: the score-weighted share of the resolved mentions per country and per admin-1 region, less the
      mentions of the name asking (each weight ``max(score, 0.2)`` is a multiple of 0.001, so the sums are kept
      exactly as integer thousandths);
    - the countries named as countries (for the capital rule);
    - the anchors: confidently resolved towns (score >= 0.6), in a grid of cells on the unit sphere so that
      only the anchors of the cells around a candidate are measured.
    """

    def __init__(self, mentions: list[Mention]):
        self.queries = [m.query.lower() for m in mentions]
        self.state: list[tuple | None] = [None] * len(mentions)  # what each mention adds now
        self.total = 0
        self.total_of: dict[str, int] = {}  # query -> its mentions' weight
        self.countries = _Shares(self.queries)
        self.regions = _Shares(self.queries)
        self.named: dict[str, int] = {}  # country -> mentions resolved to it as a country
        self.anchors = _AnchorGrid()

    def update(self, i: int, m: Mention) -> None:
        """Mention ``i`` has (re)settled: take back what it added before and add what it adds now."""
        old = self.state[i]
        if old is not None:
            self._apply(i, old, -1)
        new = self._contribution(m)
        self.state[i] = new
        if new is not None:
            self._apply(i, new, 1)

    @staticmethod
    def _contribution(m: Mention) -> tuple | None:
        c = m.chosen
        if c is None:
            return None
        weight = max(round(m.score * 1000), 200)  # max(score, 0.2) in thousandths (scores have 3 decimals)
        region = c.admin1_code if c.admin1 and c.fcode not in ("PCLI", "CONT") else None
        anchor = (c.lat, c.lon) if c.fclass == "P" and c.lat is not None and m.score >= 0.6 else None
        named = c.country if c.fcode in ("PCLI", "PCLS") else None
        return weight, c.country, region, anchor, named

    def _apply(self, i: int, contribution: tuple, sign: int) -> None:
        weight, country, region, anchor, named = contribution
        query = self.queries[i]
        self.total += sign * weight
        self.total_of[query] = self.total_of.get(query, 0) + sign * weight
        self.countries.add(country, i, query, sign * weight)
        if region is not None:
            self.regions.add(region, i, query, sign * weight)
        if anchor is not None:
            self.anchors.add(anchor[0], anchor[1], query, sign)
        if named is not None:
            self.named[named] = self.named.get(named, 0) + sign

    def focus(self, query: str) -> tuple[dict[str, float], dict[str, float], str | None, str | None]:
        """Shares per country and admin-1 region of the resolved mentions of other names, and the largest of each
        (the first named, on a tie); as ``_focus`` computed them by scanning every mention."""
        total = self.total - self.total_of.get(query, 0)
        if not total:
            return {}, {}, None, None
        countries, home_country = self.countries.shares(query, total)
        regions, home_region = self.regions.shares(query, total)
        return countries, regions, home_country, home_region

    def countries_named(self) -> set[str]:
        return {k for k, n in self.named.items() if n > 0}


class _Shares:
    """Integer weights per key (a country or an admin-1 region), per key and name, and the mentions adding to
    each key in text order (for the tie between two largest keys: the one named first wins)."""

    def __init__(self, queries: list[str]):
        self.queries = queries
        self.weight: dict[str, int] = {}
        self.of_query: dict[str, dict[str, int]] = {}  # query -> key -> weight
        self.members: dict[str, list[int]] = {}  # key -> sorted mention indexes adding to it

    def add(self, key: str, i: int, query: str, weight: int) -> None:
        import bisect

        self.weight[key] = self.weight.get(key, 0) + weight
        own = self.of_query.setdefault(query, {})
        own[key] = own.get(key, 0) + weight
        members = self.members.setdefault(key, [])
        if weight > 0:
            bisect.insort(members, i)
        else:
            del members[bisect.bisect_left(members, i)]

    def shares(self, query: str, total: int) -> tuple[dict[str, float], str | None]:
        own = self.of_query.get(query, {})
        values = {k: v - own.get(k, 0) for k, v in self.weight.items()}
        values = {k: v for k, v in values.items() if v > 0}
        if not values:
            return {}, None
        top = max(values.values())
        tied = [k for k, v in values.items() if v == top]
        home = tied[0] if len(tied) == 1 else min(tied, key=lambda k: self._first(k, query))
        return {k: v / total for k, v in values.items()}, home

    def _first(self, key: str, query: str) -> int:
        """The first mention, in text order, of another name than ``query`` that adds to ``key``."""
        return next(i for i in self.members[key] if self.queries[i] != query)


class _AnchorGrid:
    """Confidently resolved towns, bucketed by cells of their point on the unit sphere: a candidate's nearness
    (1 within 150 km of an anchor of another name, 0.5 within 400 km) measures only the anchors of the 27 cells
    around it, with the same distance function."""

    _FINE, _COARSE = 160.0 / 6371.0, 410.0 / 6371.0  # cell edges (unit sphere) above the chords of 150 / 400 km

    def __init__(self):
        # cell -> point -> query -> number of mentions anchored there
        self.cells: tuple[dict, dict] = ({}, {})

    @staticmethod
    def _xyz(lat: float, lon: float) -> tuple[float, float, float]:
        p, q = math.radians(lat), math.radians(lon)
        return math.cos(p) * math.cos(q), math.cos(p) * math.sin(q), math.sin(p)

    def _cell(self, xyz, size: float) -> tuple[int, int, int]:
        return (math.floor(xyz[0] / size), math.floor(xyz[1] / size), math.floor(xyz[2] / size))

    def add(self, lat: float, lon: float, query: str, sign: int) -> None:
        xyz = self._xyz(lat, lon)
        for cells, size in zip(self.cells, (self._FINE, self._COARSE)):
            key = self._cell(xyz, size)
            points = cells.setdefault(key, {})
            queries = points.setdefault((lat, lon), {})
            queries[query] = queries.get(query, 0) + sign
            if not queries[query]:
                del queries[query]
                if not queries:
                    del points[(lat, lon)]
                    if not points:
                        del cells[key]

    def nearness(self, lat: float, lon: float, query: str) -> float:
        xyz = self._xyz(lat, lon)
        if self._within(self.cells[0], self._FINE, xyz, lat, lon, query, 150):
            return 1.0
        if self._within(self.cells[1], self._COARSE, xyz, lat, lon, query, 400):
            return 0.5
        return 0.0

    def _within(self, cells: dict, size: float, xyz, lat: float, lon: float, query: str, km: float) -> bool:
        if not cells:
            return False
        cx, cy, cz = self._cell(xyz, size)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for dz in (-1, 0, 1):
                    points = cells.get((cx + dx, cy + dy, cz + dz))
                    if not points:
                        continue
                    for (plat, plon), queries in points.items():
                        if (len(queries) > 1 or query not in queries) and _km(lat, lon, plat, plon) < km:
                            return True
        return False


def _home_bonus(cand: Candidate, countries: dict[str, float], regions: dict[str, float],
                home_country: str | None, home_region: str | None) -> float:
    bonus = 0.0
    if countries and cand.country == home_country:
        bonus += _HOME_COUNTRY * countries[cand.country]
    if regions and cand.admin1_code and cand.admin1_code == home_region:
        bonus += _HOME_ADMIN1 * regions[cand.admin1_code]
    return bonus


def _choose(mention: Mention, scores: list[float]) -> None:
    best = max(range(len(scores)), key=scores.__getitem__)
    top = scores[best]
    total = sum(math.exp(s - top) for s in scores)
    mention.chosen = mention.candidates[best]
    mention.score = round(mention.chosen.similarity / total, 3)


def resolve_mentions(mentions: list[Mention], weights: Weights = Weights(), passes: int = 2) -> None:
    """Choose a candidate for every mention in place (mentions without candidates stay unresolved).

    Linear in the number of mentions (up to the few candidates of each name and the anchors near each of them):
    what a name's evidence reads from the others is kept in a :class:`_Context` updated as each group settles.
    """
    priors = [_priors(m) for m in mentions]
    same_name = _same_name_groups(mentions)
    children: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.parent is not None:
            children.setdefault(m.parent, []).append(m)
    cluster = _cluster_support(mentions, priors)
    context = _Context(mentions)

    def evidence(i: int, focus, named_all: set[str], nearness) -> list[float]:
        m = mentions[i]
        countries, regions, home, home_region = focus
        parent = mentions[m.parent].chosen if m.parent is not None else None
        named = set() if any(c.fcode in ("PCLI", "PCLS") for c in m.candidates) else named_all
        listed = [mentions[k].chosen for k in m.siblings if mentions[k].chosen is not None]
        scores = []
        for c, base in zip(m.candidates, priors[i]):
            s = base + _user_bonus(c, weights)
            s += weights.focus_country * countries.get(c.country, 0.0)
            s += weights.focus_admin1 * regions.get(c.admin1_code, 0.0)
            s += _home_bonus(c, countries, regions, home, home_region)
            if parent is not None and _contains(parent, c):
                s += weights.parent
            if any(k.chosen is not None and _contains(c, k.chosen) for k in children.get(i, ())):
                s += weights.parent
            s += weights.proximity * nearness(c)
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

    for m in mentions:
        m.chosen = None
    for _ in range(passes):
        for group in order:
            # every mention of a group shares its name, so its focus and its candidates' nearness
            query = mentions[group[0]].query.lower()
            focus = context.focus(query)
            named_all = context.countries_named()
            near: dict[tuple[float, float], float] = {}

            def nearness(c: Candidate, near=near, query=query) -> float:
                if c.fclass != "P" or c.lat is None:
                    return 0.0
                key = (c.lat, c.lon)
                if key not in near:
                    near[key] = context.anchors.nearness(c.lat, c.lon, query)
                return near[key]

            _choose_together([mentions[i] for i in group], [evidence(i, focus, named_all, nearness) for i in group])
            for i in group:
                context.update(i, mentions[i])
    _place_points(mentions)


def _priors(m: Mention) -> list[float]:
    """The prior of each candidate of ``m`` (what the name says of its candidates is worked out once)."""
    facts = (_has_town(m), _has_own_name(m), _own_population(m), _town_population(m))
    return [prior(m, c, *facts) - _oblast_penalty(m, c) for c in m.candidates]


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


def _cluster_support(mentions: list[Mention], priors: list[list[float]]) -> list[list[float] | None]:
    """Per candidate, how many other names of the document have a plausible town within ~100 km of it (half
    within 200 km); a county without a point counts half with the candidates of its state, both ways.

    The chosen readings are not used: "Richmond" and "Irvine" both have a Kentucky town, and that pair supports
    itself before either is settled. Each other name counts once, by its best candidate near this one, weighted
    by that candidate's prior against its name's best prior (a hamlet reading of "Paris" supports little).
    Towns and features with a point take part; regions and countries do not (their focus terms cover them).
    """

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
    support = _support(rows, list(groups))
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


# Rows of _cluster_support measured against each other at once, at most (keeps a dense cluster's blocks small).
_BLOCK = 250_000


def _support(rows: list[tuple], order: list[int]):
    """For each row, the sum over the other names (in ``order``) of the best of their rows' nearness to it times
    their weight: 1 within 100 km, 0.5 within 200 km; with a county, 0.5 when both lie in one admin-1 region.

    Rows can only be near rows of the adjacent cells of a grid on the unit sphere (cells wider than 200 km), or
    share a county's region, so each row is measured against those alone, in blocks: the sums are what the full
    row-by-row matrix gave, term by term and in the same order, in time and memory linear in the rows (bar a
    cluster of thousands of readings within a few hundred kilometres).
    """
    import numpy as np

    n = len(rows)
    group = np.array([r[0] for r in rows])
    lat = np.radians([r[2] for r in rows])
    lon = np.radians([r[3] for r in rows])
    weight = np.array([r[4] for r in rows])
    codes = [r[5] for r in rows]
    code_ids: dict[str, int] = {}
    code = np.array([code_ids.setdefault(c, len(code_ids)) for c in codes])
    county = np.array([r[6] for r in rows], dtype=bool)
    rank = {g: k for k, g in enumerate(order)}
    ranks = [rank[r[0]] for r in rows]  # each row's name's place in the order of summation
    position = np.array(ranks)
    size = 210.0 / 6371.0  # a cell's edge on the unit sphere, above the chord of 200 km
    cells: dict[tuple[int, int, int], list[int]] = {}
    by_code: dict[str, list[int]] = {}  # admin-1 code -> rows
    county_codes: set[str] = set()
    for k, r in enumerate(rows):
        by_code.setdefault(r[5], []).append(k)
        if r[6]:
            county_codes.add(r[5])
            continue
        p, q = lat[k], lon[k]
        cells.setdefault((math.floor(math.cos(p) * math.cos(q) / size), math.floor(math.cos(p) * math.sin(q) / size),
                          math.floor(math.sin(p) / size)), []).append(k)
    support = np.zeros(n)

    def measure(block: list[int], columns: list[int]) -> None:
        i = np.array(block)
        j = np.array(sorted(set(columns), key=lambda k: (ranks[k], k)))
        for lo in range(0, len(i), max(1, _BLOCK // len(j))):
            ii = i[lo:lo + max(1, _BLOCK // len(j))]
            lat_i, lat_j, lon_i, lon_j = lat[ii][:, None], lat[j][None, :], lon[ii][:, None], lon[j][None, :]
            a = np.sin((lat_i - lat_j) / 2) ** 2 + np.cos(lat_i) * np.cos(lat_j) * np.sin((lon_i - lon_j) / 2) ** 2
            km = 12742.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
            near = np.where(km < _CLUSTER_KM, 1.0, np.where(km < 2 * _CLUSTER_KM, 0.5, 0.0))
            either = county[ii][:, None] | county[j][None, :]
            near = np.where(either, np.where(code[ii][:, None] == code[j][None, :], _COUNTY_NEAR, 0.0), near)
            near *= weight[j][None, :]
            # the best per name: columns are sorted by name, in the order of summation
            starts = np.flatnonzero(np.r_[True, position[j][1:] != position[j][:-1]])
            best = np.maximum.reduceat(near, starts, axis=1)
            best[group[ii][:, None] == group[j][starts][None, :]] = 0.0  # a name does not support itself
            support[ii] = np.add.accumulate(best, axis=1)[:, -1]

    for (cx, cy, cz), block in cells.items():
        columns = [k for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)
                   for k in cells.get((cx + dx, cy + dy, cz + dz), ())]
        for name in {codes[k] for k in block} & county_codes:
            columns += [k for k in by_code[name] if county[k]]
        measure(block, columns)
    for name in county_codes:
        measure([k for k in by_code[name] if county[k]], by_code[name])
    return support


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
    best: dict[tuple[str, str], Mention] = {}  # (country, admin-1) -> its best-resolved town, the first on a tie
    for o in mentions:
        c = o.chosen
        if c is not None and c.lat is not None and c.fclass == "P":
            key = (c.country, c.admin1)
            held = best.get(key)
            if held is None or (o.score, c.population) > (held.score, held.chosen.population):
                best[key] = o
    for m in mentions:
        if m.chosen is None:
            continue
        m.lat, m.lon = m.chosen.lat, m.chosen.lon
        if m.lat is not None:
            continue
        anchor = best.get((m.chosen.country, m.chosen.admin1))
        if anchor is not None:
            m.lat, m.lon = anchor.chosen.lat, anchor.chosen.lon

