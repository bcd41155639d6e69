"""Voice test fixtures: a stand-in for Google's speech endpoint at the HTTP transport, speakers, ffprobe."""

from __future__ import annotations

import base64
import io
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.utils.audio import missing_tools, probe
from voice.speech import Speaker

GoogleMode = Literal["unreachable", "server_error", "not_audio", "audio"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes seconds (renders every guide); deselect with -m 'not slow'")


@dataclass
class FakeGoogle:
    """Answers gTTS's requests in place of translate.google.com; records what gTTS sent."""

    mode: GoogleMode = "unreachable"
    mp3: bytes = b""
    requests: list[requests.PreparedRequest] = field(default_factory=list)

    def answers_with(self, mp3: bytes) -> None:
        self.mode, self.mp3 = "audio", mp3

    def send(self, request: requests.PreparedRequest) -> requests.Response:
        self.requests.append(request)
        if self.mode == "unreachable":
            raise requests.ConnectionError("Failed to resolve 'translate.google.com'")
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
def google_mp3(tmp_path_factory: pytest.TempPathFactory, audio_tools: None) -> bytes:
    """One second of tone as a 24 kHz mono MP3, the shape of gTTS's audio."""
    target = tmp_path_factory.mktemp("google") / "tone.mp3"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
                    "-ac", "1", "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "32k", str(target)], check=True)
    return target.read_bytes()


@pytest.fixture(autouse=True)
def google(monkeypatch: pytest.MonkeyPatch) -> FakeGoogle:
    """Every voice test talks to this stand-in, never to the real Google; it starts out unreachable."""
    fake = FakeGoogle()
    monkeypatch.setattr(HTTPAdapter, "send", lambda adapter, request, **kwargs: fake.send(request))
    return fake


@pytest.fixture(scope="session")
def audio_tools() -> None:
    missing = missing_tools()
    if missing:
        pytest.skip(f"needs {', '.join(missing)}: apt-get install espeak-ng ffmpeg")


@pytest.fixture
def speaker(tmp_path: Path, audio_tools: None) -> Speaker:
    """Google first, the offline voice as fallback: the production set-up."""
    return Speaker(tmp_path / "cache")


@pytest.fixture
def offline_speaker(tmp_path: Path, audio_tools: None) -> Speaker:
    return Speaker(tmp_path / "cache", online=False)


@pytest.fixture
def ffprobe(audio_tools: None) -> Callable[[Path], dict[str, Any]]:
    """Container, codec, sample rate, channels and duration of an audio file, as ffprobe reads them."""
    return probe
