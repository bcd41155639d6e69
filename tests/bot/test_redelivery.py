"""Nothing an officer says is lost on the way to Telegram: a message Telegram did not take, or one written while the
bot was down, is kept and sent again until it gets there, once; one Telegram refuses for good is not retried."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select

from assistant.live.events import OFFICERS_TOPIC
from assistant.messages import Incoming, Start
from assistant.outbox import send_to_citizen
from assistant.store import cases as case_store
from assistant.store import conversations as conversation_store
from assistant.store.models import PendingPush
from bench.telegram_updates import CHAT
from bot.redelivery import due

PAUSE = 0.1  # TELEGRAM_REDELIVER_SECONDS in these tests
SAID = "您好，您的材料我们已经收到，明天上午可以来取。"


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"telegram_redeliver_seconds": PAUSE})


@pytest.fixture
def conversation_id(engine_runtime) -> str:
    with engine_runtime.sessions() as session:
        return engine_runtime.assistant.handle(session, Incoming("telegram", str(CHAT), Start())).conversation.id


@pytest.fixture
def officer_says(engine_runtime, conversation_id):
    """An officer's words written for the citizen, as the desk writes them (committed, then published)."""
    def says(text: str = SAID, case_id: int | None = None) -> int:
        with engine_runtime.sessions() as session:
            conversation = conversation_store.get(session, conversation_id=conversation_id)
            message = conversation_store.add_message(session, conversation=conversation, role="officer", text=text,
                                                     meta={"kind": "officer"}, case_id=case_id)
            send_to_citizen(session, conversation, message)
            session.commit()
            return message.id

    return says


@pytest.fixture
def pending(engine_runtime):
    def rows() -> list[PendingPush]:
        with engine_runtime.sessions() as session:
            return list(session.scalars(select(PendingPush)))

    return rows


async def settled(pending, timeout: float = 5.0) -> None:
    """Until no message is pending (or the time is up), then a few more pauses in which nothing may be sent."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while pending() and loop.time() < deadline:
        await asyncio.sleep(PAUSE / 2)
    await asyncio.sleep(PAUSE * 4)


def sent(telegram, text: str = SAID) -> list:
    return [c for c in telegram.sent("sendMessage", chat_id=CHAT) if text in c.text]


async def test_a_message_delivered_live_is_sent_once_and_no_longer_pending(channel, telegram, officer_says, pending):
    officer_says()
    await settled(pending)
    assert len(sent(telegram)) == 1
    assert pending() == []


async def test_a_message_telegram_did_not_take_is_sent_again_once_it_does(channel, telegram, officer_says, pending,
                                                                        caplog):
    telegram.fail("sendMessage", times=5, status=502)  # every attempt the sender makes for the live event
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        officer_says()
        await settled(pending)
    calls = sent(telegram)
    assert len(calls) == 6  # five refused, then one taken
    assert pending() == []
    assert "trying again" in caplog.text


async def test_a_message_written_while_the_bot_was_down_is_sent_when_it_starts(make_channel, telegram,
                                                                               officer_says, pending):
    officer_says()  # nobody listening: the live event is gone, the pending push is not
    assert len(pending()) == 1
    channel = make_channel(first_pause=0.05)
    await channel.start()
    await settled(pending)
    assert len(sent(telegram)) == 1
    assert pending() == []


async def test_a_citizen_who_blocked_the_bot_is_not_sent_it_again(channel, telegram, officer_says, pending, caplog):
    telegram.fail("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    with caplog.at_level(logging.ERROR, logger="bot.delivery"):
        message_id = officer_says()
        await settled(pending)
    assert len(sent(telegram)) == 1
    assert pending() == []
    assert f"message {message_id} will not reach Telegram" in caplog.text


async def test_a_conversation_s_messages_arrive_in_the_order_written(channel, telegram, officer_says, pending):
    telegram.fail("sendMessage", times=5, status=502)  # the first message's live delivery fails
    officer_says("第一句")
    officer_says("第二句")  # Telegram takes messages again by now: this one must still wait for the first
    await settled(pending)
    taken = [c.text for c in telegram.sent("sendMessage", chat_id=CHAT)][5:]
    assert taken == ["第一句", "第二句"]


async def test_two_processes_sending_pending_messages_at_once_send_each_once(make_channel, telegram, officer_says,
                                                                            engine_runtime):
    officer_says()  # written while neither was listening
    await asyncio.sleep(PAUSE)
    bot, serve = make_channel(), make_channel()  # `citizen-help bot` and `serve`, without Redis
    found = [due(engine_runtime), due(engine_runtime)]
    assert len(found[0]) == len(found[1]) == 1
    for channel, [(conversation_id, message, due_at)] in zip((bot, serve), found, strict=True):
        channel.delivery.resend(conversation_id, message, due_at)
    await asyncio.gather(bot.delivery.drain(), serve.delivery.drain())
    assert len(sent(telegram)) == 1


async def test_officers_hear_when_a_reply_has_not_reached_the_chat_and_when_it_has(channel, telegram, officer_says,
                                                                                   pending, engine_runtime,
                                                                                   conversation_id):
    with engine_runtime.sessions() as session:
        conversation = conversation_store.get(session, conversation_id=conversation_id)
        case_id = case_store.create(session, conversation=conversation, reason="asked", priority=0, service_id=None,
                                    summary={}).id
        session.commit()
    telegram.fail("sendMessage", times=5)
    async with engine_runtime.bus.subscribe(OFFICERS_TOPIC) as events:
        message_id = officer_says(case_id=case_id)
        await settled(pending)
        heard = [await asyncio.wait_for(anext(events), 2) for _ in range(2)]
    assert [(e["type"], e["case_id"], e["message_id"], e["delivered"]) for e in heard] == [
        ("delivery", case_id, message_id, False), ("delivery", case_id, message_id, True)]


async def test_a_live_delivery_telegram_holds_up_is_not_sent_again_by_another_process(channel, make_channel, telegram,
                                                                                     officer_says, pending,
                                                                                     engine_runtime):
    telegram.answer_429_once("sendMessage", retry_after=1)  # the live delivery waits ten sweeps' pauses
    officer_says()
    await asyncio.sleep(PAUSE * 3)  # past the grace a live delivery is given
    other = make_channel()  # `citizen-help bot` beside `serve`, sweeping the same database
    for conversation_id, message, due_at in due(engine_runtime):
        other.delivery.resend(conversation_id, message, due_at)
    await asyncio.gather(other.delivery.drain(), channel.delivery.drain())
    assert len(sent(telegram)) == 2  # the call Telegram asked to wait, then the one it took
    assert pending() == []
