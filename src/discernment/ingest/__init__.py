"""Readers: files, directories, URLs and standard input to Documents, in input order.

``read_inputs`` yields a :class:`~discernment.model.Document` or a :class:`~discernment.errors.ReadError`
for every input, so one bad file never stops the others. Each reader is registered (``text.v1``,
``html.v1``, ``table.v1``, ``feed.v1``) and chosen by file extension from the ``[readers]`` settings.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from .. import registry
from ..errors import DiscernError, ReadError
from . import feeds, html, tables, text  # noqa: F401  (register the readers)
from .base import ReadItem, ReadOptions, shown_path
from .dedup import Deduplicator

__all__ = ["Deduplicator", "ReadItem", "ReadOptions", "read_inputs", "read_path", "walk_directory"]

_READERS = {"text": "text.v1", "html": "html.v1", "table": "table.v1", "feed": "feed.v1"}


def read_inputs(inputs: Iterable[str], options: ReadOptions, stdin: bytes | None = None) -> Iterator[ReadItem]:
    """Every document (or error) from the inputs, in order. ``-`` reads ``stdin`` as plain text."""
    for item in inputs:
        if item == "-":
            yield from text.read_stdin_bytes(stdin or b"", options)
        elif item.startswith(("http://", "https://")):
            yield from feeds.read_feed_url(item, options)
        else:
            yield from read_path(Path(item), shown_path(item), options)


def read_path(path: Path, shown: str, options: ReadOptions) -> Iterator[ReadItem]:
    if path.is_dir():
        for file_path, file_shown in walk_directory(path, shown, options):
            if isinstance(file_path, ReadError):
                yield file_path
            else:
                yield from _read_file(file_path, file_shown, options)
        return
    if not path.exists():
        yield ReadError("E101", shown, "no such file or directory")
        return
    yield from _read_file(path, shown, options, explicit=True)


def _read_file(path: Path, shown: str, options: ReadOptions, explicit: bool = False) -> Iterator[ReadItem]:
    kind = options.reader_for(path)
    if kind is None:
        if explicit and path.suffix == "":
            kind = "text"  # an extension-less file named on the command line is read as plain text
        else:
            supported = ", ".join(sorted(e for exts in options.extensions.values() for e in exts))
            yield ReadError("E105", shown, f"unsupported file type {path.suffix!r} (supported: {supported})")
            return
    try:
        yield from registry.readers.get(_READERS[kind])(path, shown, options)
    except DiscernError as err:  # a safety net: whatever a reader raises ends that file, never the run
        yield err if isinstance(err, ReadError) else ReadError(err.code, shown, err.message)


def walk_directory(root: Path, shown: str, options: ReadOptions) -> Iterator[tuple]:
    """(path, shown name) for every supported file under ``root``, sorted, recursing into subdirectories.

    Symbolic links to directories are followed once (a loop is reported as E112, not walked forever);
    unreadable directories are reported as E112 and skipped.
    """
    visited: set[str] = set()

    def walk(directory: Path, display: str) -> Iterator[tuple]:
        real = os.path.realpath(directory)
        if real in visited:
            yield (ReadError("E112", display, "symbolic link loop; directory already visited"), None)
            return
        visited.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as err:
            yield (ReadError("E112", display, f"cannot list directory: {err.strerror or err}"), None)
            return
        for entry in entries:
            child = Path(entry.path)
            child_shown = shown_path(os.path.join(display, entry.name))
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                yield from walk(child, child_shown)
            elif options.reader_for(child) is not None:
                if entry.is_symlink() and not child.exists():
                    yield (ReadError("E101", child_shown, "broken symbolic link"), None)
                elif not _regular(entry):
                    # A FIFO would block the walk until something writes to it; a device never ends.
                    yield (ReadError("E101", child_shown, "not a regular file (a FIFO, socket or device); "
                                                          "name it on the command line to read it"), None)
                else:
                    yield (child, child_shown)

    yield from walk(root, shown)


def _regular(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file(follow_symlinks=True)
    except OSError:
        return False
