"""The batch driver: read and partition the input, farm partitions out to an engine, store them in order.

Design (see docs/scaling.md): workers analyse and return serialised documents; this driver is the only writer.
It commits each partition in one transaction, in input order, then marks it finished in the checkpoint table.
Input order makes the store identical to a single-process run's (near-duplicate decisions depend on every
earlier document) and keeps finished partitions a prefix of the input. A bounded window of partitions in
flight keeps every worker busy and the driver's memory flat.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..config import Config
from ..errors import ReadError
from ..ingest import ReadOptions
from ..model import Document
from ..store import IngestStats, Store
from .checkpoints import Checkpoints
from .dedup import check_signed, make_deduplicator
from .partitions import Partition, partition_inputs
from .worker import PartitionResult

# Code reported when a component raised on one document; rerunning retries it (its partition stays unfinished).
ANALYSIS_FAILED = "E501"


@dataclass
class DocumentFailure:
    """A document that was read but could not be analysed; ``path`` names the input and item."""

    code: str
    path: str
    reason: str


@dataclass
class BatchStats:
    pipeline: str = ""
    run_id: int | None = None
    documents: int = 0          # read from the inputs
    read_errors: int = 0
    analysed: int = 0
    failed: int = 0             # read but not analysed (a component raised)
    duplicates: int = 0         # near or exact copies of an earlier document (duplicate_of set)
    partitions: int = 0
    resumed: int = 0            # partitions an earlier run had finished
    stored: IngestStats = field(default_factory=IngestStats)


@dataclass
class _InFlight:
    partition: Partition
    partition_id: str
    resumed: bool
    future: Any  # .result() -> PartitionResult, or None when nothing was submitted


def run_batch(inputs: Iterable[str], config: Config, store: Store, engine, *, partition_size: int = 100,
              options: ReadOptions | None = None, command: str | None = None, stdin: bytes | None = None,
              on_error: Callable[[ReadError | DocumentFailure], None] | None = None,
              on_progress: Callable[[int], None] | None = None, window: int | None = None,
              replace: bool = False) -> BatchStats:
    """Analyse every input on ``engine`` (already entered, not started) and store the results; resumable.

    ``on_progress(n)`` is called after each partition with its number of documents (finished ones included),
    ``on_error`` with every read error, analysis failure and store refusal as it happens. A partition with a
    failure or refusal is not checkpointed, so a rerun (with ``replace``, for E604) tries it again.
    """
    from ..pipeline import layers_of

    options = options or ReadOptions.from_config(config)
    values = worker_settings(config, engine.workers)
    stats = BatchStats()
    stats.pipeline = pipeline = engine.start(values)
    checkpoints = Checkpoints(store.engine)
    finished = checkpoints.finished(pipeline)
    stats.run_id = store.start_run(pipeline, values, command)
    layers = layers_of(config["pipeline.components"])
    dedup = make_deduplicator(config)
    window = window or 2 * engine.workers + 1
    in_flight: deque[_InFlight] = deque()

    def commit(job: _InFlight) -> None:
        result: PartitionResult = job.future.result() if job.future is not None else PartitionResult()
        to_store: list[Document] = []
        docs = job.partition.documents
        for i, doc in enumerate(docs):
            duplicate_of = check_signed(dedup, doc.id, result.signatures[i]) if dedup is not None else None
            stats.duplicates += duplicate_of is not None
            data = result.documents[i] if result.documents else None
            if data is not None:
                analysed = Document.from_dict(data)
                analysed.duplicate_of = duplicate_of
                to_store.append(analysed)
        for i, reason in result.failures:
            name, number = job.partition.locations[i]
            if on_error:
                on_error(DocumentFailure(ANALYSIS_FAILED, f"{docs[i].source.path or name} (item {number})", reason))
        stats.failed += len(result.failures)
        stats.analysed += len(to_store)
        refused = []

        def refuse(doc: Document, err) -> None:
            refused.append(doc)
            if on_error:
                on_error(DocumentFailure(err.code, doc.source.path or doc.id[:12], err.message))

        if to_store:
            store.ingest(to_store, stats.run_id, pipeline, batch_size=len(to_store), stats=stats.stored,
                         layers=layers, replace=replace, on_error=refuse)
        stats.failed += len(refused)
        if not result.failures and not refused and not job.resumed:
            checkpoints.mark(job.partition_id, pipeline, job.partition.label, len(docs), stats.run_id)
        if on_progress:
            on_progress(len(docs))

    for item in partition_inputs(inputs, options, partition_size, stdin=stdin):
        if isinstance(item, ReadError):
            stats.read_errors += 1
            if on_error:
                on_error(item)
            continue
        stats.partitions += 1
        stats.documents += len(item.documents)
        partition_id = item.partition_id(pipeline)
        resumed = partition_id in finished
        stats.resumed += resumed
        analyse = [False] * len(item.documents) if resumed else _not_stored(store, item.documents, pipeline)
        stats.stored.skipped += analyse.count(False) if not resumed else len(item.documents)
        future = None
        if any(analyse) or dedup is not None:
            future = engine.submit([doc.to_dict() for doc in item.documents], analyse)
        in_flight.append(_InFlight(item, partition_id, resumed, future))
        while len(in_flight) >= window:
            commit(in_flight.popleft())
    while in_flight:
        commit(in_flight.popleft())
    store.finish_run(stats.run_id, stats.stored)
    from ..analysis.verdicts import refresh_run

    refresh_run(store, stats.run_id, config)
    return stats


def worker_settings(config: Config, workers: int = 2) -> dict[str, Any]:
    """The settings workers run with: a thread count left at 0 ("one per core") becomes 1, and with several
    workers no component runs in a thread of its own (``pipeline.concurrent``).

    N worker processes on N cores each starting N onnxruntime threads would oversubscribe the machine;
    parallelism comes from the workers. Results do not depend on thread counts.
    """
    values = config.to_dict()
    for key, value in values.items():
        if key.endswith(".threads") and value == 0:
            values[key] = 1
    if workers > 1:
        values["pipeline.concurrent"] = False  # one core per worker: no extra thread beside the parse
    return values


def _not_stored(store: Store, docs: list[Document], pipeline: str) -> list[bool]:
    """Per document: True when the store lacks it or holds an analysis by another pipeline version."""
    return [store.stored_pipeline(doc.id) != pipeline for doc in docs]
