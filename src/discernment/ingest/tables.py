"""JSONL, JSON and CSV/TSV corpora (``table.v1``), streamed record by record.

Columns are found by name (case-insensitive) from the lists in ``[readers.table]``, so common exports work
without mapping; ``--set readers.table.text_fields='["body"]'`` maps others. A record that is itself a
discernment document (``text`` plus a ``source`` object) keeps its source metadata.

One bad record never costs the others: each line is decoded on its own, so an undecodable byte (E104), a line
over ``readers.max_bytes`` (E111), corrupt or hostile JSON (E106: not JSON, nested too deep, a number of
thousands of digits, a lone surrogate escape) and a record without text (E107) are reported with the file and
line, and the next record is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from .. import registry
from ..errors import ReadError
from ..model import LONE_SURROGATE
from .base import Items, ReadOptions, make_document
from .encoding import detect_encoding, sniff_binary

_SAMPLE = 65536
_META = ("title", "published", "url", "outlet", "author")


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
    for name, value in (("text", text), *meta.items()):
        lone = LONE_SURROGATE.search(value) if isinstance(value, str) else None
        if lone:
            yield ReadError("E106", f"{shown}:{where}", f"field {name!r} holds a lone surrogate "
                            f"U+{ord(lone.group()):04X} (an escape such as \\u{ord(lone.group()):04x} with no pair); "
                            "record skipped")
            return
    yield make_document(text, options, shown, **meta)


def _parse_json(text: str, where: str) -> tuple[Any, ReadError | None]:
    """A JSON value, or the E106 error that says why it cannot be read."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as err:
        return None, ReadError("E106", where, f"invalid JSON: {err.msg} at column {err.colno}")
    except RecursionError:
        return None, ReadError("E106", where, "invalid JSON: nested too deeply to read")
    except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits)
        return None, ReadError("E106", where, f"invalid JSON: a number of more than "
                                              f"{sys.get_int_max_str_digits():,} digits")


class _Lines:
    """The physical lines of a table file, each decoded on its own.

    Iterating yields ``(number, text, error)``: ``error`` is a ReadError for a line that cannot be decoded
    (E104) or is over ``max_bytes`` (E111); ``text`` is then the line decoded with replacement characters, so
    a CSV parser keeps its place. A legacy or UTF-8 file is split on newline bytes; UTF-16 and UTF-32, where
    a newline byte can sit inside a character, are decoded as a stream.
    """

    def __init__(self, fh: BinaryIO, encoding: str, shown: str, max_bytes: int):
        self.fh, self.encoding, self.shown, self.max_bytes = fh, encoding, shown, max_bytes
        self.byte_lines = _newline_is_one_byte(encoding)

    def __iter__(self) -> Iterator[tuple[int, str, ReadError | None]]:
        if not self.byte_lines:
            stream = io.TextIOWrapper(self.fh, encoding=self.encoding, newline="")
            number = 0
            try:
                for number, line in enumerate(stream, 1):
                    yield number, line, None
            except UnicodeDecodeError as err:
                yield number + 1, "", ReadError("E104", f"{self.shown}:{number + 1}",
                                                f"undecodable bytes ({err.reason}); the rest of this "
                                                f"{self.encoding} file cannot be read")
            return
        number = 0
        while True:
            raw = self.fh.readline(self.max_bytes + 1)
            if not raw:
                return
            number += 1
            where = f"{self.shown}:{number}"
            if len(raw) > self.max_bytes and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the over-long line
                    raw = self.fh.readline(1 << 20)
                yield number, "\n", ReadError("E111", where, f"line over the limit of {self.max_bytes:,} bytes "
                                                             "(readers.max_bytes); record skipped")
                continue
            try:
                yield number, raw.decode(self.encoding), None
            except UnicodeDecodeError as err:
                yield number, raw.decode(self.encoding, "replace"), ReadError(
                    "E104", where, f"cannot decode byte {raw[err.start:err.start + 1]!r} at column "
                                   f"{err.start + 1} as {self.encoding}; record skipped")


def _newline_is_one_byte(encoding: str) -> bool:
    """Whether a newline byte in ``encoding`` is always a line break (UTF-8 and the single-byte code pages;
    not UTF-16/32, where it can sit inside a character, nor UTF-7)."""
    try:
        return len("\n".encode(encoding)) == 1 and codecs.lookup(encoding).name not in ("utf-7",)
    except LookupError:
        return False


