"""A reply written by a process whose live events the bot cannot hear (`serve` without the bot token, no Redis)
still reaches the chat within about TELEGRAM_OUTBOX_POLL_SECONDS (0.5 s): the bot finds it among the pending
pushes. Found there and announced live, it is sent once."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest

from assistant.messages import Incoming, Start
from assistant.outbox import send_to_citizen
from assistant.runtime import build
from assistant.store import conversations as conversation_store
from assistant.store import pushes as push_store
from assistant.store.types import utcnow
from bench.telegram_updates import CHAT
from tests.utils.factories import officer_reply_event


@pytest.fixture
def other_process(settings, matcher):
    """Another process on the same database: a runtime of its own, with its own in-process bus."""
    runtime = build(settings, matcher)
    yield runtime
    runtime.close()


def write_reply(runtime, chat_id: int, text: str) -> float:
    """An officer's words for this Telegram citizen, as the desk writes them (live event and pending push); returns
    when they were committed (time.monotonic())."""
    with runtime.sessions() as session:
        conversation = runtime.assistant.handle(session, Incoming("telegram", str(chat_id), Start())).conversation
        message = conversation_store.add_message(session, conversation=conversation, role="officer", text=text,
                                                 meta={"kind": "officer"})
        send_to_citizen(session, conversation, message)
        session.commit()
    return time.monotonic()


async def test_a_reply_written_by_another_process_reaches_the_chat_within_two_seconds(channel, other_process,
                                                                                  telegram):
    began = await asyncio.to_thread(write_reply, other_process, CHAT, "您的证明开好了，明天来取。")

    [arrived] = await asyncio.to_thread(telegram.wait_for, "sendMessage", text="您的证明开好了，明天来取。",
                                        timeout=5)
    assert arrived.at - began < 2.0  # one poll (0.5 s) and the sending, on a busy machine


async def test_a_reply_heard_live_and_found_in_the_outbox_is_sent_once(channel, engine_runtime, other_process,
                                                                      telegram):
    """Written in the bot's own process (the live event) and in another (the outbox), for many chats at once, so
    the live event and the look race: each text arrives exactly once."""
    texts = {CHAT + i: f"第{i}位市民，您好。" for i in range(12)}
    writers = [asyncio.to_thread(write_reply, engine_runtime if i % 2 else other_process, chat, text)
               for i, (chat, text) in enumerate(texts.items())]
    await asyncio.gather(*writers)

    await asyncio.to_thread(telegram.wait_for, "sendMessage", count=len(texts), timeout=10)
    await asyncio.sleep(2 * engine_runtime.settings.telegram_outbox_poll_seconds)  # any second sending shows up
    await channel.delivery.drain()
    sent = [c.text for c in telegram.sent("sendMessage")]
    assert sorted(sent) == sorted(texts.values())


async def test_a_live_event_for_a_message_another_process_has_taken_sends_nothing(make_channel, engine_runtime,
                                                                                 telegram):
    """The other process found it in the outbox first and is sending it (Telegram may make it wait): the live event
    must not send it a second time."""
    channel = make_channel()
    with engine_runtime.sessions() as session:
        conversation_id = engine_runtime.assistant.handle(
            session, Incoming("telegram", str(CHAT), Start())).conversation.id
        event = officer_reply_event(session, conversation_id=conversation_id, text="请带上户口本。")
        pending = push_store.earliest(session, conversation_id=conversation_id)
        assert push_store.take(session, message_id=pending.message_id, seen_due_at=pending.due_at,
                               until=utcnow() + dt.timedelta(minutes=15))
        session.commit()

    await channel.delivery.deliver(event)

    assert telegram.sent("sendMessage") == []
