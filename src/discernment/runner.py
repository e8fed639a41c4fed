"""Reading and analysing many inputs in one stream: what ``discern analyze`` and batch runs call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from .api import Analyzer
from .errors import DiscernError, ReadError
from .ingest import Deduplicator, ReadOptions, read_inputs
from .model import Document


@dataclass
class RunStats:
    documents: int = 0
    failed: int = 0
    duplicates: int = 0
    skipped: int = 0


def analyze_inputs(inputs: Iterable[str], analyzer: Analyzer, options: ReadOptions,
                   stdin: bytes | None = None, stats: RunStats | None = None,
                   skip: Callable[[Document], bool] | None = None) -> Iterator[Document | ReadError]:
    """Analysed documents and read errors, in input order; near/exact copies get ``duplicate_of`` set.

    ``skip(doc)`` returning True leaves a document out unanalysed (e.g. already stored by this pipeline).
    """
    stats = stats if stats is not None else RunStats()
    config = analyzer.config
    dedup = Deduplicator.from_config(config)
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
            # Every document passes the deduplicator, skipped ones too, so a resumed run marks the same
            # copies as an uninterrupted one.
            duplicate_of = dedup.check(item) if dedup is not None else None
            if skip is not None and skip(item):
                stats.skipped += 1
                continue
            stats.documents += 1
            item.duplicate_of = duplicate_of
            stats.duplicates += duplicate_of is not None
        pending.append(item)
        if sum(isinstance(p, Document) for p in pending) >= batch_size:
            yield from flush()
    yield from flush()


def ingest_inputs(inputs: Iterable[str], analyzer: Analyzer, options: ReadOptions, store,
                  command: str | None = None, on_error: Callable[[DiscernError], None] | None = None,
                  progress: Callable[[int], None] | None = None, batch_size: int = 50, replace: bool = False):
    """Read, analyse and store inputs; documents already stored by this pipeline are not analysed again.

    A stored document whose analysis has layers this pipeline does not produce is kept as stored and
    reported (E604) unless ``replace``. Returns (run id, IngestStats, RunStats). Each stored batch is one
    transaction; a document the database refuses is reported (E603) and its batch stored without it.
    """
    from .store import IngestStats

    pipeline = analyzer.version
    run_id = store.start_run(pipeline, analyzer.config.to_dict(), command)
    stats = RunStats()
    ingest_stats = IngestStats()

    def documents() -> Iterator[Document]:
        for item in analyze_inputs(inputs, analyzer, options, stats=stats,
                                   skip=lambda d: store.stored_pipeline(d.id) == pipeline):
            if isinstance(item, ReadError):
                if on_error:
                    on_error(item)
                continue
            yield item

    def refused(doc: Document, err: DiscernError) -> None:
        stats.failed += 1
        if on_error:
            on_error(err)

    store.ingest(documents(), run_id, pipeline, batch_size=batch_size, stats=ingest_stats, progress=progress,
                 layers=analyzer.pipeline.layers, replace=replace, on_error=refused)
    ingest_stats.skipped += stats.skipped
    store.finish_run(run_id, ingest_stats)
    return run_id, ingest_stats, stats
