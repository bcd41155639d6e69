"""Our own speech recognition, beyond the carrier's SpeechResult: off unless an operator supplies a model."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from voice.speech.errors import VoiceUnavailable

if TYPE_CHECKING:
    from assistant.settings import Settings


class Recognizer(Protocol):
    def transcribe(self, audio_path: Path) -> str | None:
        """The words heard in the audio file, or None when nothing could be recognised."""


def get_recognizer(settings: Settings) -> Recognizer | None:
    """The recognizer for ASR_MODEL_DIR, or None (recognition off) when it is not set."""
    if settings.asr_model_dir is None:
        return None
    return recognizer_for(settings.asr_model_dir)


def recognizer_for(model_dir: Path) -> Recognizer:
    """A lazily loading recognizer: sherpa-onnx if the directory holds tokens.txt, otherwise Vosk."""
    if not model_dir.is_dir():
        raise VoiceUnavailable(f"ASR_MODEL_DIR {model_dir} is not a directory")
    if (model_dir / "tokens.txt").is_file():
        _require("sherpa_onnx", "sherpa-onnx", model_dir)
        from voice.sherpa_recognizer import SherpaRecognizer

        return SherpaRecognizer(model_dir)
    _require("vosk", "vosk", model_dir)
    from voice.vosk_recognizer import VoskRecognizer

    return VoskRecognizer(model_dir)


def _require(module: str, package: str, model_dir: Path) -> None:
    if importlib.util.find_spec(module) is None:
        raise VoiceUnavailable(f"the model in {model_dir} needs the {package} package (pip install {package})")
