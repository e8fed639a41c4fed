"""Reading and analysing many inputs in one stream: what ``discern analyze`` and batch runs call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from .api import Analyzer
from .errors import ReadError
from .ingest import Deduplicator, ReadOptions, read_inputs
from .model import Document


@dataclass
class RunStats:
    documents: int = 0
    failed: int = 0
    duplicates: int = 0


def analyze_inputs(inputs: Iterable[str], analyzer: Analyzer, options: ReadOptions,
                   stdin: bytes | None = None, stats: RunStats | None = None) -> Iterator[Document | ReadError]:
    """Analysed documents and read errors, in input order; near/exact copies get ``duplicate_of`` set."""
    stats = stats if stats is not None else RunStats()
    config = analyzer.config
    dedup = (Deduplicator(config["dedup.threshold"], config["dedup.num_perm"], config["dedup.shingle_words"])
             if config["dedup.enabled"] else None)
    pending: list[Document | ReadError] = []

    def flush() -> Iterator[Document | ReadError]:
        docs = [p for p in pending if isinstance(p, Document)]
        analysed = iter(analyzer.pipe(docs, batch_size=max(1, len(docs))) if docs else ())
        for item in pending:
            yield next(analysed) if isinstance(item, Document) else item
        pending.clear()

    batch_size = config["pipeline.batch_size"]
    for item in read_inputs(inputs, options, stdin=stdin):
        if isinstance(item, ReadError):
            stats.failed += 1
        else:
            stats.documents += 1
            if dedup is not None:
                item.duplicate_of = dedup.check(item)
                stats.duplicates += item.duplicate_of is not None
        pending.append(item)
        if sum(isinstance(p, Document) for p in pending) >= batch_size:
            yield from flush()
    yield from flush()
