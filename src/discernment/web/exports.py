"""The claim ledger as CSV, for spreadsheets and R/pandas."""

from __future__ import annotations

import csv
import io
import json

from ..export.cells import safe_cell
from ..store.queries import LedgerRow

CLAIM_COLUMNS = ["doc_id", "idx", "start", "end", "date", "published", "outlet", "title", "claimant", "via",
                 "type", "hedged", "checkworthy", "places", "quantities", "text"]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(safe_cell(value))  # a formula-like text cell gets a leading apostrophe (export/cells.py)


def claims_csv(rows: list[LedgerRow]) -> str:
    """One CSV row per claim, with a header; lists (via, places) and quantities are JSON in their cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CLAIM_COLUMNS)
    for row in rows:
        writer.writerow([_cell(getattr(row, name)) for name in CLAIM_COLUMNS])
    return out.getvalue()
