"""Read-side queries the web needs beside the store's: outlet and claim-type menus. The document list, the
place list and every ``count_*`` total live in :mod:`discernment.store.queries` and are re-exported here.

Like :mod:`discernment.store.queries`, every function takes a Store and returns dataclasses.
"""

from __future__ import annotations

from sqlalchemy import select

from ..store import Store
from ..store import schema as s
from ..store.queries import (  # noqa: F401  (re-exported: the pages and the API read them from here)
    DocumentSummary,
    Filters,
    PlaceMatch,
    PlaceSummary,
    count_claims,
    count_documents,
    count_events,
    count_places,
    events,
    list_documents,
    place_ids,
    place_summary,
    places,
    resolve_place,
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



# What the ledger says for each map verdict (docs/control-maps.md), in the order its filter lists them.
VERDICT_LABELS = {"consistent": "map agrees", "later": "map agreed later", "not_confirmed": "map never agreed",
                  "contested": "contested on the map", "no_map": "no map", "checked": "any checked"}


# A control map's status at a point, in words (docs/control-maps.md).
STATUS_WORDS = {"occupied": "occupied (RU)", "liberated": "liberated (UA)", "unknown": "status unknown",
                "outside": "not occupied (UA)", "no_map": "no map"}


def has_verdicts(store: Store) -> bool:
    """Whether any claim of the store has been judged against a control map."""
    with store.engine.connect() as conn:
        return conn.execute(select(s.claim_verdicts.c.doc_id).limit(1)).first() is not None
