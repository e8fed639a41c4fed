"""``reconcile.v1``: entities that the gazetteer resolved as places become GPE/LOC entities.

spaCy's small English model tags some Ukrainian towns as people or organisations ("Kryvyi Rih",
"Balakliia", "Kupiansk"); ``places.v1`` finds them through the gazetteer. This component relabels an entity
whose span is (or lies within) a resolved place, so later components never take a town for a speaker, and
adds the place's name as its canonical form.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace

from .. import registry
from ..config import Config
from ..model import Document, Entity, Place
from ..pipeline import Component, Resources


class Reconcile(Component):
    name = "reconcile.v1"
    requires = ("doc.entities", "doc.places")
    assigns = ("doc.entities",)

    def __call__(self, doc: Document) -> Document:
        resolved = [p for p in doc.places if p.name and p.lat is not None]
        if resolved:
            index = _Places(resolved)
            doc.set_layer("entities", [_reconciled(ent, index.near(ent)) for ent in doc.entities])
        return doc


class _Places:
    """Places sorted by start, to pick those that may cover or lie inside an entity by bisection rather than
    try every place for every entity (which made a long document quadratic)."""

    def __init__(self, places: list[Place]):
        self.places = places
        self.order = sorted(range(len(places)), key=lambda k: (places[k].start, k))
        self.starts = [places[k].start for k in self.order]
        self.reach: list[int] = []  # the furthest end of the places up to each position
        for k in self.order:
            self.reach.append(max(self.reach[-1], places[k].end) if self.reach else places[k].end)

    def near(self, ent: Entity) -> list[Place]:
        """The places overlapping or touching [ent.start, ent.end], in their original order: every place that can
        hold the entity or lie inside it."""
        lo, hi = bisect_left(self.reach, ent.start), bisect_right(self.starts, ent.end)
        return [self.places[k] for k in sorted(self.order[lo:hi]) if self.places[k].end >= ent.start]


def _reconciled(ent: Entity, places: list[Place]) -> Entity:
    """The entity relabelled as a place when a resolved place covers (nearly) all of it; else unchanged."""
    if ent.label == "NORP":  # "Ukrainian" is a demonym, not a place
        return ent
    for p in places:
        inside = p.start <= ent.start and ent.end <= p.end
        covers = ent.start <= p.start and p.end <= ent.end and (p.end - p.start) >= 0.8 * (ent.end - ent.start)
        if inside or covers:
            label = ent.label if ent.label in ("GPE", "LOC") else "GPE"
            return replace(ent, label=label, canonical=p.name)
    return ent


@registry.components.register("reconcile.v1")
def make_reconcile(config: Config, resources: Resources) -> Reconcile:
    return Reconcile()
