"""The lean scorer gives exactly scikit-learn's probabilities for a question, without scikit-learn at run time."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from knowledge.calibration import VectorizedSigmoidCalibration
from knowledge.matcher import MatcherConfig, fit_scikit_learn
from knowledge.scoring import LinearScorer, views_of

QUESTIONS = ["身份证丢了咋补", "俺的老年卡坐公交咋刷不了", "養老金認證", "zzz", "医保 异地 备案 住院 报销 报销", "救命"]
SOME_LABELS = 8  # enough classes and n-grams to compare, small enough to fit in a second


@pytest.fixture(scope="module")
def fitted(kb, matcher):
    """scikit-learn's fitted views and classifier on the questions of a few labels, and the lean scorer of them."""
    texts, labels = kb.training_pairs()
    kept = sorted(set(labels))[:SOME_LABELS]
    pairs = [(text, label) for text, label in zip(texts, labels, strict=True) if label in kept]
    docs = [matcher.analyzer(text) for text, _ in pairs]
    features, calibrated = fit_scikit_learn(MatcherConfig(), docs, [label for _, label in pairs])
    return features, calibrated, LinearScorer(views_of(features), VectorizedSigmoidCalibration(calibrated))


@pytest.mark.parametrize("question", QUESTIONS)
def test_lean_scorer_equals_scikit_learn(fitted, matcher, question):
    features, calibrated, scorer = fitted
    doc = matcher.analyzer(question)
    expected = calibrated.predict_proba(features.transform([doc]))[0]
    # The weights are kept in float32 (tests/knowledge/test_matcher.py): probabilities agree to about 1e-7.
    np.testing.assert_allclose(scorer.predict_proba(doc), expected, rtol=1e-6, atol=1e-9)


def test_a_question_with_no_known_ngram_gets_the_model_prior(matcher):
    doc = matcher.analyzer("𠀀𠀁")
    probabilities = matcher.scorer.predict_proba(doc)
    assert probabilities.shape == (len(matcher.labels),) and np.isclose(probabilities.sum(), 1.0)


def test_a_cached_model_loads_and_answers_without_scikit_learn_or_pypinyin(matcher, model_dir):
    """They cost a worker about 150 MB of memory: loading a trained model must not import them."""
    script = (
        "import sys; from pathlib import Path; from knowledge.matcher import load_or_train; "
        f"m = load_or_train(Path({str(model_dir)!r})); print(m.decide('身份证丢了咋补').label); "
        "print(sorted(n for n in ('sklearn', 'scipy', 'pypinyin') if n in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    label, imported = run.stdout.splitlines()
    assert label == matcher.decide("身份证丢了咋补").label
    assert imported == "[]"
