"""Claims as analysis sees them: one row per claim with its places, outlet, dates and quantities."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import and_, func, insert, select, tuple_
from sqlalchemy.exc import IntegrityError

from ..store import Store
from ..store import schema as s
from ..store.queries import Filters, like_pattern, claim_filters


@dataclass(frozen=True)
class ClaimRef:
    doc_id: str
    idx: int
    start: int
    end: int
    text: str
    type: str
    claimant: str | None
    outlet: str
    date: str | None
    title: str | None
    hedged: bool
    via: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    place_ids: tuple[int, ...] = ()
    quantities: tuple[dict[str, Any], ...] = field(default=(), compare=False)
    # GeoNames ids of the claim's towns and villages (feature PPL*): what control of a place is about.
    town_ids: tuple[int, ...] = ()
    towns: tuple[str, ...] = ()
    town_mentions: tuple[tuple[int, str], ...] = ()  # (GeoNames id, the words the claim uses for it)

    @property
    def key(self) -> tuple[str, int]:
        return (self.doc_id, self.idx)

    @property
    def day(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.date) if self.date else None
        except ValueError:
            return None


def load_claims(store: Store, filters: Filters = Filters(limit=100000), text_contains: str | None = None,
                types: tuple[str, ...] = ()) -> list[ClaimRef]:
    """Claims matching the filters, each with the names and GeoNames ids of its places."""
    c, d, cp = s.claims, s.documents, s.claim_places
    q = select(c.c.doc_id, c.c.idx, c.c.start, c.c.end, c.c.text, c.c.type, c.c.claimant, c.c.claimant_canonical,
               c.c.date, c.c.hedged, c.c.via, c.c.quantities, d.c.outlet, d.c.title).join(d, d.c.id == c.c.doc_id)
    q = claim_filters(store, q, filters)
    if types:
        q = q.where(c.c.type.in_(types))
    if text_contains:
        q = q.where(func.lower(c.c.text).like(like_pattern(text_contains.lower()), escape="\\"))
    q = q.order_by(c.c.date, d.c.outlet, c.c.doc_id, c.c.idx).limit(filters.limit)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
        links: dict[tuple[str, int], list[tuple[str, int | None, str | None]]] = defaultdict(list)
        docs = sorted({r.doc_id for r in rows})
        pl = s.places
        for i in range(0, len(docs), 500):
            query = select(cp.c.doc_id, cp.c.claim_idx, cp.c.name, cp.c.geonames_id, pl.c.feature, pl.c.text).join(
                pl, and_(pl.c.doc_id == cp.c.doc_id, pl.c.idx == cp.c.place_idx)).where(
                cp.c.doc_id.in_(docs[i:i + 500]))
            for r in conn.execute(query):
                links[(r.doc_id, r.claim_idx)].append((r.name, r.geonames_id, r.feature, r.text))
    out = []
    for r in rows:
        places = links.get((r.doc_id, r.idx), [])
        # Towns and villages; capitals (PPLC) are left out: "Kyiv" and "Moscow" mostly stand for governments.
        towns = [(n, g, t) for n, g, feature, t in places
                 if g is not None and (feature or "").startswith("PPL") and feature != "PPLC"]
        out.append(ClaimRef(
            r.doc_id, r.idx, r.start, r.end, r.text, r.type, r.claimant_canonical or r.claimant, r.outlet, r.date,
            r.title, bool(r.hedged), tuple(r.via or ()), tuple(dict.fromkeys(n for n, _, _, _ in places if n)),
            tuple(sorted({g for _, g, _, _ in places if g is not None})), tuple(r.quantities or ()),
            tuple(sorted({g for _, g, _ in towns})), tuple(dict.fromkeys(n for n, _, _ in towns)),
            tuple(dict.fromkeys((g, t) for _, g, t in towns if t))))
    return out


def claim_vectors(store: Store, claims: list[ClaimRef], encoder) -> dict[tuple[str, int], np.ndarray]:
    """Sentence vectors for the claims, from the store's cache or computed now and cached."""
    from ..embeddings import MODEL_ID

    v = s.claim_vectors
    found: dict[tuple[str, int], np.ndarray] = {}
    keys = [c.key for c in claims]
    with store.engine.connect() as conn:
        for i in range(0, len(keys), 400):
            chunk = keys[i:i + 400]
            rows = conn.execute(select(v).where(and_(v.c.model == MODEL_ID, tuple_(v.c.doc_id, v.c.idx).in_(chunk))))
            for r in rows:
                found[(r.doc_id, r.idx)] = np.frombuffer(r.vector, dtype="<f4")
    missing = [c for c in claims if c.key not in found]
    if missing:
        vectors = encoder.encode([c.text for c in missing])
        try:
            with store.engine.begin() as conn:
                conn.execute(insert(v), [{"doc_id": c.doc_id, "idx": c.idx, "model": MODEL_ID,
                                          "vector": vec.astype("<f4").tobytes()} for c, vec in zip(missing, vectors)])
        except IntegrityError:
            pass  # another process cached the same (deterministic) vectors first
        for c, vec in zip(missing, vectors):
            found[c.key] = vec
    return found
