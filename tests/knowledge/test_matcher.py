"""The trained model is cached by the knowledge files' hash: reused while they stay, retrained when one changes."""

from __future__ import annotations

import numpy as np
import yaml
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

from knowledge.calibration import VectorizedSigmoidCalibration
from knowledge.loader import load_knowledge
from knowledge.matcher import MatcherConfig, cache_key, load_or_train


def test_a_cached_model_is_reused(matcher, kb, model_dir, no_training):
    reloaded = load_or_train(model_dir, kb)
    assert reloaded.decide("身份证丢了咋补").label == matcher.decide("身份证丢了咋补").label


def test_changing_a_guide_changes_the_cache_key(knowledge_copy, kb):
    guides, special = knowledge_copy
    path = guides / "id-card-lost.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"].append("身份证被小偷偷走了咋整")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    config = MatcherConfig()
    assert cache_key(load_knowledge(guides, special), config) != cache_key(kb, config)


def test_a_changed_guide_is_trained_into_a_new_model(knowledge_copy, tmp_path):
    guides, special = knowledge_copy
    reports: list[str] = []
    load_or_train(tmp_path / "model", load_knowledge(guides, special), progress=lambda stage, *_: reports.append(stage))
    assert "fitting the classifier" in reports  # training shows progress
    (guides / "id-card-lost.yaml").write_text(
        (guides / "id-card-lost.yaml").read_text(encoding="utf-8") + "  - 身份证被小偷偷走了咋整\n", encoding="utf-8"
    )
    reports.clear()
    load_or_train(tmp_path / "model", load_knowledge(guides, special), progress=lambda stage, *_: reports.append(stage))
    assert "fitting the classifier" in reports
    assert len(list((tmp_path / "model").glob("matcher-*.pickle"))) == 1  # the stale model is removed


def test_fast_calibration_equals_scikit_learn():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(120, 8))
    labels = np.repeat(["a", "b", "c", "d"], 30)
    features[np.arange(120), np.repeat([0, 1, 2, 3], 30)] += 2.0
    fitted = CalibratedClassifierCV(LinearSVC(), method="sigmoid", cv=3).fit(features, labels)
    fast = VectorizedSigmoidCalibration(fitted)
    # The fast path keeps its weights in float32 (7 significant digits) to halve the model's memory.
    np.testing.assert_allclose(fast.predict_proba(features), fitted.predict_proba(features), rtol=1e-6, atol=1e-9)
