"""JSONL, JSON and CSV/TSV corpora (``table.v1``), streamed record by record.

Columns are found by name (case-insensitive) from the lists in ``[readers.table]``, so common exports work
without mapping; ``--set readers.table.text_fields='["body"]'`` maps others. A bad record (corrupt JSON line,
no text column) is reported with its line number and the rest of the file is still read. A record that is
itself a discernment document (``text`` plus a ``source`` object) keeps its source metadata.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, Iterator

from .. import registry
from ..errors import ReadError
from .base import Items, ReadOptions, make_document
from .encoding import detect_encoding, sniff_binary

_SAMPLE = 65536
_META = ("title", "published", "url", "outlet", "author")


def _open_text(path: Path, shown: str, options: ReadOptions) -> io.TextIOBase:
    try:
        fh = path.open("rb")
    except OSError as err:
        raise ReadError("E101", shown, f"cannot open: {err.strerror or err}") from None
    head = fh.read(_SAMPLE)
    kind = sniff_binary(head)
    if kind:
        fh.close()
        raise ReadError("E103", shown, f"binary file ({kind}), not a text table")
    if not head.strip():
        fh.close()
        raise ReadError("E102", shown, "empty or whitespace-only file")
    try:
        encoding, skip = detect_encoding(head, options.fallback_encodings, complete=len(head) < _SAMPLE)
    except UnicodeDecodeError as err:
        fh.close()
        raise ReadError("E104", shown, f"cannot decode bytes as text: {err}") from None
    fh.seek(skip)
    return io.TextIOWrapper(fh, encoding=encoding, newline="")


def _lookup(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    lowered = {str(k).strip().lower(): v for k, v in record.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value not in (None, ""):
            return value
    return None


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v) or None
    return str(value)


def record_to_document(record: dict[str, Any], shown: str, where: str, options: ReadOptions) -> Items:
    fields = options.table_fields
    nested = record.get("source") if isinstance(record.get("source"), dict) else {}
    text = _lookup(record, fields.get("text", ("text",)))
    if not isinstance(text, str) or not text.strip():
        yield ReadError("E107", f"{shown}:{where}", "record has no text (looked for columns "
                        + ", ".join(fields.get("text", ("text",))) + ")")
        return
    meta = {}
    for key in _META:
        value = nested.get(key) if nested else None
        if value is None:
            value = _lookup({k: v for k, v in record.items() if not isinstance(v, dict)}, fields.get(key, (key,)))
        meta[key] = _as_str(value)
    yield make_document(text, options, shown, **meta)


@registry.readers.register("table.v1")
def read_table(path: Path, shown: str, options: ReadOptions) -> Items:
    suffix = path.suffix.lower()
    try:
        stream = _open_text(path, shown, options)
    except ReadError as err:
        yield err
        return
    with stream:
        try:
            if suffix in (".csv", ".tsv"):
                yield from _read_csv(stream, shown, options, "\t" if suffix == ".tsv" else None)
            elif suffix == ".json":
                yield from _read_json(stream, shown, options)
            else:
                yield from _read_jsonl(stream, shown, options)
        except UnicodeDecodeError as err:
            yield ReadError("E104", shown, f"undecodable bytes part-way through the file: {err}")


def _read_jsonl(stream: io.TextIOBase, shown: str, options: ReadOptions) -> Items:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield ReadError("E106", f"{shown}:{number}", f"invalid JSON: {err.msg} at column {err.colno}")
            continue
        if not isinstance(record, dict):
            yield ReadError("E106", f"{shown}:{number}", f"expected a JSON object, got {type(record).__name__}")
            continue
        yield from record_to_document(record, shown, str(number), options)


def _read_json(stream: io.TextIOBase, shown: str, options: ReadOptions) -> Items:
    text = stream.read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        # Many ".json" exports are really JSON Lines.
        yield from _read_jsonl(io.StringIO(text), shown, options)
        return
    records = data if isinstance(data, list) else [data]
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            yield ReadError("E106", f"{shown}:[{number}]", f"expected a JSON object, got {type(record).__name__}")
            continue
        yield from record_to_document(record, shown, f"[{number}]", options)


def _read_csv(stream: io.TextIOBase, shown: str, options: ReadOptions, delimiter: str | None) -> Items:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    head = stream.read(_SAMPLE)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(head.split("\n", 1)[0] or head, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    rest = _chain(head, stream)
    reader = csv.DictReader(rest, delimiter=delimiter)
    try:
        header = reader.fieldnames or []
    except csv.Error as err:
        yield ReadError("E107", shown, f"CSV header could not be read: {err}")
        return
    text_names = {n.lower() for n in options.table_fields.get("text", ("text",))}
    if not any((h or "").strip().lower() in text_names for h in header):
        yield ReadError("E107", shown, "CSV has no text column (header: " + ", ".join(map(str, header)) + ")")
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield ReadError("E107", f"{shown}:{reader.line_num}", f"malformed CSV: {err}")
            return
        where = str(reader.line_num)
        if None in row:  # more cells than header names: usually a broken quote upstream
            row.pop(None)
        yield from record_to_document(row, shown, where, options)


def _chain(head: str, stream: io.TextIOBase) -> Iterator[str]:
    """Lines of ``head`` followed by the rest of ``stream``, without reading the stream whole."""
    rest = io.StringIO(head + (stream.readline() if head and not head.endswith("\n") else ""))
    yield from rest
    yield from stream
