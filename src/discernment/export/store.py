"""Exports from the store: documents as JSON Lines, the claim ledger as CSV, events as GeoJSON or ACLED CSV,
cross-source findings as CSV (one row per supporting claim)."""

from __future__ import annotations

import csv
import json
from typing import Iterator, TextIO

from ..model import Document
from ..store import Store
from ..store.queries import Filters, claims
from ..store import schema as s
from .cells import SafeDictWriter

CLAIM_COLUMNS = ["date", "outlet", "type", "claimant", "via", "hedged", "checkworthy", "text", "places",
                 "quantities", "title", "published", "doc_id", "idx", "start", "end"]


def stored_documents(store: Store, filters: Filters) -> Iterator[Document]:
    """Stored documents matching the filters, one at a time (never the whole corpus in memory)."""
    from sqlalchemy import select

    from ..store.queries import _document_filters

    query = _document_filters(store, select(s.documents.c.id), filters).order_by(s.documents.c.published,
                                                                                 s.documents.c.id)
    with store.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(query)]
    for doc_id in ids:
        doc = store.get_document(doc_id)
        if doc is not None:
            yield doc


def export_claims_csv(store: Store, out: TextIO, filters: Filters) -> int:
    writer = SafeDictWriter(out, fieldnames=CLAIM_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    rows = claims(store, filters)
    for row in rows:
        data = row.__dict__.copy()
        data["via"] = "; ".join(row.via)
        data["places"] = "; ".join(row.places)
        data["quantities"] = "; ".join(q.get("text", "") for q in row.quantities)
        writer.writerow(data)
    return len(rows)


def export_store(store: Store, fmt: str, out: TextIO, filters: Filters = Filters(limit=10_000_000)) -> int:
    """Write the store's contents in ``fmt`` (json, csv, geojson, acled, findings); returns the number written."""
    if fmt == "csv":
        return export_claims_csv(store, out, filters)
    docs = stored_documents(store, filters)
    if fmt == "json":
        n = 0
        for doc in docs:
            out.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "geojson":
        from .geojson import export_geojson

        return export_geojson(docs, out)
    if fmt == "acled":
        from .acled import export_acled

        return export_acled(docs, out)
    if fmt == "findings":
        from ..analysis.compare import compare
        from .findings import write_findings_csv

        return write_findings_csv(compare(store, filters), out)
    raise ValueError(f"unknown export format {fmt!r}")
