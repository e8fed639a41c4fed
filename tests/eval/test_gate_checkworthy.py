"""Evaluation gate: the shipped check-worthiness model on the CLEF CheckThat! 2019 Task 1 test debates.

Pinned a little under the scores recorded in docs/accuracy.md; skipped when ../shared/data is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = (Path(__file__).parents[2] / ".." / "shared" / "data").resolve()
MIN_MAP = 0.12
MIN_F1 = 0.11

pytestmark = [pytest.mark.data]


@pytest.fixture(scope="module")
def result():
    clef = DATA / "clef-checkthat-2019-task1-en"
    if not (clef / "CT19-T1-Test.csv").exists():
        pytest.skip(f"{clef} not present")
    from discernment.eval.checkworthy import evaluate_checkworthy

    return evaluate_checkworthy(clef)


def test_gate_checkworthy_map(result):
    assert result["map"] >= MIN_MAP, result


def test_gate_checkworthy_f1(result):
    assert result["f1"] >= MIN_F1, result


def test_gate_checkworthy_report_cites_published_runs(result):
    from discernment.eval.checkworthy import format_report

    report = format_report(result)
    assert "Copenhagen" in report and "MAP" in report
