"""Read-side queries the web needs beside the store's: outlet and claim-type menus. The document list, the
place list and every ``count_*`` total live in :mod:`discernment.store.queries` and are re-exported here.

Like :mod:`discernment.store.queries`, every function takes a Store and returns dataclasses.
"""

from __future__ import annotations

from sqlalchemy import select

from ..store import Store
from ..store import schema as s
from ..store.queries import (  # noqa: F401  (re-exported: the pages and the API read them from here)
    DocumentSummary, Filters, PlaceMatch, PlaceSummary, count_claims, count_documents, count_events, count_places,
    events, list_documents, place_ids, place_summary, places, resolve_place,
)


def outlets(store: Store) -> list[str]:
    """Every outlet in the store, alphabetically (for filter menus)."""
    d = s.documents
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(d.c.outlet).distinct().order_by(d.c.outlet))]


def claim_types(store: Store) -> list[str]:
    c = s.claims
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(c.c.type).distinct().order_by(c.c.type)) if r[0]]

