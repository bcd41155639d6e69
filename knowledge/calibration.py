"""Fast prediction for a fitted sigmoid-calibrated linear classifier.

scikit-learn's CalibratedClassifierCV.predict_proba loops in Python over every class of every fold (about 8 ms a
question for 67 labels); this computes exactly the same probabilities with one sparse matrix product.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV


class VectorizedSigmoidCalibration:
    def __init__(self, fitted: CalibratedClassifierCV) -> None:
        if fitted.method != "sigmoid":
            raise ValueError("only sigmoid calibration is supported")
        self.classes_ = np.asarray(fitted.classes_)
        folds = fitted.calibrated_classifiers_
        self._folds = len(folds)
        self._coef = np.vstack([f.estimator.coef_ for f in folds])
        self._intercept = np.concatenate([f.estimator.intercept_ for f in folds])
        self._a = np.concatenate([[c.a_ for c in f.calibrators] for f in folds])
        self._b = np.concatenate([[c.b_ for c in f.calibrators] for f in folds])

    def predict_proba(self, features) -> np.ndarray:
        scores = np.asarray(features @ self._coef.T) + self._intercept
        proba = expit(-(self._a * scores + self._b))
        n, k = proba.shape[0], len(self.classes_)
        per_fold = proba.reshape(n, self._folds, k)
        total = per_fold.sum(axis=2, keepdims=True)
        per_fold = np.divide(per_fold, total, out=np.full_like(per_fold, 1.0 / k), where=total != 0)
        return per_fold.mean(axis=1)
