"""Label-by-label training (a catalogue of a thousand services): each label's weights come from the questions it
could be mistaken for, and the matcher it makes answers as the exact fit does."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from knowledge import matcher as matcher_module
from knowledge.label_by_label import Sampling, fit_label_by_label, platt
from knowledge.matcher import Matcher


@pytest.fixture
def problem() -> tuple[sparse.csr_matrix, list[str]]:
    """40 labels of 30 rows; each label has n-grams of its own, and pairs of labels share most of theirs."""
    rng = np.random.default_rng(2)
    rows, labels = [], []
    for label in range(40):
        own = rng.choice(np.arange(label * 10, label * 10 + 10), size=(30, 4))
        shared = rng.choice(np.arange(400 + (label // 2) * 5, 405 + (label // 2) * 5), size=(30, 2))
        for picked in np.hstack([own, shared]):
            row = np.zeros(500)
            row[picked] = 1.0
            rows.append(row / np.linalg.norm(row))
            labels.append(f"label-{label:02d}")
    return sparse.csr_matrix(np.array(rows)), labels


def test_each_label_sees_only_a_bounded_sample_and_keeps_only_its_n_grams(problem):
    features, labels = problem
    sampled = fit_label_by_label(features, labels, c=0.5, sampling=Sampling(neighbours=2, background=100))
    weights = sampled.weights.dense()  # n-grams x (3 folds x 40 labels)
    assert weights.shape == (500, 120)
    filled = np.count_nonzero(weights, axis=0)
    assert filled.max() < 500 * 0.9  # no label is weighed on every n-gram: it never saw them all


def test_it_predicts_the_right_label_against_its_nearest_neighbours(problem):
    features, labels = problem
    sampled = fit_label_by_label(features, labels, c=0.5, sampling=Sampling(neighbours=3, background=200))
    predicted = sampled.classes_[sampled.predict_proba(features).argmax(axis=1)]
    assert np.mean(predicted == np.asarray(labels)) >= 0.95
    proba = sampled.predict_proba(features[:5])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_a_matcher_fitted_label_by_label_answers_as_the_exact_one(small_kb, monkeypatch):
    exact = Matcher.train(small_kb)
    monkeypatch.setattr(matcher_module, "EXACT_UP_TO", 0)
    by_label = Matcher.train(small_kb)
    assert by_label.labels == exact.labels
    questions = [q for guide in small_kb.guides.values() for q in guide.questions]
    same = [by_label.decide(q).label == exact.decide(q).label for q in questions]
    assert np.mean(same) >= 0.95, f"{sum(same)} of {len(same)} the same"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_sigmoid_is_the_one_scikit_learn_fits(seed):
    from sklearn.calibration import _sigmoid_calibration

    rng = np.random.default_rng(seed)
    positive = rng.random(400) < 0.1
    scores = rng.normal(size=400) + 2.0 * positive
    a, b = platt(scores, positive)
    expected_a, expected_b = _sigmoid_calibration(scores, positive.astype(float))
    assert a == pytest.approx(expected_a, rel=1e-3, abs=1e-4) and b == pytest.approx(expected_b, rel=1e-3, abs=1e-4)
