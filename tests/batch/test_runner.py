"""The driver's bookkeeping, with stand-in engines and analyzers (no models): failures, checkpoints, skips."""

from concurrent.futures import Future

from discernment.batch import run_batch
from discernment.batch.checkpoints import Checkpoints
from discernment.batch.worker import _analyse
from discernment.config import Config
from discernment.model import Document
from discernment.store import Store


class StubAnalyzer:
    """Adds nothing; raises on any text that says BOOM (a component bug on one document)."""

    def pipe(self, docs):
        for doc in docs:
            yield self(doc)

    def __call__(self, doc):
        if "BOOM" in doc.text:
            raise ValueError("component exploded")
        return doc


class InProcessEngine:
    workers = 1

    def __init__(self, analyzer, config):
        from discernment.batch.dedup import make_deduplicator

        self.analyzer = analyzer
        self.dedup = make_deduplicator(config)
        self.submitted = 0

    def start(self, values):
        return "stub pipeline v1"

    def submit(self, payload, analyse):
        self.submitted += sum(analyse)
        future = Future()
        future.set_result(_analyse(self.analyzer, self.dedup, payload, analyse))
        return future


def _write(path, texts):
    path.write_text("".join(f'{{"text": "{t}"}}\n' for t in texts), encoding="utf-8")
    return str(path)


def test_runner_failed_document_is_reported_and_its_partition_left_unfinished(tmp_path):
    config = Config.load()
    texts = [f"Story {i} from Kharkiv." for i in range(6)]
    texts[4] = "Story BOOM from Kherson."
    inputs = [_write(tmp_path / "in.jsonl", texts)]
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    errors = []
    stats = run_batch(inputs, config, store, InProcessEngine(StubAnalyzer(), config), partition_size=2,
                      on_error=errors.append)
    assert stats.failed == 1 and stats.stored.added == 5
    assert errors[0].code == "E501" and errors[0].path.endswith("in.jsonl (item 5)")
    assert "component exploded" in errors[0].reason
    assert Checkpoints(store.engine).count("stub pipeline v1") == 2  # the third partition stays unfinished
    # The rerun analyses only the failed document again (its partition mate is already stored).
    engine = InProcessEngine(StubAnalyzer(), config)
    again = run_batch(inputs, config, store, engine, partition_size=2)
    assert engine.submitted == 1 and again.resumed == 2 and again.failed == 1


def test_runner_skips_documents_stored_by_the_same_pipeline(tmp_path):
    config = Config.load()
    texts = [f"Report {i} on shelling near Izium." for i in range(5)]
    inputs = [_write(tmp_path / "in.jsonl", texts)]
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    store.ingest([Document(texts[1]), Document(texts[3])], store.start_run("stub pipeline v1", {}), "stub pipeline v1")
    engine = InProcessEngine(StubAnalyzer(), config)
    stats = run_batch(inputs, config, store, engine, partition_size=10)
    assert engine.submitted == 3 and stats.stored.added == 3 and stats.stored.skipped == 2
    assert store.count() == 5
