"""Cross-source findings as flat rows: one row per supporting claim, for spreadsheets, R and pandas.

Each row repeats its finding's kind, aspect, subject and reason, and names the claim's source, side, outlet,
claimant, date, document and exact offsets, so every row can be cited and opened in the reader
(``/doc/DOC_ID?span=START-END``). Cells that a spreadsheet would read as a formula get a leading apostrophe.
"""

from __future__ import annotations

import csv
from typing import Iterable, TextIO

from .cells import safe_cell

FINDING_COLUMNS = ["finding", "kind", "aspect", "subject", "reason", "party", "source", "side", "outlet", "claimant",
                   "as_of", "published", "value", "hedged", "text", "doc_id", "start", "end", "url", "reader"]


def finding_rows(findings: Iterable) -> Iterable[dict]:
    """One dict per (finding, supporting claim); ``party`` is "a" or "b": the claim's side of the finding."""
    for n, f in enumerate(findings, 1):
        sources = {s["source"]: tag for s, tag in zip(f.sources, "ab")}
        for c in f.claims:
            yield {"finding": n, "kind": f.kind, "aspect": f.aspect, "subject": f.subject, "reason": f.reason,
                   "party": sources.get(c.source, ""), "source": c.source, "side": c.side, "outlet": c.outlet,
                   "claimant": c.claimant, "as_of": c.as_of, "published": c.published, "value": c.value,
                   "hedged": c.hedged, "text": c.text, "doc_id": c.doc_id, "start": c.start, "end": c.end,
                   "url": c.url, "reader": f"/doc/{c.doc_id}?span={c.start}-{c.end}"}


def write_findings_csv(findings: Iterable, out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=FINDING_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in finding_rows(findings):
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
        n += 1
    return n
