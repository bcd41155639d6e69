"""With REDIS_URL, several workers share the chats' settings, and an event every worker hears (the Redis bus fans
out to all) is delivered by exactly one of them. Needs TEST_REDIS_URL (skipped, saying so, without it)."""

from __future__ import annotations

import random

import pytest

from assistant import views
from assistant.messages import Incoming, Start
from assistant.outbox import send_to_citizen
from assistant.runtime import build
from assistant.store import conversations as conversation_store
from assistant.store import pushes as push_store
from bench.telegram_updates import CHAT
from bot.channel import build_channel
from tests.utils.factories import make_officer, officer_reply_event

pytestmark = pytest.mark.redis


@pytest.fixture
async def workers(settings, matcher, redis_url):
    """Two channels as two workers would have them, each on its own runtime, sharing Redis."""
    shared = settings.model_copy(update={"redis_url": redis_url})
    runtimes = [build(shared, matcher) for _ in range(2)]
    channels = [build_channel(runtime) for runtime in runtimes]
    redis = channels[0].dispatcher.storage.redis
    # Message ids start again in each test's fresh database: claims left by earlier runs must not count.
    async for key in redis.scan_iter("citizen-help:telegram:delivered:*"):
        await redis.delete(key)
    yield channels
    for channel, runtime in zip(channels, runtimes, strict=True):
        await channel.close()
        runtime.close()


async def test_an_event_heard_by_two_workers_is_delivered_once(workers, telegram):
    first, second = workers
    with first.delivery.runtime.sessions() as session:
        conversation_id = first.delivery.runtime.assistant.handle(
            session, Incoming("telegram", str(CHAT), Start())).conversation.id
        event = officer_reply_event(session, conversation_id=conversation_id, text="您好，我是王芳。",
                                    officer=make_officer(session, name="王芳"))

    await first.delivery.deliver(event)
    await second.delivery.deliver(event)

    assert [c.text for c in telegram.sent("sendMessage")] == ["工作人员王芳：您好，我是王芳。"]


async def test_a_chats_voice_setting_is_shared_by_the_workers(workers):
    first, second = workers
    chat = random.randrange(10**6, 10**9)
    await first.output.preferences.set_voice(chat, True)
    assert await second.output.preferences.voice(chat) is True
    keys = await first.dispatcher.storage.redis.keys(f"fsm:{first.bot.id}:{chat}:{chat}:default:data")
    assert keys  # keyed by bot and destiny, as the storage factory promises


async def test_a_message_one_worker_failed_to_deliver_is_delivered_by_the_other(workers, telegram):
    first, second = workers
    runtime = first.delivery.runtime
    with runtime.sessions() as session:
        conversation = runtime.assistant.handle(session, Incoming("telegram", str(CHAT), Start())).conversation
        message = conversation_store.add_message(session, conversation=conversation, role="officer",
                                                 text="材料齐了，请明天来取。", meta={"kind": "officer"})
        send_to_citizen(session, conversation, message)
        session.commit()
        view = views.message(message)
    telegram.fail("sendMessage", times=5)  # every attempt the first worker makes

    await first.delivery.deliver({"type": "message", "conversation_id": conversation.id, "message": view})
    with runtime.sessions() as session:
        still = push_store.earliest(session, conversation_id=conversation.id)
    second.delivery.resend(conversation.id, view, still.due_at)  # its redelivery finds it still pending
    await second.delivery.drain()

    assert [c.text for c in telegram.sent("sendMessage")] == ["材料齐了，请明天来取。"] * 6
    with runtime.sessions() as session:
        assert push_store.earliest(session, conversation_id=conversation.id) is None
