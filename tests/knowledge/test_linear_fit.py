"""The classifier fitted one label at a time: on a catalogue no bigger than its neighbours, the same problems as
scikit-learn's CalibratedClassifierCV(LinearSVC) and so the same probabilities; on a bigger one, each label's problem
has a bounded size."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge import linear_fit
from knowledge.calibration import VectorizedSigmoidCalibration
from knowledge.matcher import MatcherConfig, fit_scikit_learn

SOME_LABELS = 8


@pytest.fixture(scope="module")
def questions(kb, matcher):
    texts, labels = kb.training_pairs()
    kept = sorted(set(labels))[:SOME_LABELS]
    pairs = [(text, label) for text, label in zip(texts, labels, strict=True) if label in kept]
    return [matcher.analyzer(text) for text, _ in pairs], [label for _, label in pairs]


def test_with_every_question_in_every_problem_it_is_scikit_learns_classifier(questions):
    docs, labels = questions
    features, calibrated = fit_scikit_learn(MatcherConfig(), docs, labels)
    matrix = features.transform(docs)
    ours = linear_fit.fit(matrix, labels, c=MatcherConfig().c, sampling=linear_fit.Sampling(prune=0.0))
    theirs = VectorizedSigmoidCalibration(calibrated)
    assert list(ours.classes_) == list(theirs.classes_)
    # The same convex problems, solved to liblinear's tolerance: probabilities agree closely, choices exactly.
    mine, expected = ours.predict_proba(matrix), theirs.predict_proba(matrix)
    assert np.abs(mine - expected).max() < 0.01
    assert (mine.argmax(axis=1) == expected.argmax(axis=1)).all()


def test_a_labels_problem_has_its_own_questions_its_neighbours_and_a_weighted_sample_of_the_rest():
    by_class = [np.arange(10 * k, 10 * k + 10) for k in range(50)]  # 50 labels of 10 questions
    rows, weights = linear_fit._problem(3, np.array([7, 9]), by_class, 500, 40, np.random.default_rng(0))
    assert len(rows) == 30 + 40 and len(set(rows.tolist())) == len(rows)
    assert set(range(30, 40)) | set(range(70, 80)) | set(range(90, 100)) <= set(rows.tolist())
    assert weights[:30].tolist() == [1.0] * 30
    assert np.allclose(weights[30:], 470 / 40)  # the sample stands for the 470 questions it was drawn from


def test_pruning_keeps_the_weights_that_decide(questions):
    docs, labels = questions
    features, _ = fit_scikit_learn(MatcherConfig(), docs, labels)
    matrix = features.transform(docs)
    full = linear_fit.fit(matrix, labels, c=0.5, sampling=linear_fit.Sampling(prune=0.0))
    pruned = linear_fit.fit(matrix, labels, c=0.5, sampling=linear_fit.Sampling(prune=0.05))
    assert pruned.weights.nbytes < full.weights.nbytes
    assert (pruned.predict_proba(matrix).argmax(axis=1) == full.predict_proba(matrix).argmax(axis=1)).mean() > 0.97
