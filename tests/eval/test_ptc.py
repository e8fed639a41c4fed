"""The SemEval-2020 Task 11 scorer on hand-made span sets whose answers are worked out by hand."""

from __future__ import annotations

import pytest

from discernment.eval.ptc import (
    LabelledSpan,
    classification_prf,
    span_prf,
    split_article_ids,
)


def S(start: int, end: int, label: str = "", article: str = "1") -> LabelledSpan:
    return LabelledSpan(article, start, end, label)


def test_ptc_span_prf_exact_match_is_perfect():
    score = span_prf([S(0, 10), S(20, 30)], [S(0, 10), S(20, 30)])
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_ptc_span_prf_partial_overlap_credit():
    # predicted [0, 10) overlaps gold [5, 25) by 5 characters: P = 5/10, R = 5/20.
    score = span_prf([S(0, 10)], [S(5, 25)])
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(0.25)
    assert score.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_ptc_span_prf_sums_over_pairs_and_averages_over_spans():
    # Two predictions split one gold span; a third prediction is a false positive.
    predicted = [S(0, 5), S(5, 10), S(50, 60)]
    gold = [S(0, 10)]
    score = span_prf(predicted, gold)
    assert score.precision == pytest.approx((1 + 1 + 0) / 3)
    assert score.recall == pytest.approx((5 / 10 + 5 / 10) / 1)


def test_ptc_span_prf_pairs_only_within_an_article():
    score = span_prf([S(0, 10, article="1")], [S(0, 10, article="2")])
    assert score.f1 == 0.0


def test_ptc_span_prf_labels_required_when_asked():
    predicted = [S(0, 10, "Loaded_Language"), S(20, 30, "Doubt")]
    gold = [S(0, 10, "Loaded_Language"), S(20, 30, "Slogans")]
    assert span_prf(predicted, gold).f1 == 1.0
    aware = span_prf(predicted, gold, use_labels=True)
    assert aware.precision == pytest.approx(0.5) and aware.recall == pytest.approx(0.5)


def test_ptc_span_prf_empty_sets():
    assert span_prf([], [S(0, 1)]).f1 == 0.0
    assert span_prf([S(0, 1)], []).f1 == 0.0


def test_ptc_classification_micro_f1_multiset():
    # The span (0, 10) has two gold labels; predictions give two labels, one right.
    gold = [S(0, 10, "Doubt"), S(0, 10, "Loaded_Language"), S(20, 30, "Slogans")]
    predicted = [S(0, 10, "Loaded_Language"), S(0, 10, "Flag-Waving"), S(20, 30, "Slogans")]
    score = classification_prf(predicted, gold)
    assert score.precision == pytest.approx(2 / 3) and score.recall == pytest.approx(2 / 3)


def test_ptc_split_is_deterministic_and_disjoint():
    ids = [str(111111111 + i) for i in range(100)]
    train, val = split_article_ids(ids)
    assert len(val) == 15 and len(train) == 85
    assert not set(train) & set(val)
    assert split_article_ids(reversed(ids)) == (train, val)
