"""The lean scorer gives exactly scikit-learn's probabilities for a question."""

from __future__ import annotations

import numpy as np
import pytest

QUESTIONS = ["身份证丢了咋补", "俺的老年卡坐公交咋刷不了", "養老金認證", "zzz", "医保 异地 备案 住院 报销 报销", "救命"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_lean_scorer_equals_scikit_learn(matcher, question):
    doc = matcher.analyzer(question)
    expected = matcher.model.classifier.predict_proba(matcher.model.features.transform([doc]))[0]
    np.testing.assert_allclose(matcher.scorer.predict_proba(doc), expected, rtol=1e-9, atol=1e-12)


def test_a_question_with_no_known_ngram_gets_the_model_prior(matcher):
    doc = matcher.analyzer("𠀀𠀁")
    probabilities = matcher.scorer.predict_proba(doc)
    assert probabilities.shape == (len(matcher.labels),) and np.isclose(probabilities.sum(), 1.0)
