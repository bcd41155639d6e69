"""The hotline's audio: our own files from the shared speech library, from the cache when they can be; never an error
in the call when Google (an operator's option here) is unreachable (replaced at the HTTP transport by tests/voice's
stand-in); the carrier's voice only as a last resort."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from assistant.services import Services
from tests.voice.conftest import FakeGoogle
from tests.voice.hotline.conftest import TOKEN, Carrier, plays, verbs
from voice import prompts
from voice.hotline.calls import Hotline
from voice.speech.espeak import EspeakVoice
from voice.speech.neural import NeuralVoice
from voice.speech.warm import warm


@pytest.fixture
def hotline_settings() -> dict[str, Any]:
    return {"twilio_auth_token": TOKEN, "gtts_enabled": True, "neural_voice_enabled": False}


@pytest.fixture
def voice_cache(tmp_path: Path) -> Path:
    """A cache of this test's own, empty at the start."""
    return tmp_path / "voice-cache"


def _file(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1]


def test_the_second_caller_hears_the_greeting_from_the_cache(client: TestClient, hotline: Hotline) -> None:
    first = plays(Carrier(client).call())  # the greeting, then "you may interrupt"
    assert (hotline.audio.stats.hits, hotline.audio.stats.misses) == (0, 2)
    second = plays(Carrier(client).call())
    assert list(map(_file, second)) == list(map(_file, first))
    assert (hotline.audio.stats.hits, hotline.audio.stats.misses) == (2, 2)


def test_after_warming_the_first_webhook_renders_nothing(client: TestClient, hotline: Hotline) -> None:
    warm(hotline.audio.speaker, [prompts.GREETING, prompts.BARGE_IN], [hotline.audio.fmt])
    Carrier(client).call()
    assert (hotline.audio.stats.hits, hotline.audio.stats.misses) == (2, 0)


def test_google_unreachable_the_caller_hears_the_offline_voice_and_no_error(
        client: TestClient, hotline: Hotline, google: FakeGoogle,
        ffprobe: Callable[[Path], dict[str, Any]], tmp_path: Path) -> None:
    carrier = Carrier(client)
    carrier.call()
    answer = carrier.say("身份证到期了怎么换")
    assert verbs(answer) == ["Gather", "Redirect"] and answer.find(".//Say") is None
    hotline.audio.close()  # let the background renders finish: they asked Google, which did not answer
    assert google.requests, "Google was never asked"
    for url in plays(answer):
        fetched = tmp_path / "fetched.mp3"
        fetched.write_bytes(client.get(url).content)
        assert ffprobe(fetched)["duration"] > 2.0  # whole sentences, spoken offline


def test_when_google_answers_its_voice_is_ready_for_the_next_caller(client: TestClient, hotline: Hotline,
                                                                    google: FakeGoogle, google_mp3: bytes) -> None:
    google.answers_with(google_mp3)
    first = plays(Carrier(client).call())
    hotline.audio.close()  # the online render happened in the background, not while the caller waited
    second = plays(Carrier(client).call())
    assert client.get(first[0]).content != google_mp3
    assert client.get(second[0]).content == google_mp3


def test_only_files_handed_out_are_served(client: TestClient) -> None:
    url = plays(Carrier(client).call())[0]
    name, token = _file(url), parse_qs(urlsplit(url).query)["t"][0]
    assert client.get(url).status_code == 200
    assert client.get(f"/voice/audio/{name}?t={'0' * len(token)}").status_code == 404
    assert client.get(f"/voice/audio/{name}").status_code == 404
    assert client.get(f"/voice/audio/..%2Fvoice-cache%2F{name}?t={token}").status_code == 404


def test_when_no_voice_can_speak_the_carriers_voice_says_the_words(client: TestClient, hotline: Hotline,
                                                                   tmp_path: Path) -> None:
    hotline.audio.speaker.online = None
    hotline.audio.speaker.neural = NeuralVoice(tmp_path / "no-models")
    hotline.audio.speaker.espeak = EspeakVoice("/nonexistent/libespeak-ng.so")
    twiml = Carrier(client).call()
    said = [(say.text, say.attrib["language"]) for say in twiml.iter("Say")]
    assert said == [(prompts.GREETING, "zh-CN"), (prompts.BARGE_IN, "zh-CN")]


def test_the_hotline_and_read_aloud_share_one_speaker(app, hotline: Hotline) -> None:
    from voice.speech.shared import shared_speaker

    assert shared_speaker(Services.of(app).runtime.settings) is hotline.audio.speaker
