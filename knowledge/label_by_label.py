"""Training for a large catalogue: one calibrated linear SVM per label, each fitted against the questions it could
be mistaken for, so training grows linearly with the catalogue instead of with its square.

Exact one-vs-rest (LinearSVC inside CalibratedClassifierCV, knowledge/matcher.py) fits every label against every
question, three times over (the calibration folds): labels x questions, the square of the catalogue, and dense
weights of 3 x labels x n-grams (gigabytes at a thousand services). Here each label is fitted against the
questions of its nearest labels (the cosine of the labels' mean tf-idf vectors: the services it is confused with)
and a fixed-size random sample of all the others, so every fit has a bounded size; and a label's weights are
nonzero only on the n-grams of the questions it saw, so the model grows with the catalogue, not with its square.
Each fit is calibrated as CalibratedClassifierCV does (three folds, a sigmoid on the held-out fold's scores).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from knowledge.calibration import VectorizedSigmoidCalibration
from knowledge.csr_rows import CsrRows

FOLDS = 3


@dataclass(frozen=True)
class Sampling:
    neighbours: int = 16  # nearest labels whose questions are all negatives
    background: int = 800  # random questions of the other labels
    seed: int = 0
    # Weights smaller than this share of a fit's largest are dropped: they cannot move a decision, and keeping
    # them would make every common n-gram's row as wide as the catalogue.
    prune: float = 0.02


def _nearest_labels(features: Any, y: np.ndarray, classes: int, count: int) -> np.ndarray:
    """For each label, the `count` labels whose mean question is closest to its own."""
    from scipy import sparse
    from sklearn.preprocessing import normalize

    members = sparse.csr_matrix((np.ones(len(y)), (y, np.arange(len(y)))), shape=(classes, len(y)))
    centroids = normalize(members @ features)
    similarity = (centroids @ centroids.T).toarray()
    np.fill_diagonal(similarity, -np.inf)
    count = min(count, classes - 1)
    nearest: np.ndarray = np.argpartition(-similarity, count - 1, axis=1)[:, :count] if count else \
        np.zeros((classes, 0), dtype=np.intp)
    return nearest


def platt(scores: np.ndarray, positive: np.ndarray, steps: int = 100) -> tuple[float, float]:
    """Platt's sigmoid on held-out scores, (a, b) as scikit-learn's: P(label) = 1 / (1 + exp(a * score + b)).

    Newton's method with backtracking, as in Lin, Lin and Weng, "A note on Platt's probabilistic outputs for
    support vector machines" (2007), with Platt's smoothed targets; a few microseconds where SciPy's L-BFGS-B, which
    scikit-learn's calibration uses, took a fifth of a second per label."""
    f = np.asarray(scores, dtype=np.float64)
    ones = int(positive.sum())
    zeros = len(positive) - ones
    t = np.where(positive, (ones + 1.0) / (ones + 2.0), 1.0 / (zeros + 2.0))
    a, b = 0.0, float(np.log((zeros + 1.0) / (ones + 1.0)))

    def loss(a: float, b: float) -> float:
        z = a * f + b
        return float(np.sum(t * z + np.logaddexp(0.0, -z)))  # -sum(t log p + (1 - t) log(1 - p))

    current = loss(a, b)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(a * f + b))
        d1, d2 = t - p, p * (1.0 - p)
        g = np.array([np.dot(f, d1), np.sum(d1)])
        if np.abs(g).max() < 1e-5:
            break
        h = np.array([[np.dot(f * f, d2) + 1e-12, np.dot(f, d2)], [np.dot(f, d2), np.sum(d2) + 1e-12]])
        da, db = -np.linalg.solve(h, g)
        step = 1.0
        while step >= 1e-10:
            tried = loss(a + step * da, b + step * db)
            if tried < current + 1e-4 * step * float(g @ np.array([da, db])):
                a, b, current = a + step * da, b + step * db, tried
                break
            step /= 2.0
        else:
            break
    return a, b


def fit_label_by_label(features: Any, labels: list[str], c: float, sampling: Sampling = Sampling(),
                       progress: Callable[[int, int], None] = lambda done, total: None
                       ) -> VectorizedSigmoidCalibration:
    """features: the questions' tf-idf rows (a SciPy CSR matrix); labels: one per row."""
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    classes, y = np.unique(np.asarray(labels), return_inverse=True)
    n, k = len(y), len(classes)
    fold_of = np.empty(n, dtype=np.intp)
    for fold, (_, held) in enumerate(StratifiedKFold(FOLDS).split(np.zeros(n), y)):
        fold_of[held] = fold
    members = [np.flatnonzero(y == label) for label in range(k)]
    nearest = _nearest_labels(features, y, k, sampling.neighbours)
    rng = np.random.default_rng(sampling.seed)
    weight = n / (k * np.bincount(y, minlength=k))  # class_weight="balanced", as the exact fit weighs positives

    columns: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(FOLDS)]
    intercept, a, b = np.zeros((FOLDS, k)), np.zeros((FOLDS, k)), np.zeros((FOLDS, k))
    for label in range(k):
        near = np.concatenate([members[other] for other in nearest[label]]) if len(nearest[label]) else \
            np.zeros(0, dtype=np.intp)
        rows = np.unique(np.concatenate([members[label], near, rng.choice(n, min(n, sampling.background),
                                                                          replace=False)]))
        positive = y[rows] == label
        for fold in range(FOLDS):
            fit, held = rows[fold_of[rows] != fold], rows[fold_of[rows] == fold]
            svm = LinearSVC(C=c, class_weight={True: weight[label], False: 1.0})
            svm.fit(features[fit], positive[fold_of[rows] != fold])
            coef = svm.coef_[0]
            kept = np.flatnonzero(np.abs(coef) >= sampling.prune * np.abs(coef).max())
            columns[fold].append((kept, coef[kept]))
            intercept[fold, label] = svm.intercept_[0]
            a[fold, label], b[fold, label] = platt(svm.decision_function(features[held]),
                                                      positive[fold_of[rows] == fold])
        progress(label + 1, k)
    weights = CsrRows.from_columns(features.shape[1], [column for fold in columns for column in fold])
    return VectorizedSigmoidCalibration.of_parts(classes, weights, intercept.ravel(), a.ravel(), b.ravel(), FOLDS)
