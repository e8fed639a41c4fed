"""CSV cells that a spreadsheet shows as text (CSV or formula injection).

Spreadsheet programs read a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return,
which some strip first) as a formula, so a quoted sentence such as ``=HYPERLINK("http://...")`` or
``-2+3`` would run when an analyst opens the export. Every CSV this package writes passes its text cells
through :func:`safe_cell`, which puts an apostrophe in front; numbers stay numbers. The exact text is always
recoverable from the row's document id and offsets.
"""

from __future__ import annotations

import csv
from typing import Any, Iterable, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class SafeDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose rows go through :func:`safe_cell` (the header is written as given)."""

    def writeheader(self) -> Any:
        return csv.DictWriter.writerow(self, dict(zip(self.fieldnames, self.fieldnames)))

    def writerow(self, rowdict: dict) -> Any:
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[dict]) -> None:
        for row in rowdicts:
            self.writerow(row)


def safe_dict_writer(out: TextIO, fieldnames: list[str], **kwargs: Any) -> SafeDictWriter:
    return SafeDictWriter(out, fieldnames=fieldnames, **kwargs)
