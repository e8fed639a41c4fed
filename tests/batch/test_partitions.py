"""Partitioning the input stream: sizes, stable ids, labels, read errors passed through, estimates. No models."""

import json

from discernment.config import Config
from discernment.errors import ReadError
from discernment.ingest import ReadOptions
from discernment.batch.partitions import Partition, estimate_documents, partition_inputs

from batch_helpers import write_corpus


def _options():
    return ReadOptions.from_config(Config.load())


def test_partitions_cut_the_stream_in_input_order(tmp_path):
    inputs = write_corpus(tmp_path)
    items = list(partition_inputs(inputs, _options(), 4))
    parts = [p for p in items if isinstance(p, Partition)]
    errors = [e for e in items if isinstance(e, ReadError)]
    assert [len(p.documents) for p in parts] == [4] * 8 + [1]  # 33 documents read
    assert [p.number for p in parts] == list(range(9))
    assert {e.code for e in errors} == {"E106", "E102"}  # the corrupt JSONL line, the empty .txt
    first, spanning = parts[0], parts[3]
    assert first.label == f"{tmp_path / 'a.jsonl'}#1-4"
    assert spanning.label == f"{tmp_path / 'a.jsonl'}#13..{tmp_path / 'b.jsonl'}#2"  # item 14 is the bad line


def test_partitions_ids_are_stable_and_depend_on_content_and_pipeline(tmp_path):
    inputs = write_corpus(tmp_path)
    ids = lambda pipeline: [p.partition_id(pipeline) for p in partition_inputs(inputs, _options(), 5)
                            if isinstance(p, Partition)]
    assert ids("p1") == ids("p1")
    assert len(set(ids("p1"))) == len(ids("p1"))
    assert not set(ids("p1")) & set(ids("p2"))
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    lines[0] = json.dumps({"text": "A different first story about Odesa."})
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = ids("p1")
    assert changed[0] != ids("p2")[0] and changed[1:] == ids("p1")[1:]


def test_partitions_stream_one_at_a_time(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(1000):
            fh.write(json.dumps({"text": f"Story number {i} about the war."}) + "\n")
    stream = partition_inputs([str(path)], _options(), 10)
    first = next(stream)  # only the first partition has been read
    assert isinstance(first, Partition) and len(first.documents) == 10
    assert sum(len(p.documents) for p in stream) == 990


def test_partitions_estimate_counts_records_without_parsing(tmp_path):
    inputs = write_corpus(tmp_path)
    # a.jsonl 15 lines, b.jsonl 13, c.csv 4 rows, notes/ 3 files: an upper bound of the 33 documents read
    assert estimate_documents(inputs, _options()) == 35
    assert estimate_documents(["-"], _options()) is None
