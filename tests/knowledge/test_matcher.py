"""The trained model is cached by the knowledge files' hash: reused while they stay, retrained when one changes."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import yaml
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

from knowledge.calibration import VectorizedSigmoidCalibration
from knowledge.loader import load_knowledge
from knowledge.matcher import MatcherConfig, cache_key, load_or_train, model_path


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


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all", b"\x80\x05\x95truncated"])
def test_a_damaged_cache_is_trained_again_and_replaced(small_kb, tmp_path, caplog, damage):
    path = model_path(tmp_path, small_kb, MatcherConfig())
    path.write_bytes(damage)
    matcher = load_or_train(tmp_path, small_kb)
    assert matcher.decide("身份证丢了咋补").label == "id-card-lost"
    assert "cannot be read" in caplog.text and "training it again" in caplog.text
    reloaded = load_or_train(tmp_path, small_kb)  # the rebuilt cache is whole: read, not trained
    assert reloaded.decide("身份证丢了咋补").label == "id-card-lost"
    assert caplog.text.count("cannot be read") == 1


def test_a_foreign_object_in_the_cache_is_not_served(small_kb, tmp_path, caplog):
    path = model_path(tmp_path, small_kb, MatcherConfig())
    path.write_bytes(pickle.dumps({"weights": [1, 2, 3]}))
    assert load_or_train(tmp_path, small_kb).decide("身份证丢了咋补").label == "id-card-lost"
    assert "not a model" in caplog.text or "cannot be read" in caplog.text


def test_a_model_folder_that_cannot_be_written_keeps_the_model_in_memory(small_kb, tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # a folder under a file cannot be created, even by root
    matcher = load_or_train(blocker / "model", small_kb)
    assert matcher.decide("身份证丢了咋补").label == "id-card-lost"
    assert "kept in memory" in caplog.text and "MODEL_DIR" in caplog.text
