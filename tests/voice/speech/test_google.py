"""Google's voice first when the operator turns it on; when Google fails in any way the caller still gets audio from
the neural voice, never an error, and after one failure Google costs nothing for a while (the circuit breaker).

Google is replaced at the HTTP transport (requests' HTTPAdapter.send), so gTTS's real request code runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.voice.conftest import FakeGoogle
from tests.voice.samples import SAMPLE
from voice.speech.speaker import Speaker


def test_google_audio_is_used_and_cached(speaker: Speaker, google: FakeGoogle, google_mp3: bytes) -> None:
    google.answers_with(google_mp3)
    path = speaker.render(SAMPLE, "mp3")
    assert path.read_bytes() == google_mp3  # Google's MP3 as it came, no second lossy encoding
    assert speaker.render(SAMPLE, "mp3") == path
    assert len(google.requests) == 1
    stats = speaker.stats
    assert (stats.online_renders, stats.offline_renders, stats.hits, stats.misses) == (1, 0, 1, 1)


def test_google_is_asked_in_chinese_with_numbers_spelled_and_the_slow_flag(speaker: Speaker, google: FakeGoogle,
                                                                          google_mp3: bytes) -> None:
    google.answers_with(google_mp3)
    speaker.render("工本费20元，打12345。", "mp3", slow=True)
    assert google.requests[0].url.startswith("https://translate.google.com/")
    assert google.sent() == ("工本费二十元，打幺二三四五。", "zh-CN", True)


def test_google_audio_is_converted_for_telegram(speaker: Speaker, google: FakeGoogle, google_mp3: bytes,
                                                ffprobe: Callable[[Path], dict[str, Any]]) -> None:
    google.answers_with(google_mp3)
    audio = ffprobe(speaker.render(SAMPLE, "ogg_opus"))
    assert audio["codec"] == "opus"
    assert audio["duration"] == pytest.approx(1.0, abs=0.1)  # the length of Google's tone, not the offline voice's


@pytest.mark.parametrize("failure", ["unreachable", "server_error", "not_audio"])
def test_when_google_fails_the_offline_voice_answers_without_an_error(
        speaker: Speaker, google: FakeGoogle, failure: str, ffprobe: Callable[[Path], dict[str, Any]]) -> None:
    google.mode = failure  # type: ignore[assignment]
    audio = ffprobe(speaker.render(SAMPLE, "wav8k"))
    assert len(google.requests) == 1
    assert audio["duration"] > 3.0  # the whole sentence spoken, not a one-second tone
    stats = speaker.stats
    assert (stats.online_failures, stats.offline_renders, stats.fallback_renders) == (1, 1, 0)
    assert speaker.speak(SAMPLE, "wav8k").voice == "fastspeech2-baker"


def test_after_a_failure_google_is_left_alone_for_a_while(speaker: Speaker, google: FakeGoogle) -> None:
    speaker.render(SAMPLE, "wav8k")
    speaker.render("您好，再见。", "wav8k")
    speaker.render(SAMPLE, "wav8k")
    assert len(google.requests) == 1
    assert speaker.stats.hits == 1


def test_once_google_is_back_its_voice_replaces_the_offline_one(tmp_path: Path, google: FakeGoogle,
                                                                google_mp3: bytes) -> None:
    speaker = Speaker(tmp_path, online=True, online_retry_after=0)
    offline = speaker.render(SAMPLE, "mp3")
    google.answers_with(google_mp3)
    online = speaker.render(SAMPLE, "mp3")
    assert online != offline
    assert online.read_bytes() == google_mp3


def test_with_google_disabled_no_request_is_made(offline_speaker: Speaker, google: FakeGoogle) -> None:
    offline_speaker.render(SAMPLE, "mp3")
    assert google.requests == []


def test_without_the_network_google_is_not_asked_even_when_it_would_answer(speaker: Speaker, google: FakeGoogle,
                                                                          google_mp3: bytes) -> None:
    google.answers_with(google_mp3)
    path = speaker.render(SAMPLE, "mp3", network=False)
    assert google.requests == []
    assert path.read_bytes() != google_mp3  # the offline voice spoke


def test_without_the_network_googles_cached_audio_is_still_preferred(speaker: Speaker, google: FakeGoogle,
                                                                     google_mp3: bytes) -> None:
    google.answers_with(google_mp3)
    online = speaker.render(SAMPLE, "mp3")
    assert speaker.render(SAMPLE, "mp3", network=False) == online
    assert len(google.requests) == 1


def test_a_google_that_never_answers_costs_one_timeout_then_nothing(tmp_path: Path, google: FakeGoogle) -> None:
    google.mode = "hangs"  # type: ignore[assignment]
    speaker = Speaker(tmp_path, online=True, online_timeout=0.2)
    first = speaker.speak(SAMPLE, "wav8k")
    second = speaker.speak("您好，再见。", "wav8k")
    assert (first.voice, second.voice) == ("fastspeech2-baker", "fastspeech2-baker")
    assert len(google.requests) == 1  # the second listener did not wait on Google at all
    assert google.timeouts == [0.2]


def test_the_file_names_its_voice(speaker: Speaker, google: FakeGoogle, google_mp3: bytes) -> None:
    google.answers_with(google_mp3)
    assert speaker.speak(SAMPLE, "mp3").voice == "gtts"
    assert speaker.find(SAMPLE, "mp3").voice == "gtts"  # type: ignore[union-attr]
