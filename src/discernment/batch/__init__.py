"""Batch runs over large inputs: partitioned, parallel (process pool or Dask), checkpointed and resumable.

``run_batch(inputs, config, store, engine)`` is the library call behind ``discern batch``; engines come from
:func:`make_engine` (``local`` or ``dask``).
"""

from .engines import DaskEngine, LocalEngine, make_engine
from .runner import BatchStats, DocumentFailure, run_batch

__all__ = ["BatchStats", "DaskEngine", "DocumentFailure", "LocalEngine", "make_engine", "run_batch"]
