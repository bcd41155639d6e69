"""The output formats (MP3, 8/16 kHz WAV for the phone, OGG/Opus for Telegram) and conversion with ffmpeg."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from voice.errors import AudioToolError, SpeechRequestError
from voice.tools import run_tool

FormatName = Literal["mp3", "wav8k", "wav16k", "ogg_opus"]
CONVERT_TIMEOUT_SECONDS = 60.0
_FFMPEG = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]


@dataclass(frozen=True)
class AudioFormat:
    name: str
    suffix: str
    media_type: str
    ffmpeg_args: tuple[str, ...]


FORMATS: dict[str, AudioFormat] = {
    "mp3": AudioFormat("mp3", ".mp3", "audio/mpeg", ("-ar", "22050", "-c:a", "libmp3lame", "-b:a", "48k", "-f", "mp3")),
    "wav8k": AudioFormat("wav8k", ".wav", "audio/wav", ("-ar", "8000", "-c:a", "pcm_s16le", "-f", "wav")),
    "wav16k": AudioFormat("wav16k", ".wav", "audio/wav", ("-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav")),
    # Telegram plays a voice message only from OGG with Opus inside; Opus works natively at 48 kHz.
    "ogg_opus": AudioFormat("ogg_opus", ".ogg", "audio/ogg",
                            ("-ar", "48000", "-c:a", "libopus", "-b:a", "24k", "-application", "voip", "-f", "ogg")),
}


def get_format(name: str) -> AudioFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise SpeechRequestError(f"unknown audio format {name!r}; choose one of {', '.join(FORMATS)}") from None


def convert(source: Path, target: Path, audio_format: AudioFormat, *, timeout: float = CONVERT_TIMEOUT_SECONDS) -> None:
    """Write `source` (any audio ffmpeg reads) to `target` as mono audio in `audio_format`."""
    run_tool([*_FFMPEG, "-i", str(source), "-vn", "-map_metadata", "-1", "-ac", "1", *audio_format.ffmpeg_args,
              str(target)], timeout=timeout)
    if target.stat().st_size == 0:
        raise AudioToolError(f"ffmpeg wrote an empty file from {source.name}")


def duration_seconds(path: Path, *, timeout: float = 20.0) -> float:
    """The duration ffprobe reads from the file; 0.0 if it is not audio."""
    try:
        out = run_tool(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
                       timeout=timeout)
        return float(json.loads(out)["format"]["duration"])
    except (AudioToolError, KeyError, ValueError):
        return 0.0


def decode_pcm16(path: Path, *, sample_rate: int = 16000, timeout: float = CONVERT_TIMEOUT_SECONDS) -> bytes:
    """Raw signed 16-bit mono samples of any audio file, as speech recognizers want them."""
    return run_tool([*_FFMPEG, "-i", str(path), "-vn", "-ac", "1", "-ar", str(sample_rate), "-f", "s16le", "-"],
                    timeout=timeout)
