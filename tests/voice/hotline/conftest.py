"""Hotline fixtures: the whole app with a webhook token and the production voice set-up (Google first; tests/voice's
stand-in makes it unreachable unless a test says otherwise), a carrier stand-in that signs every webhook with the
twilio package's own RequestValidator, and helpers that read the TwiML answers with xml.etree."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from api.app import create_app
from assistant.live.events import Event, InProcessBus
from assistant.runtime import Runtime
from assistant.services import Services
from assistant.settings import Settings
from assistant.store.db import make_engine
from assistant.store.models import Base, Officer
from knowledge.matcher import Matcher
from tests.api.conftest import officer_of  # noqa: F401 - a fixture: logged-in staff clients, made as the API tests make them
from tests.utils.db import sqlite_url
from tests.utils.factories import make_officer
from voice.hotline.calls import Hotline

TOKEN = "test-auth-token-0123456789abcdef"
CALLER = "+8613812345678"
BASE = "http://testserver"


class RecordingBus(InProcessBus):
    """The real in-process bus, keeping a list of what was published."""

    def __init__(self) -> None:
        super().__init__()
        self.published: list[tuple[str, Event]] = []

    def publish(self, topic: str, event: Event) -> None:
        self.published.append((topic, event))
        super().publish(topic, event)


@pytest.fixture
def hotline_settings() -> dict[str, Any]:
    """Settings a test module may override (a duty number, no token). The calls speak with espeak-ng: these tests are
    about the call, and it renders in a tenth of the neural voice's time (the neural voice at 8 kHz:
    tests/voice/speech)."""
    return {"twilio_auth_token": TOKEN, "neural_voice_enabled": False}


@pytest.fixture(scope="session")
def shared_voice_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("voice-cache")


@pytest.fixture
def voice_cache(shared_voice_cache: Path) -> Path:
    """One cache for the whole run, so each sentence is rendered once; tests about the cache take a fresh one."""
    return shared_voice_cache


@pytest.fixture
def settings(tmp_path: Path, audio_tools: None, hotline_settings: dict[str, Any], voice_cache: Path) -> Settings:
    url = sqlite_url(tmp_path)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return Settings(_env_file=None, data_dir=tmp_path, database_url=url, voice_cache_dir=voice_cache,  # type: ignore[call-arg]
                    **hotline_settings)


@pytest.fixture
def bus() -> RecordingBus:
    return RecordingBus()


@pytest.fixture
def app(settings: Settings, matcher: Matcher, bus: RecordingBus) -> FastAPI:
    return create_app(settings=settings, matcher=matcher, bus=bus)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """Entering it starts the app; leaving it waits for background renders, so none outlives the Google stand-in."""
    with TestClient(app) as client:
        yield client


@pytest.fixture
def runtime(app: FastAPI, client: TestClient) -> Runtime:
    return Services.of(app).runtime


@pytest.fixture
def hotline(app: FastAPI, client: TestClient) -> Hotline:
    return Services.of(app).part(Hotline)


@pytest.fixture
def on_duty(runtime: Runtime) -> Officer:
    with runtime.sessions() as session:
        return make_officer(session, name="王芳")


def sign(url: str, form: dict[str, str], token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, form)


class Carrier:
    """Posts the webhooks a carrier would for one call, signed; keeps the last TwiML answer."""

    def __init__(self, client: TestClient, caller: str = CALLER) -> None:
        self.client = client
        self.form = {"CallSid": f"CA{uuid.uuid4().hex}", "From": caller, "To": "+8612345"}
        self.twiml = ET.Element("Response")
        self.sent: tuple[str, dict[str, str], str] = ("", {}, "")  # the last request: URL, form, signature

    def post(self, url: str, **fields: str) -> ET.Element:
        url = url if url.startswith("http") else BASE + url
        form = {**self.form, **fields}
        self.sent = (url, form, sign(url, form))
        self.twiml = ET.fromstring(self.replay())
        return self.twiml

    def replay(self, client: TestClient | None = None) -> str:
        """The last request again, byte for byte as signed (a carrier's retry, or a captured request replayed);
        the TwiML text it got."""
        url, form, signature = self.sent
        response = (client or self.client).post(url, data=form, headers={"X-Twilio-Signature": signature})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/xml")
        return response.text

    def call(self) -> ET.Element:
        return self.post("/voice/twilio/incoming")

    def say(self, words: str) -> ET.Element:
        return self.post(gather(self.twiml).attrib["action"], SpeechResult=words, Confidence="0.92")

    def press(self, keys: str) -> ET.Element:
        return self.post(gather(self.twiml).attrib["action"], Digits=keys)

    def keep_silent(self) -> ET.Element:
        [redirect] = self.twiml.findall("Redirect")
        return self.post(redirect.text or "")

    def hang_up(self) -> ET.Element:
        return self.post("/voice/twilio/status", CallStatus="completed")


@pytest.fixture
def carrier(client: TestClient) -> Carrier:
    return Carrier(client)


# --- reading TwiML ---

def verbs(twiml: ET.Element) -> list[str]:
    return [child.tag for child in twiml]


def gather(twiml: ET.Element) -> ET.Element:
    found = twiml.find("Gather")
    assert found is not None, f"not listening: {verbs(twiml)}"
    return found


def plays(twiml: ET.Element) -> list[str]:
    return [(play.text or "").strip() for play in twiml.iter("Play")]


@pytest.fixture
def heard(hotline: Hotline) -> Callable[[ET.Element], list[str]]:
    """The words behind every Play of a TwiML answer."""
    def words(twiml: ET.Element) -> list[str]:
        return [hotline.audio.text_of(urlsplit(url).path.rsplit("/", 1)[-1]) or "?" for url in plays(twiml)]
    return words
