"""Readable terminal summaries of analysed documents (used by the CLI only)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TextIO

from .model import Document


class Summary:
    def __init__(self, stream: TextIO):
        from rich.console import Console

        self.console = Console(file=stream, highlight=False, soft_wrap=True)
        self.totals_by_layer: Counter = Counter()

    def document(self, doc: Document) -> None:
        from rich.markup import escape

        src = doc.source
        title = src.title or src.path or doc.id[:12]
        words = len(doc.text.split())
        outlet = escape(src.outlet or "unknown outlet")
        head = f"[bold]{escape(title)}[/bold]  ({outlet}, {src.published or 'undated'}, {words} words)"
        if doc.duplicate_of:
            head += f"  [yellow]copy of {doc.duplicate_of[:12]}[/yellow]"
        self.console.print(head)
        counts = {name: len(getattr(doc, name)) for name in
                  ("entities", "places", "quotes", "claims", "events", "techniques")}
        self.totals_by_layer.update(counts)
        self.console.print("  " + ", ".join(f"{n} {c}" for n, c in counts.items()) + f"; genre {doc.genre.label}")
        people = Counter(e.canonical for e in doc.entities if e.label == "PERSON")
        if people:
            self.console.print("  people: " + escape(", ".join(f"{n} ({c})" for n, c in people.most_common(5))))
        for quote in doc.quotes[:3]:
            who = quote.speaker.canonical or quote.speaker.text if quote.speaker else "unattributed"
            self.console.print(f"  quote ({quote.kind}) {escape(who)}: \u201c{escape(_clip(quote.text))}\u201d")
        for claim in doc.claims[:3]:
            by = claim.claimant.canonical or claim.claimant.text if claim.claimant else "?"
            self.console.print(f"  claim [{claim.type}] {escape(by)}: {escape(_clip(claim.text))}")
        if doc.places:
            names = Counter(p.name or p.text for p in doc.places)
            self.console.print("  places: " + escape(", ".join(n for n, _ in names.most_common(6))))
        self.console.print()

    def totals(self, stats, output: Path | None) -> None:
        self.console.print(f"[bold]{stats.documents} documents[/bold] analysed, {stats.failed} failed, "
                           f"{stats.duplicates} duplicates; "
                           + ", ".join(f"{n} {c}" for n, c in self.totals_by_layer.items()))
        if output:
            self.console.print(f"JSON (one document per line) written to {output}")


def _clip(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def rows_as_dicts(rows) -> list[dict]:
    from dataclasses import asdict, is_dataclass

    return [asdict(r) if is_dataclass(r) else dict(r) for r in rows]


def print_rows(rows, fmt: str, columns: list[str], stream: TextIO, title: str | None = None) -> None:
    """Rows as a terminal table (``table``), JSON (``json``: one array) or CSV (``csv``: every field)."""
    import json

    data = rows_as_dicts(rows)
    if fmt == "json":
        json.dump(data, stream, ensure_ascii=False, indent=1)
        stream.write("\n")
        return
    if fmt == "csv":
        fields = list(data[0].keys()) if data else columns
        from .export.cells import SafeDictWriter

        writer = SafeDictWriter(stream, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for row in data:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict, tuple)) else v
                             for k, v in row.items()})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, expand=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in data:
        table.add_row(*[_cell(row.get(c)) for c in columns])
    Console(file=stream, soft_wrap=False).print(table)
    if not data:
        stream.write("(no rows)\n")


def _cell(value) -> str:
    from rich.markup import escape

    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, dict):
        return escape(", ".join(f"{k} {v}" for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return escape(", ".join(_plain(v) for v in value))
    return escape(_clip(str(value), 160))


def _plain(value) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return value.get("text") or str(value)
    return str(value)
