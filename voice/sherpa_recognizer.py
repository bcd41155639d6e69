"""Speech recognition with a sherpa-onnx offline model directory (paraformer or transducer). Untested here: no model."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from voice.speech.errors import VoiceError, VoiceUnavailable
from voice.speech.formats import decode_pcm16

log = logging.getLogger(__name__)
SAMPLE_RATE = 16000


class SherpaRecognizer:
    def __init__(self, model_dir: Path, *, num_threads: int = 2) -> None:
        self.model_dir = model_dir
        self.num_threads = num_threads
        self._recognizer: Any = None
        self._lock = threading.Lock()

    def transcribe(self, audio_path: Path) -> str | None:
        try:
            pcm = decode_pcm16(audio_path, sample_rate=SAMPLE_RATE)
            samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0
            recognizer = self._loaded()
            stream = recognizer.create_stream()
            stream.accept_waveform(SAMPLE_RATE, samples)
            recognizer.decode_stream(stream)
            text = stream.result.text
        except (VoiceError, OSError, RuntimeError, ValueError) as exc:
            log.warning("sherpa-onnx could not transcribe %s: %s", audio_path.name, exc)
            return None
        return text.strip() or None

    def _loaded(self) -> Any:
        """Build the recognizer on first use: loading the model takes seconds."""
        with self._lock:
            if self._recognizer is None:
                self._recognizer = self._build()
            return self._recognizer

    def _build(self) -> Any:
        import sherpa_onnx

        tokens = str(self.model_dir / "tokens.txt")
        parts = {name: self._find(f"{name}*.onnx") for name in ("encoder", "decoder", "joiner")}
        if all(parts.values()):
            return sherpa_onnx.OfflineRecognizer.from_transducer(
                encoder=str(parts["encoder"]), decoder=str(parts["decoder"]), joiner=str(parts["joiner"]),
                tokens=tokens, num_threads=self.num_threads)
        model = self._find("model*.onnx")
        if model is None:
            raise VoiceUnavailable(f"{self.model_dir}: neither a paraformer model*.onnx nor encoder/decoder/joiner")
        return sherpa_onnx.OfflineRecognizer.from_paraformer(paraformer=str(model), tokens=tokens,
                                                             num_threads=self.num_threads)

    def _find(self, pattern: str) -> Path | None:
        """The matching file, preferring the int8 quantised one (smaller, faster, nearly as accurate)."""
        found = sorted(self.model_dir.glob(pattern), key=lambda p: ".int8." not in p.name)
        return found[0] if found else None
