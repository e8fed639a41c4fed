"""Exports from the store: documents as JSON Lines, the claim ledger as CSV, events as GeoJSON or ACLED CSV,
cross-source findings as CSV (one row per supporting claim).

Every export honours the same filters as the lists (store.queries.Filters): the claim CSV those of the claim
ledger, GeoJSON and ACLED those of the events ledger (type = event type, place, claimant, outlet, publication
dates, ...), JSON Lines those of the document list.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterable, Iterator, TextIO

from ..model import Document
from ..store import Store
from ..store import schema as s
from ..store.queries import Filters, claims, event_keys
from .cells import SafeDictWriter

CLAIM_COLUMNS = ["doc_id", "idx", "start", "end", "published", "as_of", "date", "outlet", "title", "url", "reader",
                 "claimant", "via", "type", "hedged", "checkworthy", "places", "quantities", "text",
                 "verdict", "map_holder", "map_as_of", "map_place", "map_layer", "map_snapshot", "map_status",
                 "map_agree_date", "map_lag_days"]


def stored_documents(store: Store, filters: Filters) -> Iterator[Document]:
    """Stored documents matching the filters, one at a time (never the whole corpus in memory)."""
    from sqlalchemy import select

    from ..store.queries import _document_filters

    query = _document_filters(store, select(s.documents.c.id), filters).order_by(s.documents.c.published,
                                                                                 s.documents.c.id)
    with store.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(query)]
    return documents_by_id(store, ids)


def documents_by_id(store: Store, ids: Iterable[str]) -> Iterator[Document]:
    """The stored documents with these ids, in this order, one at a time (missing ones left out)."""
    for doc_id in ids:
        doc = store.get_document(doc_id)
        if doc is not None:
            yield doc


def _documents_with_events(store: Store, keys: dict[str, set[int]]) -> Iterator[Document]:
    """The documents holding the matched events, oldest publication first (a stable order for the files)."""
    from sqlalchemy import select

    d = s.documents
    ids = sorted(keys)
    ordered: list[tuple] = []
    with store.engine.connect() as conn:
        for i in range(0, len(ids), 500):
            ordered += conn.execute(select(d.c.published, d.c.id).where(d.c.id.in_(ids[i:i + 500]))).all()
    ordered.sort(key=lambda r: (r[0] or "", r[1]))
    return documents_by_id(store, [r[1] for r in ordered])


def claim_csv_row(row) -> dict:
    """One ledger row as flat CSV cells: lists joined with "; " (no JSON in a cell), a reader link to the span."""
    data = {k: getattr(row, k, None) for k in CLAIM_COLUMNS if k != "reader" and not k.startswith("map_")}
    m = getattr(row, "map", None) or {}
    data.update(map_holder=m.get("holder"), map_as_of=m.get("as_of"), map_place=m.get("place"),
                map_layer=m.get("source"), map_snapshot=m.get("snapshot_date"), map_status=m.get("status"),
                map_agree_date=m.get("agree_date"), map_lag_days=m.get("lag_days"))
    data["via"] = "; ".join(row.via)
    data["places"] = "; ".join(p for p in row.places if p)
    data["quantities"] = "; ".join(q.get("text", "") for q in row.quantities)
    data["hedged"] = "true" if row.hedged else "false"
    data["reader"] = f"/doc/{row.doc_id}?span={row.start}-{row.end}"
    return {k: "" if v is None else v for k, v in data.items()}


def write_claims_csv(rows: Iterable, out: TextIO) -> int:
    """The claim ledger rows as CSV (header, then one row per claim, formula-like cells defused)."""
    writer = SafeDictWriter(out, fieldnames=CLAIM_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(claim_csv_row(row))
        n += 1
    return n


def export_claims_csv(store: Store, out: TextIO, filters: Filters) -> int:
    return write_claims_csv(claims(store, filters), out)


def export_store(store: Store, fmt: str, out: TextIO, filters: Filters = Filters(limit=10_000_000),
                 left_out: Counter | None = None) -> int:
    """Write the store's contents in ``fmt`` (json, csv, geojson, acled, findings); returns the number written.

    For ``acled``, the events ACLED would not code are counted by reason in ``left_out``."""
    if fmt == "csv":
        return export_claims_csv(store, out, filters)
    if fmt in ("geojson", "acled"):
        keys = event_keys(store, filters)
        docs = _documents_with_events(store, keys)
        if fmt == "geojson":
            from .geojson import export_geojson

            return export_geojson(docs, out, events=keys)
        from .acled import export_acled

        return export_acled(docs, out, events=keys, left_out=left_out)
    if fmt == "json":
        n = 0
        for doc in stored_documents(store, filters):
            out.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "findings":
        from ..analysis.compare import compare
        from .findings import write_findings_csv

        return write_findings_csv(compare(store, filters), out)
    raise ValueError(f"unknown export format {fmt!r}")
