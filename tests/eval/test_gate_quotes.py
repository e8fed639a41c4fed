"""Evaluation gate: quotes.v1 on the PolNeAR dev split must not fall below the pinned minimums.

Pinned a little under the scores recorded in docs/accuracy.md; skipped when ../shared/data is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = (Path(__file__).parents[2] / ".." / "shared" / "data").resolve()
MIN_CONTENT_F1 = 0.71
MIN_SPEAKER_ACCURACY = 0.88
MIN_CUE_ACCURACY = 0.91

pytestmark = [pytest.mark.data, pytest.mark.slow]


@pytest.fixture(scope="module")
def result():
    polnear = DATA / "polnear"
    if not (polnear / "data" / "dev").is_dir():
        pytest.skip(f"{polnear} not present")
    from discernment.eval.quotes import evaluate_quotes

    return evaluate_quotes(polnear, split="dev")


def test_gate_quotes_content_f1(result):
    assert result["f1"] >= MIN_CONTENT_F1, result


def test_gate_quotes_speaker_accuracy(result):
    assert result["speaker_accuracy"] >= MIN_SPEAKER_ACCURACY, result


def test_gate_quotes_cue_accuracy(result):
    assert result["cue_accuracy"] >= MIN_CUE_ACCURACY, result
