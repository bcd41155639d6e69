"""Score one question in well under a millisecond, with the fitted model's own numbers and no scikit-learn.

FeatureUnion.transform and TfidfVectorizer.transform cost about a millisecond per view in call overhead (joblib,
parameter validation, sparse matrix building) before any arithmetic, and importing scikit-learn and SciPy costs a
worker about 90 MB. For one short question at a time this does the same arithmetic directly: count the n-grams
found in each view's vocabulary, apply sublinear tf, idf and the view's L2 norm, and sum the matching rows of the
classifier's weights (knowledge/sparse_rows.py). tests/knowledge/test_scoring.py checks it equals scikit-learn's
result.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from knowledge.calibration import VectorizedSigmoidCalibration
from knowledge.features import ANALYZERS, Doc

if TYPE_CHECKING:
    from sklearn.pipeline import FeatureUnion


@dataclass(frozen=True)
class View:
    """One fitted TF-IDF view: its n-grams' columns and their idf."""

    kind: str  # a key of knowledge.features.ANALYZERS
    vocabulary: dict[str, int]
    idf: np.ndarray


_SUBLINEAR_TF = [0.0, *(1.0 + math.log(n) for n in range(1, 64))]  # 1 + ln(n), as sublinear_tf computes it


def _sublinear_tf(n: int) -> float:
    return _SUBLINEAR_TF[n] if n < len(_SUBLINEAR_TF) else 1.0 + math.log(n)


class _ViewScorer:
    """A view's tf-idf for one question, in plain floats: for thirty-odd n-grams NumPy's per-call cost dominates.
    The loops are map() and Counter over C functions where they can be: this runs for every question."""

    def __init__(self, view: View, offset: int):
        self.analyzer = ANALYZERS[view.kind]
        self.column = view.vocabulary.get
        self.idf: list[float] = view.idf.tolist()
        self.offset = offset

    def weights(self, doc: Doc) -> tuple[list[int], list[float]]:
        # Columns in the order their n-grams first occur, as scikit-learn's sums run (the same floats exactly).
        counts = Counter([c for c in map(self.column, self.analyzer(doc)) if c is not None])
        idf = self.idf
        values = [_sublinear_tf(n) * idf[c] for c, n in counts.items()]
        norm = math.sqrt(math.fsum(map(operator.mul, values, values)))
        return list(map(self.offset.__add__, counts)), list(map(norm.__rtruediv__, values))


def views_of(features: FeatureUnion) -> tuple[View, ...]:
    """The plain tables of a fitted FeatureUnion of TfidfVectorizers (knowledge.features.make_vectorizer)."""
    return tuple(View(kind, dict(vectorizer.vocabulary_), np.asarray(vectorizer.idf_, dtype=np.float64))
                 for kind, vectorizer in features.transformer_list)


class LinearScorer:
    def __init__(self, views: tuple[View, ...], classifier: VectorizedSigmoidCalibration) -> None:
        offsets = np.cumsum([0, *(len(view.vocabulary) for view in views)]).tolist()
        self.views = [_ViewScorer(view, offset) for view, offset in zip(views, offsets, strict=False)]
        self.classifier = classifier

    def predict_proba(self, doc: Doc) -> np.ndarray:
        columns: list[int] = []
        values: list[float] = []
        for view in self.views:
            view_columns, view_values = view.weights(doc)
            columns += view_columns
            values += view_values
        scores = self.classifier.weights.weighted_sum(columns, values)
        proba: np.ndarray = self.classifier.proba_from_scores(scores[np.newaxis, :])[0]
        return proba
