"""Voice test fixtures: a stand-in for Google's speech endpoint at the HTTP transport, speakers (gTTS first, the
neural voice, espeak-ng only), ffprobe."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

import numpy as np
import pytest
import requests
import soundfile
from requests.adapters import HTTPAdapter

from tests.utils.audio import missing_tools, probe
from voice.speech.espeak import EspeakVoice
from voice.speech.speaker import Speaker

GoogleMode = Literal["unreachable", "hangs", "server_error", "not_audio", "audio"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes seconds (renders every guide); deselect with -m 'not slow'")


@dataclass
class FakeGoogle:
    """Answers gTTS's requests in place of translate.google.com; records what gTTS sent."""

    mode: GoogleMode = "unreachable"
    mp3: bytes = b""
    requests: list[requests.PreparedRequest] = field(default_factory=list)
    timeouts: list[Any] = field(default_factory=list)  # the timeout gTTS gave each request

    def answers_with(self, mp3: bytes) -> None:
        self.mode, self.mp3 = "audio", mp3

    def send(self, request: requests.PreparedRequest, timeout: Any = None) -> requests.Response:
        self.requests.append(request)
        self.timeouts.append(timeout)
        if self.mode == "unreachable":
            raise requests.ConnectionError("Failed to resolve 'translate.google.com'")
        if self.mode == "hangs":  # what requests raises once the timeout has passed with no answer
            raise requests.ReadTimeout(f"Read timed out. (read timeout={timeout})")
        response = requests.Response()
        response.request, response.url = request, request.url
        response.status_code = 500 if self.mode == "server_error" else 200
        audio = self.mp3 if self.mode == "audio" else b"this is not an mp3"
        response.raw = io.BytesIO(b"Internal Server Error" if self.mode == "server_error" else _batchexecute(audio))
        return response

    def sent(self, index: int = -1) -> tuple[str, str, bool]:
        """(text, language, slow) of a request gTTS sent, decoded from its batchexecute form body."""
        form = unquote(str(self.requests[index].body)).removeprefix("f.req=").removesuffix("&")
        text, lang, speed, _ = json.loads(json.loads(form)[0][0][1])
        return text, lang, speed is True


def _batchexecute(audio: bytes) -> bytes:
    """Google Translate's batchexecute reply carrying base64 audio, as gTTS parses it."""
    envelope = [["wrb.fr", "jQ1olc", json.dumps([base64.b64encode(audio).decode()]), None, None, None, "generic"]]
    line = json.dumps(envelope, separators=(",", ":"))
    return f")]}}'\n\n{len(line)}\n{line}\n".encode()


@pytest.fixture(scope="session")
def google_mp3(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """One second of tone as a 24 kHz mono MP3, the shape of gTTS's audio."""
    target = tmp_path_factory.mktemp("google") / "tone.mp3"
    tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(24000) / 24000)
    soundfile.write(target, tone, 24000, format="MP3", subtype="MPEG_LAYER_III")
    return target.read_bytes()


@pytest.fixture(autouse=True)
def google(monkeypatch: pytest.MonkeyPatch) -> FakeGoogle:
    """Every voice test talks to this stand-in, never to the real Google; it starts out unreachable."""
    fake = FakeGoogle()
    monkeypatch.setattr(HTTPAdapter, "send",
                        lambda adapter, request, **kwargs: fake.send(request, kwargs.get("timeout")))
    return fake


@pytest.fixture(scope="session")
def audio_tools() -> None:
    """ffprobe, to check what the speech library wrote (the speech library itself needs no program)."""
    missing = missing_tools()
    if missing:
        pytest.skip(f"needs {', '.join(missing)} to check the audio: apt-get install ffmpeg")


@pytest.fixture
def speaker(tmp_path: Path) -> Speaker:
    """Google first (an operator's choice), the neural voice as fallback, espeak-ng last."""
    return Speaker(tmp_path / "cache", online=True)


@pytest.fixture
def offline_speaker(tmp_path: Path) -> Speaker:
    """The default: the neural voice, espeak-ng if it cannot."""
    return Speaker(tmp_path / "cache")


@pytest.fixture
def espeak_speaker(tmp_path: Path) -> Speaker:
    """espeak-ng only, as with NEURAL_VOICE_ENABLED=false."""
    return Speaker(tmp_path / "cache", use_neural=False)


@pytest.fixture
def broken_espeak() -> EspeakVoice:
    """An espeak-ng whose library cannot load."""
    return EspeakVoice("/nonexistent/libespeak-ng.so")


@pytest.fixture
def ffprobe(audio_tools: None) -> Callable[[Path], dict[str, Any]]:
    """Container, codec, sample rate, channels and duration of an audio file, as ffprobe reads them."""
    return probe
