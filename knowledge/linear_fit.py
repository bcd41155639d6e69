"""The calibrated linear SVM of knowledge/matcher.py, fitted one label at a time so that it scales with the
catalogue: each label's one-vs-rest problem sees its own questions, every question of the labels nearest to it
(by their TF-IDF centroids), and a weighted sample of the rest.

scikit-learn's CalibratedClassifierCV(LinearSVC(class_weight="balanced"), method="sigmoid", cv=3) solves every
label's problem on every question and keeps dense weights (labels x n-grams, float64, per fold): both grow with the
square of the catalogue (256 guides: 95 s and 3.2 GB; 1,024 did not finish). Here a label's problem has a bounded
size, so time grows with the catalogue, and only the weights that matter are kept. Up to a few thousand questions
(Sampling.every_below) every question is in every problem: the same problems as scikit-learn's (the same folds,
class weights, C, and Platt's sigmoid on the held-out fold), which is what the 64 real guides get; beyond, a
label's problem has about as many questions as one of the 64 guides' has.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from knowledge.calibration import VectorizedSigmoidCalibration
from knowledge.sparse_rows import SparseRows

FOLDS = 3


@dataclass(frozen=True)
class Sampling:
    every_below: int = 4000  # training questions up to which every problem has them all (the 64 guides: 2,200)
    neighbours: int = 24  # beyond: labels whose questions are all in a label's problem (its hardest negatives)
    others: int = 1500  # and questions sampled from the remaining labels, weighted to stand for all of them
    prune: float = 1e-3  # weights smaller than this share of their label's largest are dropped
    seed: int = 0


def fit(features: Any, labels: Sequence[str], *, c: float, sampling: Sampling = Sampling(),
        progress: Callable[[int, int], None] = lambda done, total: None) -> VectorizedSigmoidCalibration:
    """features: the questions' TF-IDF rows (a SciPy sparse matrix); labels: theirs."""
    from scipy import sparse
    from sklearn.model_selection import StratifiedKFold

    matrix = sparse.csr_matrix(features, dtype=np.float64)
    classes, y = np.unique(np.asarray(labels), return_inverse=True)
    rng = np.random.default_rng(sampling.seed)
    n_classes, n_features = len(classes), matrix.shape[1]
    triples: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    intercept, a, b = (np.zeros(FOLDS * n_classes) for _ in range(3))
    splits = StratifiedKFold(n_splits=FOLDS).split(np.zeros(len(y)), y)
    for fold, (train, test) in enumerate(splits):
        x_train, y_train, x_test = matrix[train], y[train], matrix[test]
        everything = len(y_train) <= sampling.every_below
        near = _nearest(x_train, y_train, n_classes, n_classes if everything else sampling.neighbours)
        by_class = [np.flatnonzero(y_train == k) for k in range(n_classes)]
        # class_weight="balanced", as LinearSVC's one-vs-rest gives it: a label's own questions weigh
        # n / (labels x its count), every other question 1.
        balance = len(y_train) / (n_classes * np.maximum(np.bincount(y_train, minlength=n_classes), 1))
        for k in range(n_classes):
            rows, weights = _problem(k, near[k], by_class, len(y_train), len(y_train) if everything else
                                     sampling.others, rng)
            w, bias = _binary_svm(x_train[rows], (y_train[rows] == k).astype(np.int64), weights, c, balance[k],
                                  sampling.seed)
            column = fold * n_classes + k
            a[column], b[column] = _platt(x_test @ w + bias, (y[test] == k).astype(np.float64))
            intercept[column] = bias
            kept = np.flatnonzero(np.abs(w) >= sampling.prune * np.abs(w).max(initial=0.0))
            kept = kept[w[kept] != 0]
            triples.append((kept, np.full(len(kept), column), w[kept]))
            progress(fold * n_classes + k + 1, FOLDS * n_classes)
    rows_, columns_, values_ = (np.concatenate(part) for part in zip(*triples, strict=True))
    weights_ = SparseRows.from_triples((n_features, FOLDS * n_classes), rows_, columns_, values_)
    return VectorizedSigmoidCalibration.from_parts(classes, weights_, intercept, a, b, FOLDS)


def _nearest(x: Any, y: np.ndarray, n_classes: int, count: int) -> list[np.ndarray]:
    """For each label, the `count` labels whose questions' centroid is most like its own (itself excluded)."""
    if n_classes - 1 <= count:
        return [np.delete(np.arange(n_classes), k) for k in range(n_classes)]
    from scipy import sparse
    from sklearn.preprocessing import normalize

    membership = sparse.csr_matrix((np.ones(len(y)), (y, np.arange(len(y)))), shape=(n_classes, len(y)))
    centroids = normalize(membership @ x)
    similar = (centroids @ centroids.T).toarray()
    np.fill_diagonal(similar, -np.inf)
    return [np.argpartition(-similar[k], count)[:count] for k in range(n_classes)]


def _problem(k: int, near: np.ndarray, by_class: list[np.ndarray], total: int, others: int,
             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The questions of label k's problem and their sample weights."""
    chosen = np.concatenate([by_class[k], *(by_class[j] for j in near)])
    rest_mask = np.ones(total, dtype=bool)
    rest_mask[chosen] = False
    rest = np.flatnonzero(rest_mask)
    weights = np.ones(len(chosen))
    if len(rest) > others:
        sample = rng.choice(rest, size=others, replace=False)
        return np.concatenate([chosen, sample]), np.concatenate([weights, np.full(others, len(rest) / others)])
    return np.concatenate([chosen, rest]), np.concatenate([weights, np.ones(len(rest))])


def _binary_svm(x: Any, y: np.ndarray, weights: np.ndarray, c: float, positive_weight: float,
                seed: int) -> tuple[np.ndarray, float]:
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=c, class_weight={1: positive_weight, 0: 1.0}, random_state=seed)
    svm.fit(x, y, sample_weight=weights)
    return np.asarray(svm.coef_[0], dtype=np.float64), float(svm.intercept_[0])


def _platt(scores: np.ndarray, positive: np.ndarray) -> tuple[float, float]:
    """Platt's sigmoid on the held-out fold, as CalibratedClassifierCV(method="sigmoid") fits it."""
    from sklearn.calibration import _sigmoid_calibration

    fitted_a, fitted_b = _sigmoid_calibration(scores, positive)
    return float(fitted_a), float(fitted_b)
