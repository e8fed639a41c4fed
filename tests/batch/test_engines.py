"""A batch run on real worker processes stores exactly what a single-process ingest stores."""

import pytest

from discernment.batch import DaskEngine, LocalEngine, run_batch
from discernment.store import Store

from batch_helpers import dump_store

pytestmark = pytest.mark.slow  # starts worker processes that load spaCy


def _run(engine, tmp_path, config, inputs, **kwargs):
    store = Store(f"sqlite:///{tmp_path / 'batch.db'}")
    errors = []
    with engine:
        stats = run_batch(inputs, config, store, engine, on_error=errors.append, **kwargs)
    return store, stats, errors


def test_engines_local_pool_matches_single_process(tmp_path, tiny_config, batch_corpus, reference):
    store, stats, errors = _run(LocalEngine(2), tmp_path, tiny_config, batch_corpus, partition_size=4)
    assert dump_store(store) == reference
    assert stats.documents == 33 and stats.partitions == 9 and stats.read_errors == 2
    assert sorted(e.code for e in errors) == ["E102", "E106"]
    assert stats.duplicates == 2 and stats.stored.added == 32  # the exact copy is not stored twice
    # Rerunning finds every partition finished and writes nothing.
    with LocalEngine(1) as engine:
        again = run_batch(batch_corpus, tiny_config, store, engine, partition_size=4)
    assert again.resumed == 9 and again.analysed == 0 and again.stored.added == 0
    assert dump_store(store) == reference


def test_engines_dask_local_cluster_matches_single_process(tmp_path, tiny_config, batch_corpus, reference):
    store, stats, errors = _run(DaskEngine(2), tmp_path, tiny_config, batch_corpus, partition_size=3)
    assert dump_store(store) == reference
    assert stats.partitions == 11 and stats.resumed == 0 and stats.failed == 0
