"""Evaluation gate: genre.v1's features and learner on distantly labelled ukraine-war-news documents.

Document-level 5-fold cross-validation (every document predicted once by a model that never saw it; the
style-word feature stacked and the opinion cut tuned inside the training folds), with the URL never a feature.
Pinned a little under the numbers recorded in docs/accuracy.md ("## Genre"); skipped when ../shared/data is
absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = (Path(__file__).parents[2] / ".." / "shared" / "data" / "ukraine-war-news").resolve()
MIN_TEXT_ONLY = 0.85
MIN_TEXT_ONLY_FULL_TEXT = 0.90
MIN_WITH_URL = 0.90

pytestmark = [pytest.mark.data]


@pytest.fixture(scope="module")
def result():
    if not (DATA / "r2nery-ukraine-media").exists():
        pytest.skip(f"{DATA} not present")
    import numpy as np

    from discernment.extract.genre import feature_vector, load_genre_model
    from discernment.train.genre import cross_validated, load_examples

    subjectivity = load_genre_model().subjectivity
    examples = load_examples(DATA)
    x = np.asarray([feature_vector(e.text, subjectivity) for e in examples])
    y = np.asarray([e.label for e in examples])
    return cross_validated(examples, x, y)


def test_gate_genre_enough_opinion_documents(result):
    assert result["opinion"] >= 70 and result["examples"] >= 1000, result


def test_gate_genre_text_only(result):
    assert result["text_only"]["macro_f1"] >= MIN_TEXT_ONLY, result["text_only"]


def test_gate_genre_text_only_full_texts(result):
    full = result["text_only_by_source"]["full text"]
    assert full["macro_f1"] >= MIN_TEXT_ONLY_FULL_TEXT, full


def test_gate_genre_with_url(result):
    assert result["with_url"]["macro_f1"] >= MIN_WITH_URL, result["with_url"]
