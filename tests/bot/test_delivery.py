"""Pushed events reach the right chat: a citizen hears a new place in the queue (only the newest after a burst, and
none once an officer has come), and nothing meant for another channel."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager, suppress

import pytest

from assistant.live.events import InProcessBus, channel_topic
from assistant.messages import Incoming, Start
from assistant.runtime import build
from bench.telegram_updates import CHAT
from bot.channel import build_channel
from tests.utils.factories import make_officer, officer_reply_event

CASE = 1


@pytest.fixture
def conversation_id(engine_runtime) -> str:
    with engine_runtime.sessions() as session:
        return engine_runtime.assistant.handle(session, Incoming("telegram", str(CHAT), Start())).conversation.id


def place(conversation_id: str, position: int) -> dict:
    text = "您排在第一位，很快就会有人来。" if position == 1 else f"您前面还有{position - 1}位。"
    return {"type": "queue", "conversation_id": conversation_id,
            "case": {"case_id": CASE, "status": "waiting", "position": position, "text": text}}


@pytest.fixture
def officer_said(engine_runtime):
    """The event of an officer's reply stored for the citizen (not yet published)."""
    def said(conversation_id: str, text: str, runtime=engine_runtime) -> dict:
        with runtime.sessions() as session:
            officer = make_officer(session, name="王芳")
            return officer_reply_event(session, conversation_id=conversation_id, text=text, officer=officer)

    return said


def never_stored(conversation_id: str, text: str) -> dict:
    return {"type": "message", "conversation_id": conversation_id,
            "message": {"id": 99, "role": "officer", "sender": "王芳", "text": text, "choices": []}}



async def published(channel, telegram, *events) -> list[str]:
    for event in events:
        channel.delivery.runtime.bus.publish(channel_topic("telegram"), event)
    await asyncio.sleep(0.1)
    await channel.delivery.drain()
    return [c.text for c in telegram.sent("sendMessage", chat_id=CHAT)]


async def test_the_first_place_is_not_repeated_then_changes_are_told(channel, telegram, conversation_id):
    assert await published(channel, telegram, place(conversation_id, 3)) == []  # said with the hand-over
    assert await published(channel, telegram, place(conversation_id, 2)) == ["您前面还有1位。"]


async def test_after_a_burst_only_the_newest_place_is_told(channel, telegram, conversation_id):
    await published(channel, telegram, place(conversation_id, 4))
    sent = await published(channel, telegram, *(place(conversation_id, p) for p in (3, 2, 1)))
    assert sent == ["您排在第一位，很快就会有人来。"]


async def test_once_an_officer_has_come_a_pending_place_is_not_told(channel, telegram, conversation_id, officer_said):
    await published(channel, telegram, place(conversation_id, 2))
    sent = await published(channel, telegram, place(conversation_id, 1), officer_said(conversation_id, "您好"))
    assert sent == ["工作人员王芳：您好"]


async def test_events_of_other_channels_and_unknown_conversations_reach_no_chat(channel, telegram, engine_runtime):
    with engine_runtime.sessions() as session:
        web = engine_runtime.assistant.handle(session, Incoming("web", str(CHAT), Start())).conversation.id
    assert await published(channel, telegram, never_stored(web, "您好"), never_stored("0" * 32, "您好")) == []


class BusThatDropsFirst(InProcessBus):
    """The in-process bus, except that the first subscription fails, as a Redis restart would make it."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 1

    @asynccontextmanager
    async def subscribe(self, topic: str, *more: str):
        if self.failures:
            self.failures -= 1
            raise ConnectionError("Redis is restarting")
        async with super().subscribe(topic, *more) as events:
            yield events


async def test_a_lost_subscription_is_renewed_and_logged(settings, matcher, telegram, caplog, officer_said):
    bus = BusThatDropsFirst()
    runtime = build(settings, matcher, bus=bus)
    channel = build_channel(runtime)
    with runtime.sessions() as session:
        conversation_id = runtime.assistant.handle(session, Incoming("telegram", str(CHAT), Start())).conversation.id
    running = asyncio.create_task(channel.delivery.run(first_pause=0.05))
    try:
        await asyncio.wait_for(channel.delivery.listening.wait(), 2)
        bus.publish(channel_topic("telegram"), officer_said(conversation_id, "您好", runtime))
        await asyncio.to_thread(telegram.wait_for, "sendMessage")
    finally:
        running.cancel()
        with suppress(asyncio.CancelledError):
            await running
        await channel.close()
        runtime.close()
    assert "subscribing again" in caplog.text
