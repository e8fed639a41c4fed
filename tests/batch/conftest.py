"""Batch fixtures: the tiny pipeline's settings, the corpus on disk, and a single-process reference store."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_helpers import TINY, dump_store, write_corpus  # noqa: E402


@pytest.fixture(scope="session")
def tiny_config():
    from discernment.config import Config

    return Config.load(overrides=TINY)


@pytest.fixture(scope="session")
def batch_corpus(tmp_path_factory) -> list[str]:
    return write_corpus(tmp_path_factory.mktemp("batch-corpus"))


@pytest.fixture(scope="session")
def reference(tmp_path_factory, tiny_config, batch_corpus):
    """The store a single-process ``discern ingest`` (runner.ingest_inputs) writes for the corpus: its dump."""
    from discernment.api import Analyzer
    from discernment.ingest import ReadOptions
    from discernment.runner import ingest_inputs
    from discernment.store import Store

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('reference') / 'ref.db'}")
    ingest_inputs(batch_corpus, Analyzer(tiny_config), ReadOptions.from_config(tiny_config), store, batch_size=7)
    dump = dump_store(store)
    store.close()
    return dump
