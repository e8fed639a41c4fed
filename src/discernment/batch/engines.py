"""Where partitions are analysed: a local process pool, or a Dask cluster (local or remote).

Both give the driver the same three calls: ``start(settings) -> pipeline version`` (loads the models in every
worker, once), ``submit(payload, flags) -> future`` (``future.result()`` is a
:class:`~discernment.batch.worker.PartitionResult`) and ``close()``.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Iterator

from ..errors import DiscernError
from .worker import analyse_partition, config_key, init_process, load_analyzer, worker_info

# Numeric libraries start one thread per core unless told otherwise; N workers on N cores want one each.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


@contextlib.contextmanager
def single_threaded_children() -> Iterator[None]:
    """Child processes started inside this block see one-thread settings (unless the user set their own)."""
    added = [name for name in _THREAD_VARIABLES if name not in os.environ]
    for name in added:
        os.environ[name] = "1"
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


class LocalEngine:
    """A process pool on this machine; each process loads the models once, in its initializer.

    Processes start with ``forkserver`` by default: a clean server process imports the package once and each
    worker forks from it, so nothing is inherited from the driver's threads or open database connections
    (``fork`` from the driver is unsafe after SQLAlchemy and thread pools), and the import (~8 s when PyTorch
    is installed, as thinc imports it) is paid once instead of once per worker as with ``spawn``. The models
    load in each worker after the fork, never in the server: spaCy pipelines are not shared across processes.
    """

    name = "local"

    def __init__(self, workers: int = 2, start_method: str = "forkserver"):
        self.workers = max(1, workers)
        self.start_method = start_method
        self.pool: ProcessPoolExecutor | None = None
        self.values: dict[str, Any] = {}

    def start(self, values: dict[str, Any]) -> str:
        self.values = values
        context = multiprocessing.get_context(self.start_method)
        if self.start_method == "forkserver":
            context.set_forkserver_preload(["discernment.batch.worker"])
        with single_threaded_children():
            self.pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=init_process,
                                            initargs=(values,))
            # One call per worker: submitting while none is idle spawns them all now, inside this block.
            infos = [self.pool.submit(worker_info, values) for _ in range(self.workers)]
            return _version([f.result() for f in infos])

    def submit(self, payload: list[dict[str, Any]], analyse: list[bool]):
        assert self.pool is not None, "start() first"
        return self.pool.submit(analyse_partition, self.values, payload, analyse)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _plugin_class():
    from distributed import WorkerPlugin

    class AnalyzerPlugin(WorkerPlugin):
        """Loads the analyzer in every current and future worker of the cluster."""

        def __init__(self, values: dict[str, Any]):
            self.values = values
            self.name = f"discernment-analyzer-{config_key(values)}"

        def setup(self, worker) -> None:
            load_analyzer(self.values)

    return AnalyzerPlugin


class DaskEngine:
    """dask.distributed: a LocalCluster of ``workers`` processes, or the cluster at ``scheduler``.

    Workers of an existing cluster need discernment installed (same version) and should run one thread each
    (``dask worker --nthreads 1``); a lock in the worker module serialises analyses if they run more.
    """

    name = "dask"

    def __init__(self, workers: int = 2, scheduler: str | None = None, connect_timeout: float = 30.0):
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self.connect_timeout = connect_timeout
        self.cluster = None
        self.client = None
        self.values: dict[str, Any] = {}

    def start(self, values: dict[str, Any]) -> str:
        from distributed import Client, LocalCluster

        self.values = values
        if self.scheduler:
            self.client = Client(self.scheduler, timeout=self.connect_timeout)
        else:
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                        dashboard_address=":0", scheduler_port=0, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.client.register_plugin(_plugin_class()(values))
        version = _version([self.client.submit(worker_info, values, pure=False).result()])
        if self.scheduler:
            self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        return version

    def submit(self, payload: list[dict[str, Any]], analyse: list[bool]):
        assert self.client is not None, "start() first"
        return self.client.submit(analyse_partition, self.values, payload, analyse, pure=False)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _version(infos: list[tuple]) -> str:
    """The pipeline version the workers report, raising the settings or model error one of them hit."""
    for info in infos:
        if info[0] == "error":
            raise DiscernError(info[1], info[2])
    return infos[0][0]


def make_engine(kind: str, workers: int | None = None, scheduler: str | None = None):
    """An engine by name: ``local`` or ``dask``; ``workers`` defaults to the number of CPUs."""
    count = workers or os.cpu_count() or 1
    if kind == "local":
        return LocalEngine(count)
    if kind == "dask":
        return DaskEngine(count, scheduler)
    raise ValueError(f"unknown engine {kind!r} (expected local or dask)")
