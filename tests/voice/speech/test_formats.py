"""Every output format is real audio that the phone carrier or Telegram accepts, from each offline voice, written
without any audio program (libsndfile and soxr in their wheels)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.voice.samples import SAMPLE
from voice.speech.formats import duration_seconds, read
from voice.speech.speaker import Speaker


@pytest.mark.parametrize(("fmt", "container", "codec", "sample_rate"), [
    ("mp3", "mp3", "mp3", 22050),
    ("wav8k", "wav", "pcm_s16le", 8000),
    ("wav16k", "wav", "pcm_s16le", 16000),
    ("ogg_opus", "ogg", "opus", 48000),  # Telegram voice messages: Opus in OGG
])
@pytest.mark.parametrize("voice", ["neural", "espeak"])
def test_each_format_is_mono_audio_of_the_promised_kind(offline_speaker: Speaker, espeak_speaker: Speaker,
                                                        ffprobe: Callable[[Path], dict[str, Any]], voice: str,
                                                        fmt: str, container: str, codec: str,
                                                        sample_rate: int) -> None:
    speaker = offline_speaker if voice == "neural" else espeak_speaker
    audio = ffprobe(speaker.render(SAMPLE, fmt))
    assert (audio["format"], audio["codec"], audio["sample_rate"], audio["channels"]) == (
        container, codec, sample_rate, 1)
    assert audio["duration"] > 1.0


def test_file_names_end_in_what_the_format_is(offline_speaker: Speaker) -> None:
    suffixes = {fmt: offline_speaker.render(SAMPLE, fmt).suffix for fmt in ("mp3", "wav8k", "ogg_opus")}
    assert suffixes == {"mp3": ".mp3", "wav8k": ".wav", "ogg_opus": ".ogg"}


@pytest.mark.parametrize("fmt", ["mp3", "wav8k", "ogg_opus"])
def test_soundfile_reads_back_the_duration_ffprobe_reads(offline_speaker: Speaker,
                                                         ffprobe: Callable[[Path], dict[str, Any]], fmt: str) -> None:
    path = offline_speaker.render(SAMPLE, fmt)
    assert duration_seconds(path) == pytest.approx(ffprobe(path)["duration"], abs=0.1)


def test_no_sample_reaches_full_scale(offline_speaker: Speaker) -> None:
    samples, _ = read(offline_speaker.render(SAMPLE, "wav8k"))
    assert 0.3 < float(np.max(np.abs(samples))) < 0.9  # loud enough, with room before a phone codec clips
