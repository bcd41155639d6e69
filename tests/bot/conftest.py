"""Telegram fixtures: the real aiogram client talking HTTP to a local stand-in of the Bot API server.

Two harnesses: the whole service (`citizen-help serve`'s app with TELEGRAM_BOT_TOKEN set, updates posted to its
webhook, officers using the officer API), and a channel built directly in the test's event loop, for the sender's
limits, long polling and a configured recogniser.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.runtime import Runtime, build
from assistant.settings import Settings
from assistant.store.db import make_engine
from assistant.store.models import Base
from bench import telegram_updates as updates
from bench.telegram_standin import TOKEN, BotAPIStandIn, Call
from bot.channel import TelegramChannel, build_channel
from knowledge.matcher import Matcher
from tests.utils.audio import probe
from tests.utils.factories import make_officer
from tests.utils.officer_login import log_in

SECRET = "test-webhook-secret"


@pytest.fixture(scope="session")
def telegram_server() -> Iterator[BotAPIStandIn]:
    server = BotAPIStandIn()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def telegram(telegram_server: BotAPIStandIn) -> BotAPIStandIn:
    """The stand-in, with no calls recorded yet."""
    telegram_server.reset()
    return telegram_server


@pytest.fixture
def settings(tmp_path: Path, fresh_db_url: str, telegram: BotAPIStandIn) -> Settings:
    url = fresh_db_url
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    # Offline voice only (no calls to Google), espeak-ng's: these tests are about the chat, and it renders in a tenth
    # of the neural voice's time (the neural voice's OGG/Opus: tests/voice/speech); a short pace so tests do not wait
    # a second between messages.
    return Settings(_env_file=None, data_dir=tmp_path, database_url=url,  # type: ignore[call-arg]
                    telegram_bot_token=TOKEN, telegram_api_url=telegram.url, telegram_webhook_secret=SECRET,
                    telegram_pace_seconds=0.01, gtts_enabled=False, neural_voice_enabled=False)


# --- the whole service, updates through the webhook ---

class Citizen:
    """A Telegram user in a private chat with the bot. Each action posts one update to the webhook and returns
    the Bot API calls the bot made while handling it."""

    def __init__(self, client: TestClient, telegram: BotAPIStandIn, chat_id: int = updates.CHAT):
        self.client, self.telegram, self.chat_id = client, telegram, chat_id

    def post(self, update: dict[str, Any]) -> list[Call]:
        before = len(self.telegram.calls)
        response = self.client.post("/telegram/webhook", json=update,
                                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert response.status_code == 200, response.text
        return self.telegram.calls[before:]

    def says(self, text: str) -> list[Call]:
        return messages(self.post(updates.message(text, chat_id=self.chat_id)))

    def taps(self, label: str, under: Call) -> list[Call]:
        """Taps the inline button with this label under one of the bot's messages."""
        data = under.callback_data()[label]
        return messages(self.post(updates.tap(data, under.markup(), chat_id=self.chat_id)))


def messages(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "sendMessage"]


@pytest.fixture
def citizen(client: TestClient, telegram: BotAPIStandIn) -> Citizen:
    return Citizen(client, telegram)


@pytest.fixture
def officer(app: FastAPI, runtime: Runtime) -> TestClient:
    """Officer 王芳, on duty and logged in to the officer API."""
    with runtime.sessions() as session:
        account = make_officer(session, name="王芳")
    staff = TestClient(app)  # not entered: it shares the running app
    log_in(staff, account.username)
    return staff


# --- a channel in the test's own event loop ---

@pytest.fixture
def engine_runtime(settings: Settings, matcher: Matcher) -> Iterator[Runtime]:
    runtime = build(settings, matcher)
    yield runtime
    runtime.close()


@pytest.fixture
async def make_channel(engine_runtime: Runtime) -> AsyncIterator[Callable[..., TelegramChannel]]:
    """build_channel on the test's runtime, with the given options; every channel made is closed afterwards."""
    made: list[TelegramChannel] = []

    def make(**options: Any) -> TelegramChannel:
        channel = build_channel(engine_runtime, **options)
        made.append(channel)
        return channel

    yield make
    for channel in made:
        await channel.close()


@pytest.fixture
async def channel(make_channel: Callable[..., TelegramChannel]) -> TelegramChannel:
    """Started: it delivers pushed events."""
    channel = make_channel(first_pause=0.05)
    await channel.start()
    return channel


# --- audio ---

@pytest.fixture(scope="session")
def ffprobe() -> Callable[[bytes, Path], dict[str, Any]]:
    """Container, codec and duration of audio bytes, as ffprobe reads them."""

    def probe_bytes(data: bytes, folder: Path) -> dict[str, Any]:
        path = folder / "probed.ogg"
        path.write_bytes(data)
        return probe(path)

    return probe_bytes
