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
    out_of_range: int = 0  # left out unanalysed: published outside --since/--until (or undated, with either)


def published_in(since: str | None = None, until: str | None = None) -> Callable[[Document], bool] | None:
    """A test that a document's publication date lies in [since, until] (YYYY-MM-DD, inclusive; a document
    without a publication date is outside any range); None when neither bound is given."""
    if not since and not until:
        return None

    def test(doc: Document) -> bool:
        day = doc.source.published
        return bool(day) and (not since or day >= since) and (not until or day <= until)

    return test


def analyze_inputs(inputs: Iterable[str], analyzer: Analyzer, options: ReadOptions,
                   stdin: bytes | None = None, stats: RunStats | None = None,
                   skip: Callable[[Document], bool] | None = None,
                   select: Callable[[Document], bool] | None = None,
                   limit: int | None = None) -> Iterator[Document | ReadError]:
    """Analysed documents and read errors, in input order; near/exact copies get ``duplicate_of`` set.

    ``select(doc)`` returning False leaves a document out unanalysed and uncounted by the deduplicator (e.g.
    published outside a date range: ``stats.out_of_range``); ``skip(doc)`` returning True leaves it out
    unanalysed (e.g. already stored by this pipeline). With ``limit``, reading stops once that many documents
    are to be analysed.
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
        if limit is not None and stats.documents >= limit:
            break
        if isinstance(item, ReadError):
            stats.failed += 1
        elif select is not None and not select(item):
            stats.out_of_range += 1
            continue
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
                  progress: Callable[[int], None] | None = None, batch_size: int = 50, replace: bool = False,
                  since: str | None = None, until: str | None = None, limit: int | None = None):
    """Read, analyse and store inputs; documents already stored by this pipeline are not analysed again.

    With ``since``/``until`` (YYYY-MM-DD, inclusive) only documents published in that range are analysed and
    stored (an undated one is outside any range); with ``limit``, at most that many documents are analysed and
    stored (those already stored do not count).

    A stored document whose analysis has layers this pipeline does not produce is kept as stored and
    reported (E604) unless ``replace``. Returns (run id, IngestStats, RunStats). Each stored batch is one
    transaction; a document the database refuses is reported (E603) and its batch stored without it.
    """
    from .analysis.verdicts import refresh_run
    from .store import IngestStats

    pipeline = analyzer.version
    run_id = store.start_run(pipeline, analyzer.config.to_dict(), command)
    stats = RunStats()
    ingest_stats = IngestStats()

    def documents() -> Iterator[Document]:
        for item in analyze_inputs(inputs, analyzer, options, stats=stats,
                                   skip=lambda d: store.stored_pipeline(d.id) == pipeline,
                                   select=published_in(since, until), limit=limit):
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
    refresh_run(store, run_id, analyzer.config)
    return run_id, ingest_stats, stats
