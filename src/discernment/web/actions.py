"""What the write endpoints do: read a posted text, file or URL into Documents, analyse them, store them.

Uploaded files are written to a private temporary directory under a fixed name that keeps only the (checked)
extension of the client's file name, so a hostile name ("../../etc/passwd", newlines, NULs) never becomes a path.
"""

from __future__ import annotations

import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import ReadError
from ..ingest import ReadOptions, read_path
from ..ingest.base import check_text, make_document
from ..model import Document

_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")


class LazyAnalyzer:
    """One Analyzer per app, built on first use; calls are serialised (a spaCy pipeline is not thread-safe)."""

    def __init__(self, factory: Callable[[], object]):
        self._factory = factory
        self._analyzer = None
        self._lock = threading.Lock()

    def get(self):
        with self._lock:
            if self._analyzer is None:
                self._analyzer = self._factory()
            return self._analyzer

    def analyze(self, docs: list[Document]) -> list[Document]:
        analyzer = self.get()
        with self._lock:
            return list(analyzer.pipe(docs, batch_size=max(1, len(docs)))) if docs else []

    @property
    def loaded(self) -> bool:
        return self._analyzer is not None


def safe_name(filename: str | None) -> str:
    """A printable, path-free version of a client's file name for messages and ``source.path``."""
    name = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in "\r\n\t\x00")[:200]
    return name or "upload"


def read_upload(data: bytes, filename: str | None, options: ReadOptions) -> list[Document | ReadError]:
    """The documents (or read errors) in an uploaded file, read by the reader its extension selects."""
    shown = safe_name(filename)
    match = _SAFE_SUFFIX.fullmatch(Path(shown).suffix or "")
    suffix = match.group(0).lower() if match else ".txt"
    with tempfile.TemporaryDirectory(prefix="discern-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        return list(read_path(path, shown, options))


def read_posted_text(text: str, options: ReadOptions, **meta: str | None) -> Document:
    """A posted text as a Document (E102 for an empty one); ``meta`` fills source fields."""
    return make_document(check_text(text, "<request>"), options, None, **meta)


def read_url(address: str, options: ReadOptions, **meta: str | None) -> Document:
    """The main text of a public web page (E110 for private, loopback and link-local addresses; E108 no text)."""
    from ..ingest.encoding import decode_bytes
    from ..ingest.fetch import fetch_url
    from ..ingest.html import html_to_document_fields

    data = fetch_url(address, options.url_timeout, options.url_max_bytes, allow_private=False)
    fields = html_to_document_fields(decode_bytes(data, address, options.fallback_encodings))
    text = fields.pop("text", None)
    if not text or not text.strip():
        raise ReadError("E108", address, "no main text found in the HTML page")
    fields["url"] = fields.get("url") or address
    fields.update({k: v for k, v in meta.items() if v})
    return make_document(text, options, None, **fields)


@dataclass
class IngestResult:
    run_id: int
    added: int
    updated: int
    skipped: int
    documents: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def ingest_documents(store, analyzer: LazyAnalyzer, items: list[Document | ReadError],
                     command: str = "web") -> IngestResult:
    """Analyse and store documents (documents this pipeline already stored are not analysed again)."""
    from ..store import IngestStats

    pipeline = analyzer.get().version
    docs = [d for d in items if isinstance(d, Document)]
    errors = [read_error_dict(e) for e in items if isinstance(e, ReadError)]
    todo = [d for d in docs if store.stored_pipeline(d.id) != pipeline]
    run_id = store.start_run(pipeline, analyzer.get().config.to_dict(), command)
    stats = IngestStats(skipped=len(docs) - len(todo))
    refused = []
    layers = getattr(getattr(analyzer.get(), "pipeline", None), "layers", None)
    store.ingest(analyzer.analyze(todo), run_id, pipeline, stats=stats, layers=layers,
                 on_error=lambda doc, err: refused.append({"code": err.code, "path": doc.source.path,
                                                           "reason": err.message}))
    store.finish_run(run_id, stats)
    from ..analysis.verdicts import refresh_run

    refresh_run(store, run_id, analyzer.get().config)
    return IngestResult(run_id, stats.added, stats.updated, stats.skipped,
                        [d.id for d in docs], errors + refused)


def read_error_dict(err: ReadError) -> dict:
    return {"code": err.code, "path": err.path, "reason": err.reason}
