"""Fast prediction for a fitted sigmoid-calibrated linear classifier.

scikit-learn's CalibratedClassifierCV.predict_proba loops in Python over every class of every fold (about 8 ms a
question for 67 labels); this computes exactly the same probabilities with one sparse matrix product.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from knowledge.csr_rows import CsrRows
from knowledge.sparse_rows import SparseRows

Rows = SparseRows | CsrRows  # the weights: well-filled (a catalogue of tens of services) or not (of a thousand)

if TYPE_CHECKING:  # a served model holds only arrays: scikit-learn and SciPy stay out of the workers' memory
    from sklearn.calibration import CalibratedClassifierCV


class VectorizedSigmoidCalibration:
    def __init__(self, fitted: CalibratedClassifierCV) -> None:
        if fitted.method != "sigmoid":
            raise ValueError("only sigmoid calibration is supported")
        folds = fitted.calibrated_classifiers_
        # One row of weights per feature (all folds' classes side by side): a question's few features pick rows.
        # This is the largest thing a worker holds (80k features x 201 columns), so only its nonzeros are kept, in
        # float32: 27 MB instead of 127. Products are still summed in float64, and probabilities move by about
        # 1e-7, far below any threshold.
        self._set(np.asarray(fitted.classes_), SparseRows(np.vstack([f.estimator.coef_ for f in folds]).T),
                  np.concatenate([f.estimator.intercept_ for f in folds]),
                  np.concatenate([[c.a_ for c in f.calibrators] for f in folds]),
                  np.concatenate([[c.b_ for c in f.calibrators] for f in folds]), len(folds))

    @classmethod
    def of_parts(cls, classes: np.ndarray, weights: Rows, intercept: np.ndarray, a: np.ndarray, b: np.ndarray,
                 folds: int) -> VectorizedSigmoidCalibration:
        """From arrays laid out as above (columns: fold by fold, each fold's classes in order)."""
        made = cls.__new__(cls)
        made._set(classes, weights, intercept, a, b, folds)
        return made

    def _set(self, classes: np.ndarray, weights: Rows, intercept: np.ndarray, a: np.ndarray, b: np.ndarray,
             folds: int) -> None:
        self.classes_ = classes
        self.weights = weights
        self._intercept, self._a, self._b, self._folds = intercept, a, b, folds

    def _per_fold(self, scores: np.ndarray) -> np.ndarray:
        proba = 1.0 / (1.0 + np.exp(self._a * (scores + self._intercept) + self._b))  # expit(-(a*s + b))
        per_fold: np.ndarray = proba.reshape(proba.shape[0], self._folds, len(self.classes_))
        return per_fold

    def predict_proba(self, features: Any) -> np.ndarray:  # a scipy sparse matrix, or an array
        """The same as CalibratedClassifierCV.predict_proba: per-class sigmoids, normalised, averaged over folds."""
        return self.proba_from_scores(np.asarray(features @ self.weights.dense()))

    def proba_from_scores(self, scores: np.ndarray) -> np.ndarray:
        """Probabilities from the raw linear scores (features @ weights), one row per question."""
        per_fold = self._per_fold(scores)
        total = per_fold.sum(axis=2, keepdims=True)
        if total.all():  # nearly always: the guarded division below is for sigmoids that all underflowed
            proba: np.ndarray = (per_fold / total).mean(axis=1)
            return proba
        uniform = np.full_like(per_fold, 1.0 / len(self.classes_))
        guarded: np.ndarray = np.divide(per_fold, total, out=uniform, where=total != 0).mean(axis=1)
        return guarded
