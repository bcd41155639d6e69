"""Speech recognition with a Vosk (Kaldi) model directory. Untested here: no model or vosk package in CI."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from voice.speech.errors import VoiceError
from voice.speech.formats import decode_pcm16

log = logging.getLogger(__name__)
SAMPLE_RATE = 16000


class VoskRecognizer:
    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        self._model: Any = None
        self._lock = threading.Lock()

    def transcribe(self, audio_path: Path) -> str | None:
        try:
            samples = decode_pcm16(audio_path, sample_rate=SAMPLE_RATE)
            from vosk import KaldiRecognizer

            recognizer = KaldiRecognizer(self._loaded_model(), SAMPLE_RATE)
            recognizer.AcceptWaveform(samples)
            text = json.loads(recognizer.FinalResult()).get("text", "")
        except (VoiceError, OSError, RuntimeError, ValueError) as exc:
            log.warning("vosk could not transcribe %s: %s", audio_path.name, exc)
            return None
        return text.replace(" ", "") or None  # Chinese models put spaces between words

    def _loaded_model(self) -> Any:
        """Load the model on first use: it takes seconds and hundreds of megabytes."""
        with self._lock:
            if self._model is None:
                from vosk import Model

                self._model = Model(str(self.model_dir))
            return self._model
