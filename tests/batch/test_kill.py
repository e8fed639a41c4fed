"""kill -9 a ``discern batch`` run at several points, rerun it, and find the store a single-process run writes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from discernment.store import Store

from batch_helpers import TINY, corpus_texts, dump_store

pytestmark = pytest.mark.slow  # four CLI runs, each starting worker processes that load spaCy


@pytest.fixture(scope="module")
def kill_corpus(tmp_path_factory, batch_corpus):
    """The batch corpus plus 150 more short documents, so a run lasts long enough to be interrupted."""
    extra = tmp_path_factory.mktemp("kill-corpus") / "extra.jsonl"
    with extra.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(corpus_texts(180)[30:]):
            fh.write(json.dumps({"text": f"{text} Dispatch {i}.", "outlet": "Extra"}) + "\n")
    return [*batch_corpus, str(extra)]


@pytest.fixture(scope="module")
def kill_reference(tmp_path_factory, tiny_config, kill_corpus):
    from discernment.api import Analyzer
    from discernment.ingest import ReadOptions
    from discernment.runner import ingest_inputs

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('kill-ref') / 'ref.db'}")
    ingest_inputs(kill_corpus, Analyzer(tiny_config), ReadOptions.from_config(tiny_config), store)
    return dump_store(store)


def _start(inputs: list[str], db: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "discernment", "batch", *inputs, "--db", db, "--workers", "2",
               "--partition-size", "3", "--set", TINY[0]]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)


def _count(db: str, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:  # not created yet, or locked for a moment
        return -1


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 180) -> bool:
    """SIGKILL the driver once ``ready()`` holds; True when it was killed (False: it had already finished)."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate()
            return True
        time.sleep(0.01)
    proc.communicate()
    return False


def _group_exits(pgid: int, timeout: float = 90) -> bool:
    """Whether every process the run started (its workers, the fork server) exits by itself."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    os.killpg(pgid, signal.SIGKILL)  # clean up what this test started, then fail
    return False


def test_kill_nine_then_resume_stores_what_an_uninterrupted_run_stores(tmp_path, kill_corpus, kill_reference):
    db = str(tmp_path / "store.db")
    finished = lambda: _count(db, "batch_partitions")
    kill_points = [
        lambda: os.path.exists(db),                 # store opened, workers still starting
        lambda: finished() >= 3,                    # a few partitions in
        lambda: finished() >= 25,                   # most of the way
    ]
    killed = 0
    for ready in kill_points:
        proc = _start(kill_corpus, db)
        killed += _kill_when(proc, ready)
        assert _group_exits(proc.pid), "worker processes outlived the killed driver"
    assert killed >= 2, "the runs finished before they could be interrupted"
    proc = _start(kill_corpus, db)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err.decode()  # the corpus holds two unreadable inputs
    assert b"[E106]" in err and b"[E102]" in err and b"finished earlier" in err
    store = Store(db)
    assert dump_store(store) == kill_reference  # nothing lost, nothing stored twice (analyses rows included)
    assert _count(db, "batch_partitions") == 61
