"""The input stream cut into partitions of K documents, each with a stable id, read lazily.

A partition's id hashes the pipeline version, where it lies in the input (absolute path and item numbers of
its first and last documents) and the content ids of its documents, in order. The same inputs read again give
the same ids, so a rerun recognises the partitions an interrupted run finished; a file edited since then gives
new ids for the partitions it changed (their documents are still skipped when the store already has them).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from ..errors import ReadError
from ..ingest import ReadOptions, read_inputs, walk_directory
from ..model import Document

_COUNT_CHUNK = 1 << 20


@dataclass
class Partition:
    """K consecutive documents of the input stream (read errors are reported apart, never part of one)."""

    number: int
    documents: list[Document]
    locations: list[tuple[str, int]]  # per document: (input, item number within that input, from 1)

    @property
    def label(self) -> str:
        """Where the partition lies: ``path#first-last`` or ``path#n..other#m`` when it spans inputs."""
        (a_path, a_n), (b_path, b_n) = self.locations[0], self.locations[-1]
        if a_path == b_path:
            return f"{a_path}#{a_n}-{b_n}"
        return f"{a_path}#{a_n}..{b_path}#{b_n}"

    def partition_id(self, pipeline: str) -> str:
        digest = hashlib.sha256()
        for part in (pipeline, self.label, *(doc.id for doc in self.documents)):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()


PartitionItem = Union[Partition, ReadError]


def input_name(item: str) -> str:
    """How an input is named in partition labels: an absolute path for files, the string itself otherwise."""
    if item == "-" or item.startswith(("http://", "https://")):
        return item
    return os.path.abspath(item)


def partition_inputs(inputs: Iterable[str], options: ReadOptions, size: int,
                     stdin: bytes | None = None) -> Iterator[PartitionItem]:
    """Partitions of ``size`` documents and read errors, in input order, streaming (one partition in memory)."""
    if size < 1:
        raise ValueError("partition size must be at least 1")
    number = 0
    current: list[Document] = []
    locations: list[tuple[str, int]] = []
    for item in inputs:
        name = input_name(item)
        for position, read in enumerate(read_inputs([item], options, stdin=stdin), 1):
            if isinstance(read, ReadError):
                yield read
                continue
            current.append(read)
            locations.append((name, position))
            if len(current) >= size:
                yield Partition(number, current, locations)
                number += 1
                current, locations = [], []
    if current:
        yield Partition(number, current, locations)


def estimate_documents(inputs: Iterable[str], options: ReadOptions) -> int | None:
    """About how many documents the inputs hold, without parsing them (for the progress bar's ETA).

    JSONL counts its lines and CSV its lines less the header (an upper bound when cells hold newlines); any
    other file counts one; ``-`` and URLs make the total unknown (None).
    """
    total = 0
    for item in inputs:
        if item == "-" or item.startswith(("http://", "https://")):
            return None
        path = Path(item)
        if path.is_dir():
            files = [p for p, _ in walk_directory(path, item, options) if not isinstance(p, ReadError)]
        elif path.exists():
            files = [path]
        else:
            continue
        for file in files:
            total += _estimate_file(file, options)
    return total


def _estimate_file(path: Path, options: ReadOptions) -> int:
    if options.reader_for(path) != "table" or path.suffix.lower() == ".json":
        return 1
    lines = 0
    last = b"\n"
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_COUNT_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 0
    lines += last != b"\n"
    is_csv = path.suffix.lower() in (".csv", ".tsv")
    return max(0, lines - 1) if is_csv else lines
