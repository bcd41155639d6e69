"""Our own speech recognition is off unless an operator supplies a model; no fake recognition."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from assistant.settings import Settings
from voice.recognition import get_recognizer
from voice.speech.errors import VoiceUnavailable


def _settings(monkeypatch: pytest.MonkeyPatch, **values: object) -> Settings:
    monkeypatch.delenv("ASR_MODEL_DIR", raising=False)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_recognition_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_recognizer(_settings(monkeypatch)) is None


def test_a_model_directory_that_does_not_exist_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    with pytest.raises(VoiceUnavailable, match="not a directory"):
        get_recognizer(_settings(monkeypatch, asr_model_dir=tmp_path / "missing"))


@pytest.mark.skipif(importlib.util.find_spec("sherpa_onnx") is not None, reason="sherpa-onnx is installed")
def test_a_sherpa_onnx_model_without_the_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    (tmp_path / "tokens.txt").write_text("<blk> 0\n")
    with pytest.raises(VoiceUnavailable, match="pip install sherpa-onnx"):
        get_recognizer(_settings(monkeypatch, asr_model_dir=tmp_path))


@pytest.mark.skipif(importlib.util.find_spec("vosk") is not None, reason="vosk is installed")
def test_a_vosk_model_without_the_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    with pytest.raises(VoiceUnavailable, match="pip install vosk"):
        get_recognizer(_settings(monkeypatch, asr_model_dir=tmp_path))
