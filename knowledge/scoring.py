"""Score one question in well under a millisecond, with the fitted scikit-learn model's own numbers.

FeatureUnion.transform and TfidfVectorizer.transform cost about a millisecond per view in call overhead (joblib,
parameter validation, sparse matrix building) before any arithmetic. For one short question at a time this does the
same arithmetic directly: count the n-grams found in each view's vocabulary, apply sublinear tf, idf and the view's
L2 norm, and sum the matching rows of the classifier's weights. tests/knowledge/test_scoring.py checks it equals
scikit-learn's result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np
from sklearn.pipeline import FeatureUnion

from knowledge.calibration import VectorizedSigmoidCalibration
from knowledge.features import Doc


class _View:
    def __init__(self, analyzer: Callable[[Doc], list[str]], vocabulary: dict[str, int], idf: np.ndarray, offset: int):
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.idf = idf
        self.offset = offset

    def weights(self, doc: Doc) -> tuple[list[int], np.ndarray]:
        counts = Counter(gram for gram in self.analyzer(doc) if gram in self.vocabulary)
        if not counts:
            return [], np.empty(0)
        columns = [self.vocabulary[gram] for gram in counts]
        values = (1.0 + np.log(np.fromiter(counts.values(), float, len(counts)))) * self.idf[columns]
        values /= np.linalg.norm(values)
        return [self.offset + c for c in columns], values


class CompiledScorer:
    def __init__(self, features: FeatureUnion, classifier: VectorizedSigmoidCalibration) -> None:
        self.views = []
        offset = 0
        for _, vectorizer in features.transformer_list:
            self.views.append(_View(vectorizer.analyzer, vectorizer.vocabulary_, vectorizer.idf_, offset))
            offset += len(vectorizer.vocabulary_)
        self.classifier = classifier

    def predict_proba(self, doc: Doc) -> np.ndarray:
        columns: list[int] = []
        parts = []
        for view in self.views:
            view_columns, values = view.weights(doc)
            columns.extend(view_columns)
            parts.append(values)
        values = np.concatenate(parts) if columns else np.empty(0)
        weights = self.classifier.weights
        scores = values @ weights[columns] if columns else np.zeros(weights.shape[1])
        return self.classifier.proba_from_scores(scores[np.newaxis, :])[0]
