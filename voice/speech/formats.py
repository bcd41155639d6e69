"""The output formats (MP3, 8/16 kHz WAV for the phone, OGG/Opus for Telegram), written by libsndfile (bundled in the
soundfile wheel) and resampled by soxr: no ffmpeg or sox program is needed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import soundfile
import soxr

from voice.speech.errors import AudioToolError, SpeechRequestError

FormatName = Literal["mp3", "wav8k", "wav16k", "ogg_opus"]
# At full scale the peaks of speech clip once a phone codec or an MP3 decoder has been at them: about 3 dB of room.
PEAK = 0.7


@dataclass(frozen=True)
class AudioFormat:
    name: str
    suffix: str
    media_type: str
    sample_rate: int
    container: str  # libsndfile's major format
    subtype: str


FORMATS: dict[str, AudioFormat] = {
    "mp3": AudioFormat("mp3", ".mp3", "audio/mpeg", 22050, "MP3", "MPEG_LAYER_III"),
    "wav8k": AudioFormat("wav8k", ".wav", "audio/wav", 8000, "WAV", "PCM_16"),
    "wav16k": AudioFormat("wav16k", ".wav", "audio/wav", 16000, "WAV", "PCM_16"),
    # Telegram plays a voice message only from OGG with Opus inside; Opus works natively at 48 kHz.
    "ogg_opus": AudioFormat("ogg_opus", ".ogg", "audio/ogg", 48000, "OGG", "OPUS"),
}
MEDIA_TYPES = {f.suffix: f.media_type for f in FORMATS.values()}


def get_format(name: str) -> AudioFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise SpeechRequestError(f"unknown audio format {name!r}; choose one of {', '.join(FORMATS)}") from None


def write(samples: np.ndarray, sample_rate: int, target: Path, audio_format: AudioFormat) -> None:
    """Write mono float samples to `target` in `audio_format`, resampled to its rate."""
    mono = np.asarray(samples, dtype=np.float32).reshape(-1)
    if mono.size == 0:
        raise AudioToolError(f"no samples to write to {target.name}")
    if sample_rate != audio_format.sample_rate:
        mono = soxr.resample(mono, sample_rate, audio_format.sample_rate, quality="HQ")
    mono = np.clip(mono, -1.0, 1.0)
    try:
        soundfile.write(target, mono, audio_format.sample_rate, format=audio_format.container,
                        subtype=audio_format.subtype)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as exc:
        raise AudioToolError(f"could not write {audio_format.name}: {exc}") from exc
    if target.stat().st_size == 0:
        raise AudioToolError(f"libsndfile wrote an empty file for {target.name}")


def read(path: Path) -> tuple[np.ndarray, int]:
    """Mono float samples and their rate from any file libsndfile reads (WAV, MP3, OGG)."""
    try:
        samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError) as exc:
        raise AudioToolError(f"{path.name} is not audio libsndfile can read: {exc}") from exc
    return samples.mean(axis=1), int(rate)


def convert(source: Path, target: Path, audio_format: AudioFormat) -> None:
    """Write `source` (WAV, MP3 or OGG) to `target` as mono audio in `audio_format`."""
    samples, rate = read(source)
    write(samples, rate, target, audio_format)


def normalise(samples: np.ndarray, peak: float = PEAK) -> np.ndarray:
    """The same speech with its loudest sample at `peak` (silence stays silence)."""
    loudest = float(np.max(np.abs(samples))) if samples.size else 0.0
    return samples if loudest == 0.0 else (samples * (peak / loudest)).astype(np.float32)


def duration_seconds(path: Path) -> float:
    """The duration libsndfile reads from the file; 0.0 if it is not audio."""
    try:
        info = soundfile.info(path)
    except (soundfile.LibsndfileError, RuntimeError):
        return 0.0
    return float(info.frames) / info.samplerate if info.samplerate else 0.0


def decode_pcm16(path: Path, *, sample_rate: int = 16000) -> bytes:
    """Raw signed 16-bit mono samples of any audio file, as speech recognizers want them."""
    samples, rate = read(path)
    if rate != sample_rate:
        samples = soxr.resample(samples, rate, sample_rate, quality="HQ")
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