def _open_lines(path: Path, shown: str, options: ReadOptions) -> tuple[BinaryIO, str]:
    """The open file (positioned after any byte-order mark) and its encoding, from the first 64 KB."""
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
    return fh, encoding


@registry.readers.register("table.v1")
def read_table(path: Path, shown: str, options: ReadOptions) -> Items:
    suffix = path.suffix.lower()
    try:
        fh, encoding = _open_lines(path, shown, options)
    except ReadError as err:
        yield err
        return
    with fh:
        lines = _Lines(fh, encoding, shown, options.max_bytes)
        if suffix in (".csv", ".tsv"):
            yield from _read_csv(lines, shown, options, "\t" if suffix == ".tsv" else None)
        elif suffix == ".json":
            yield from _read_json(path, fh, lines, shown, options)
        else:
            yield from _read_jsonl(lines, shown, options)


def _read_jsonl(lines: _Lines, shown: str, options: ReadOptions) -> Items:
    for number, line, error in lines:
        if error is not None:
            yield error
            continue
        if not line.strip():
            continue
        where = f"{shown}:{number}"
        record, error = _parse_json(line, where)
        if error is not None:
            yield error
            continue
        if not isinstance(record, dict):
            yield ReadError("E106", where, f"expected a JSON object, got {type(record).__name__}")
            continue
        yield from record_to_document(record, shown, str(number), options)


def _read_json(path: Path, fh: BinaryIO, lines: _Lines, shown: str, options: ReadOptions) -> Items:
    """A JSON array (or one object) is parsed whole, so it must fit ``readers.max_bytes``; a ``.json`` file
    that is not one JSON value is read as JSON Lines, as many exports are."""
    start = fh.tell()
    size = path.stat().st_size
    if size > options.max_bytes:
        yield ReadError("E111", shown, f"JSON file is {size:,} bytes, over the limit of {options.max_bytes:,} "
                                       "(readers.max_bytes); split it or save it as JSON Lines")
        return
    data = fh.read()
    try:
        text = data.decode(lines.encoding)
    except UnicodeDecodeError:
        text = None
    parsed, error = _parse_json(text, shown) if text is not None else (None, None)
    if text is None or (error is not None and text.strip().count("\n")):
        fh.seek(start)
        yield from _read_jsonl(lines, shown, options)
        return
    if error is not None:
        yield error
        return
    records = parsed if isinstance(parsed, list) else [parsed]
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            yield ReadError("E106", f"{shown}:[{number}]", f"expected a JSON object, got {type(record).__name__}")
            continue
        yield from record_to_document(record, shown, f"[{number}]", options)


def _read_csv(lines: _Lines, shown: str, options: ReadOptions, delimiter: str | None) -> Items:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    bad: dict[int, ReadError] = {}

    def texts() -> Iterator[str]:
        for number, line, error in lines:
            if error is not None:
                bad[number] = error
            yield line

    source = texts()
    first = next(source, "")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(first, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.DictReader(_prepend(first, source), delimiter=delimiter)
    try:
        header = reader.fieldnames or []
    except csv.Error as err:
        yield ReadError("E107", shown, f"CSV header could not be read: {err}")
        return
    if 1 in bad:
        yield ReadError(bad[1].code, f"{shown}:1", f"CSV header: {bad[1].reason}")
        return
    text_names = {n.lower() for n in options.table_fields.get("text", ("text",))}
    if not any((h or "").strip().lower() in text_names for h in header):
        yield ReadError("E107", shown, "CSV has no text column (header: " + ", ".join(map(str, header)) + ")")
        return
    last = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield ReadError("E107", f"{shown}:{reader.line_num}", f"malformed CSV: {err}")
            return
        first_line, last = last + 1, reader.line_num
        errors = [bad.pop(n) for n in range(first_line, last + 1) if n in bad]
        if errors:
            yield errors[0]
            continue
        if None in row:  # more cells than header names: usually a broken quote upstream
            row.pop(None)
        yield from record_to_document(row, shown, str(last), options)


def _prepend(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest
