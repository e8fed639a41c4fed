"""What runs in a batch worker process: the analyzer, loaded once per process and per configuration.

The cache lives in this importable module, never in ``__main__`` (Dask would pickle a ``__main__`` global with
every task and reload the models each time). Engines fill it up front: the process pool's initializer, the
Dask worker plugin; :func:`analyse_partition` fills it lazily otherwise (a worker that joined later).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import threading
from dataclasses import dataclass, field
from typing import Any

from ..api import Analyzer
from ..config import Config
from ..errors import DiscernError
from ..ingest import Deduplicator
from ..model import Document
from .dedup import Signature, make_deduplicator, signature

# One sentence that takes every component through its lazy loads (models, gazetteer) before the first partition.
_WARM_UP = ('Russian forces captured Kupiansk on Friday, the Defence Ministry said. "We will rebuild," '
            "Mayor Ihor Terekhov told Reuters in Kharkiv, adding that 12 civilians were killed.")

_analyzers: dict[str, Analyzer] = {}
_deduplicators: dict[str, Deduplicator | None] = {}
# A Dask worker with several threads shares one analyzer per process; spaCy pipelines are not thread-safe.
_lock = threading.RLock()


def config_key(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:16]


def load_analyzer(values: dict[str, Any]) -> Analyzer:
    """This process's analyzer for these settings, built and warmed up on first use."""
    key = config_key(values)
    with _lock:
        analyzer = _analyzers.get(key)
        if analyzer is None:
            analyzer = Analyzer(Config(values))
            list(analyzer.pipe([_WARM_UP]))
            _analyzers[key] = analyzer
            _deduplicators[key] = make_deduplicator(analyzer.config)
        return analyzer


def worker_info(values: dict[str, Any]) -> tuple[str, int] | tuple[str, str, str]:
    """(pipeline version, process id) after loading: the driver's warm-up call.

    A settings or model error comes back as ("error", code, message): DiscernError does not survive pickling.
    """
    try:
        return load_analyzer(values).version, os.getpid()
    except DiscernError as err:
        return "error", err.code, err.message


def init_process(values: dict[str, Any]) -> None:
    """Process-pool initializer: exit when the driver dies (even by kill -9), then load the models."""
    threading.Thread(target=_exit_with_parent, daemon=True, name="discern-parent").start()
    try:
        load_analyzer(values)
    except DiscernError:  # an initializer that raises breaks the pool; worker_info reports the error instead
        pass


def _exit_with_parent() -> None:
    """Without this a worker outlives a killed driver: it blocks forever on the pool's task queue."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    parent.join()  # returns when the driver's end of the sentinel pipe closes: the driver has exited
    os._exit(0)


@dataclass
class PartitionResult:
    """Per input position: the analysed document as a dict (``Document.to_dict``) or None (not asked for, or
    failed); a dedup signature for every input (None when dedup is off); failures as (position, reason)."""

    documents: list[dict[str, Any] | None] = field(default_factory=list)
    signatures: list[Signature] | None = None
    failures: list[tuple[int, str]] = field(default_factory=list)


def analyse_partition(values: dict[str, Any], payload: list[dict[str, Any]], analyse: list[bool]) -> PartitionResult:
    """Analyse the documents flagged in ``analyse``; sign all of them for dedup when it is enabled.

    A component that raises on one document fails that document only: the batch is retried one by one and
    the failure is returned with its position and reason.
    """
    with _lock:
        return _analyse(load_analyzer(values), _deduplicators[config_key(values)], payload, analyse)


def _analyse(analyzer: Analyzer, dedup: Deduplicator | None, payload: list[dict[str, Any]],
             analyse: list[bool]) -> PartitionResult:
    docs = [Document.from_dict(d) for d in payload]
    result = PartitionResult(documents=[None] * len(docs))
    if dedup is not None:
        result.signatures = [signature(dedup, doc.text) for doc in docs]
    todo = [i for i, flag in enumerate(analyse) if flag]
    if not todo:
        return result
    try:
        for i, doc in zip(todo, analyzer.pipe([docs[i] for i in todo])):
            result.documents[i] = doc.to_dict()
    except Exception:  # isolate the failing document; report it, analyse the rest
        for i in todo:
            try:
                result.documents[i] = analyzer(Document.from_dict(payload[i])).to_dict()
            except Exception as err:
                result.documents[i] = None
                result.failures.append((i, f"{type(err).__name__}: {err}"))
    return result
