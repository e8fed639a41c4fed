"""Evaluation gate: techniques.v1 on the first 30 articles of the PTC validation split (by id) must not fall
below pinned minimums (a little under the scores recorded in docs/accuracy.md). Skipped when ../shared/data is
absent. The subset keeps the gate near a minute on 2 cores; the full split is reported in docs/accuracy.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = (Path(__file__).parents[2] / ".." / "shared" / "data" / "ptc-semeval2020-task11").resolve()
ARTICLES = 30
MIN_SI_F1 = 0.355  # measured 0.3682 on this subset (0.3521 before the lexicon and hysteresis decoding)
MIN_TC_F1 = 0.54  # measured 0.5645 on this subset (one document per onnxruntime call)

pytestmark = [pytest.mark.data, pytest.mark.slow]


@pytest.fixture(scope="module")
def result():
    if not (DATA / "train-articles").is_dir():
        pytest.skip(f"{DATA} not present")
    from discernment.eval.ptc import evaluate

    return evaluate(DATA, split="val", limit=ARTICLES)


def test_gate_ptc_span_identification_f1(result):
    assert result["si"]["f1"] >= MIN_SI_F1, result["si"]


def test_gate_ptc_technique_classification_f1(result):
    assert result["tc"]["f1"] >= MIN_TC_F1, result["tc"]
