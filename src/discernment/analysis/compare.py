"""Claims about the same fact across outlets: clusters, agreements and contradictions.

Clustering blocks claims by place and type, links two claims when their dates are within a window and their
MiniLM vectors are close (cosine), and takes connected components. Comparison then looks at pairs from
different claimants about the same place and date window:

- control: territorial claims whose holder (``stance.control_holder``) differs are a contradiction when
  their dates are within the window, and a change of control when they are further apart (a town lost in
  2022 and retaken later is a change, not a contradiction); the same holder from two outlets is agreement;
- quantities: casualty or loss figures with the same unit whose ranges do not overlap ("over 2,000" against
  "about 400") are a contradiction; overlapping ranges are agreement. Only claims in the same cluster are
  compared, so figures about different things do not clash.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..store import Store
from ..store.queries import Filters
from .claims import ClaimRef, claim_vectors, load_claims
from .stance import holder_near, quantity_range, ranges_overlap


@dataclass
class Cluster:
    id: int
    place: str | None
    type: str
    claims: list[ClaimRef]

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(c.outlet for c in self.claims))

    @property
    def first(self) -> ClaimRef:
        return self.claims[0]


@dataclass
class Finding:
    kind: str  # agreement | contradiction | change
    aspect: str  # control | quantity
    place: str | None
    reason: str
    a: ClaimRef
    b: ClaimRef
    detail: dict = field(default_factory=dict)


def _days_apart(a: ClaimRef, b: ClaimRef) -> int | None:
    if a.day is None or b.day is None:
        return None
    return abs((a.day - b.day).days)


def _blocks(claims: list[ClaimRef], towns_only: bool = False) -> dict[tuple, list[ClaimRef]]:
    """Claims grouped by (place key, type); a claim with several places is in each of their blocks.

    Towns and villages come first: a claim naming a town is blocked by it, not by the country or region it
    also names (every claim mentioning "Ukraine" would otherwise be comparable). With ``towns_only``, claims
    that name no resolved town are left out.
    """
    blocks: dict[tuple, list[ClaimRef]] = defaultdict(list)
    for c in claims:
        keys = [("id", g) for g in c.town_ids]
        if not keys and not towns_only:
            keys = [("id", g) for g in c.place_ids] or [("name", n.lower()) for n in c.places] or [("none", c.doc_id)]
        for key in keys:
            blocks[(key, c.type)].append(c)
    return blocks


def cluster_claims(store: Store, claims: list[ClaimRef], encoder=None, window_days: int = 3,
                   threshold: float = 0.6) -> list[Cluster]:
    """Connected components of claims linked by place, type, date window and vector similarity."""
    from ..embeddings import default_encoder

    encoder = encoder or default_encoder()
    vectors = claim_vectors(store, claims, encoder) if claims else {}
    parent = {c.key: c.key for c in claims}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    block_place: dict[tuple[str, int], str | None] = {}
    for (place_key, _type), members in _blocks(claims).items():
        members = sorted(members, key=lambda c: (c.date or "", c.key))
        mat = np.stack([vectors[c.key] for c in members])
        sims = mat @ mat.T
        for i, a in enumerate(members):
            if place_key[0] != "none":
                block_place.setdefault(a.key, a.places[0] if a.places else None)
            for j in range(i + 1, len(members)):
                b = members[j]
                gap = _days_apart(a, b)
                if gap is not None and gap > window_days:
                    break  # sorted by date: later members are further away
                if sims[i, j] >= threshold:
                    parent[find(a.key)] = find(b.key)
    groups: dict[tuple[str, int], list[ClaimRef]] = defaultdict(list)
    for c in claims:
        groups[find(c.key)].append(c)
    clusters = []
    for members in groups.values():
        members.sort(key=lambda c: (c.date or "9999", c.outlet, c.key))
        place = next((block_place[c.key] for c in members if block_place.get(c.key)), None)
        clusters.append(Cluster(0, place, members[0].type, members))
    clusters.sort(key=lambda cl: (-len({c.outlet for c in cl.claims}), -len(cl.claims), cl.first.date or ""))
    for i, cl in enumerate(clusters, 1):
        cl.id = i
    return clusters


def compare_claims(claims: list[ClaimRef], clusters: list[Cluster] | None = None,
                   window_days: int = 7) -> list[Finding]:
    """Agreements, contradictions and changes of control between claims of different claimants."""
    findings: list[Finding] = []
    findings += _compare_control(claims, window_days)
    if clusters is not None:
        findings += _compare_quantities(clusters, window_days)
    order = {"contradiction": 0, "change": 1, "agreement": 2}
    findings.sort(key=lambda f: (order[f.kind], f.place or "", f.a.date or "", f.b.date or ""))
    return findings


def _different_sources(a: ClaimRef, b: ClaimRef) -> bool:
    return a.doc_id != b.doc_id and (a.claimant or a.outlet) != (b.claimant or b.outlet)


def _compare_control(claims: list[ClaimRef], window_days: int) -> list[Finding]:
    territorial = [c for c in claims if c.type == "territorial_control"]
    holders: dict[tuple, str | None] = {}
    for c in territorial:
        for gid, words in c.town_mentions:
            holders[(c.key, gid)] = holders.get((c.key, gid)) or holder_near(c.text, words, c.claimant)
    out = []
    seen: set[tuple] = set()
    for (place_key, _t), members in _blocks(territorial, towns_only=True).items():
        gid = place_key[1]
        members = sorted((c for c in members if holders.get((c.key, gid))), key=lambda c: (c.date or "", c.key))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = (a.key, b.key)
                if pair in seen or not _different_sources(a, b):
                    continue
                seen.add(pair)
                gap = _days_apart(a, b)
                place = _shared_place(a, b)
                ha, hb = holders[(a.key, gid)], holders[(b.key, gid)]
                if ha == hb:
                    if a.outlet != b.outlet and (gap is None or gap <= window_days):
                        out.append(Finding("agreement", "control", place, f"both say {ha} holds {place}", a, b,
                                           {"holder": ha, "days_apart": gap}))
                elif gap is not None and gap > window_days:
                    out.append(Finding("change", "control", place, f"{ha} held {place} on {a.date}; "
                                       f"{hb} on {b.date} ({gap} days later)", a, b,
                                       {"holder_a": ha, "holder_b": hb, "days_apart": gap}))
                else:
                    out.append(Finding("contradiction", "control", place,
                                       f"{a.claimant or a.outlet} says {ha} holds {place}; "
                                       f"{b.claimant or b.outlet} says {hb}", a, b,
                                       {"holder_a": ha, "holder_b": hb, "days_apart": gap}))
    return out


def _shared_place(a: ClaimRef, b: ClaimRef) -> str | None:
    """The name of a town both claims are about (else any place they share, else a's first place)."""
    shared = [n for n in a.towns if n.lower() in {m.lower() for m in b.towns}]
    if shared:
        return shared[0]
    names = [n for n in a.places if n.lower() in {m.lower() for m in b.places}]
    return names[0] if names else (a.places[0] if a.places else None)


def _compare_quantities(clusters: list[Cluster], window_days: int) -> list[Finding]:
    out = []
    for cl in clusters:
        if cl.type not in ("casualties", "equipment_losses") or len(cl.claims) < 2:
            continue
        for i, a in enumerate(cl.claims):
            for b in cl.claims[i + 1:]:
                if not _different_sources(a, b):
                    continue
                gap = _days_apart(a, b)
                if gap is not None and gap > window_days:
                    continue
                for unit, qa, qb in _paired_quantities(a, b):
                    ra, rb = quantity_range(qa), quantity_range(qb)
                    if ra is None or rb is None:
                        continue
                    kind = "agreement" if ranges_overlap(ra, rb) else "contradiction"
                    out.append(Finding(kind, "quantity", cl.place,
                                       f"{unit or 'count'}: {qa['text']!r} ({a.claimant or a.outlet}) vs "
                                       f"{qb['text']!r} ({b.claimant or b.outlet})", a, b,
                                       {"unit": unit, "range_a": ra, "range_b": rb, "cluster": cl.id}))
    return out


def _paired_quantities(a: ClaimRef, b: ClaimRef):
    first_a = {}
    for q in a.quantities:
        first_a.setdefault(q.get("unit"), q)
    done = set()
    for q in b.quantities:
        unit = q.get("unit")
        if unit in first_a and unit not in done and unit not in ("hours", "days", "weeks", "months", "percent", "%"):
            done.add(unit)
            yield unit, first_a[unit], q


def compare(store: Store, filters: Filters = Filters(limit=20000), window_days: int = 7,
            cluster_window_days: int = 3, threshold: float = 0.6, encoder=None) -> list[Finding]:
    """Findings across the stored claims that match ``filters`` (what ``discern compare`` prints)."""
    claims = load_claims(store, filters)
    clusters = cluster_claims(store, [c for c in claims if c.type in ("casualties", "equipment_losses")],
                              encoder, cluster_window_days, threshold)
    return compare_claims(claims, clusters, window_days)


def clusters(store: Store, filters: Filters = Filters(limit=20000), text_contains: str | None = None,
             window_days: int = 3, threshold: float = 0.6, encoder=None) -> list[Cluster]:
    """Clusters of claims about the same fact, largest spread across outlets first."""
    return cluster_claims(store, load_claims(store, filters, text_contains), encoder, window_days, threshold)
