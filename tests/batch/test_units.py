"""The batch package's parts on their own (issue "engineering health"): worker settings, engines by name,
thread settings of child processes, partition checkpoints (SQLite and PostgreSQL), input names and estimates,
the driver-side near-duplicate decision, and a worker's isolation of a failing document."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import create_engine

from discernment.batch.checkpoints import Checkpoints
from discernment.batch.dedup import check_signed, signature
from discernment.batch.engines import DaskEngine, LocalEngine, _version, make_engine, single_threaded_children
from discernment.batch.partitions import Partition, estimate_documents, input_name
from discernment.batch.runner import worker_settings
from discernment.batch.worker import _analyse, config_key
from discernment.config import Config
from discernment.errors import DiscernError
from discernment.ingest import Deduplicator, ReadOptions
from discernment.model import Document, Source


def test_worker_settings_pin_threads_and_turn_off_component_threads():
    config = Config.load()
    values = worker_settings(config, workers=2)
    threads = {k: v for k, v in values.items() if k.endswith(".threads")}
    assert threads and all(v >= 1 for v in threads.values())
    assert values["pipeline.concurrent"] is False
    alone = worker_settings(config, workers=1)
    assert alone["pipeline.concurrent"] == config.to_dict()["pipeline.concurrent"]
    assert config.to_dict() != values or not threads  # the caller's config is not changed in place
    assert all(v == config.to_dict()[k] or k.endswith(".threads") or k == "pipeline.concurrent"
               for k, v in values.items())


def test_config_key_is_stable_and_order_blind():
    a = {"x.a": 1, "y.b": [1, 2]}
    assert config_key(a) == config_key(dict(reversed(list(a.items()))))
    assert config_key(a) != config_key({**a, "x.a": 2}) and len(config_key(a)) == 16


def test_engines_by_name():
    local = make_engine("local", 3)
    assert isinstance(local, LocalEngine) and local.workers == 3
    assert make_engine("local", 0).workers >= 1  # 0 means one per CPU
    assert isinstance(make_engine("dask", 2), DaskEngine)
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        make_engine("spark")


def test_worker_errors_reach_the_driver_as_the_settings_error():
    assert _version([("v1", 11), ("v1", 12)]) == "v1"
    with pytest.raises(DiscernError) as err:
        _version([("v1", 11), ("error", "E202", "bad setting x")])
    assert err.value.code == "E202" and "bad setting x" in str(err.value)


def test_child_processes_get_one_thread_unless_the_user_chose(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "4")
    with single_threaded_children():
        assert os.environ["OMP_NUM_THREADS"] == "1" and os.environ["MKL_NUM_THREADS"] == "4"
    assert "OMP_NUM_THREADS" not in os.environ and os.environ["MKL_NUM_THREADS"] == "4"


@pytest.fixture
def checkpoints(store_url):
    from discernment.store import Store

    store = Store(store_url)  # the table lives in the store's own database
    yield Checkpoints(store.engine)
    store.close()


def test_checkpoints_mark_once_per_pipeline(checkpoints, store_url):
    assert checkpoints.finished("p1") == set() and checkpoints.count() == 0
    checkpoints.mark("a" * 64, "p1", "in.jsonl#1-4", 4, 1)
    checkpoints.mark("a" * 64, "p1", "in.jsonl#1-4", 4, 2)  # a rerun after a crash: no second row, no error
    checkpoints.mark("b" * 64, "p2", "in.jsonl#1-4", 4, 3)
    assert checkpoints.finished("p1") == {"a" * 64} and checkpoints.finished("p2") == {"b" * 64}
    assert checkpoints.count() == 2 and checkpoints.count("p1") == 1
    from discernment.store import Store

    again = Store(store_url)  # another driver (or machine) resuming the run sees the same marks
    assert Checkpoints(again.engine).finished("p1") == {"a" * 64}
    again.close()


def test_input_names_and_estimates(tmp_path):
    assert input_name("-") == "-" and input_name("https://x.org/feed") == "https://x.org/feed"
    assert input_name("rel/a.jsonl") == os.path.abspath("rel/a.jsonl")
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps({"text": f"t {i}"}) for i in range(5)), encoding="utf-8")
    (tmp_path / "b.csv").write_text("text\none\ntwo\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("A story.", encoding="utf-8")
    options = ReadOptions.from_config(Config.load())
    assert estimate_documents([str(tmp_path / "a.jsonl")], options) == 5  # no newline after the last line
    assert estimate_documents([str(tmp_path)], options) == 5 + 2 + 1
    assert estimate_documents([str(tmp_path / "missing.jsonl")], options) == 0
    assert estimate_documents(["-"], options) is None and estimate_documents(["https://x.org/f"], options) is None


def test_partition_label_across_inputs_and_id_changes_with_pipeline():
    docs = [Document("one"), Document("two")]
    p = Partition(0, docs, [("/a.jsonl", 7), ("/b.jsonl", 1)])
    assert p.label == "/a.jsonl#7../b.jsonl#1"
    assert p.partition_id("v1") != p.partition_id("v2") and len(p.partition_id("v1")) == 64


def test_driver_dedup_decision_equals_the_single_process_rule():
    config = Config.load()
    text = "Russian forces shelled the town of Avdiivka overnight, regional officials said on Monday morning. " * 3
    near = text.replace("Monday", "Tuesday")
    other = "Talks between the delegations will resume next week in Istanbul, the foreign ministry said. " * 3
    single = Deduplicator.from_config(config)
    expected = [single.check_text(i, t) for i, t in (("d1", text), ("d2", near), ("d3", other), ("d4", text))]
    driver, worker = Deduplicator.from_config(config), Deduplicator.from_config(config)
    signed = [signature(worker, t) for t in (text, near, other, text)]  # signed in a worker, decided in order
    got = [check_signed(driver, i, s) for i, s in zip(("d1", "d2", "d3", "d4"), signed)]
    assert got == expected and got[0] is None and got[3] == "d1"


class _Flaky:
    """An analyzer whose batch call fails and which fails one document alone: the worker isolates it."""

    def pipe(self, docs):
        raise RuntimeError("batch failed")

    def __call__(self, doc):
        if "poison" in doc.text:
            raise ValueError("cannot read this one")
        return doc


def test_worker_isolates_a_failing_document_and_skips_unflagged_ones():
    payload = [Document(t, source=Source(outlet="X")).to_dict() for t in ("good one", "poison pill", "stored")]
    result = _analyse(_Flaky(), None, payload, [True, True, False])
    assert result.documents[0]["text"] == "good one"
    assert result.documents[1] is None and result.documents[2] is None
    assert result.failures == [(1, "ValueError: cannot read this one")]
    assert result.signatures is None or result.signatures == []
