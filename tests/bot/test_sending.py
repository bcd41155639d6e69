"""Telegram's limits, handled rather than hoped for: long text split between sentences, a 429 waited out, network
errors retried with a growing pause, one message per second per chat, and nothing the citizen sent lost."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiogram.exceptions import TelegramNetworkError
from aiogram.types import Update

from assistant import texts as engine_texts
from assistant.store import citizens as citizen_store
from assistant.store import conversations as conversation_store
from bench import telegram_updates as updates
from bench.telegram_updates import CHAT
from bot.client import make_bot
from bot.splitting import MESSAGE_LIMIT, units

SENTENCE = "请带上户口本和身份证原件，到街道便民服务中心的综合窗口办理。"  # 31 characters


async def test_a_5000_character_answer_is_split_at_sentence_boundaries(channel, telegram):
    text = SENTENCE * 162  # 5,022 characters
    choices = [{"key": "1", "label": "要带什么材料"}, {"key": "0", "label": "找人工"}]

    await channel.output.show(CHAT, [{"text": text, "choices": choices}])

    first, second = telegram.sent("sendMessage")
    assert all(units(part.text) <= MESSAGE_LIMIT for part in (first, second))
    assert first.text.endswith("。") and first.text + second.text == text
    assert first.callback_data() == {} and second.buttons() == ["要带什么材料", "找人工"]  # buttons under the end


async def test_a_429_is_waited_out_for_as_long_as_telegram_asks(channel, telegram):
    telegram.answer_429_once("sendMessage", retry_after=1)

    await channel.output.say(CHAT, "您好")

    refused, sent = telegram.sent("sendMessage")
    assert refused.text == sent.text == "您好"
    assert sent.at - refused.at >= 1.0


async def test_a_dropped_connection_is_retried(channel, telegram, caplog):
    telegram.drop_once("sendMessage")

    with caplog.at_level(logging.WARNING, logger="bot.sending"):
        await channel.output.say(CHAT, "您好")

    assert [c.text for c in telegram.sent("sendMessage")] == ["您好", "您好"]
    assert "retrying" in caplog.text


async def test_it_gives_up_after_five_attempts_and_says_so_in_the_log(channel, telegram, caplog):
    for _ in range(5):
        telegram.drop_once("sendMessage")

    with caplog.at_level(logging.ERROR, logger="bot.sending"), pytest.raises(TelegramNetworkError):
        await channel.output.say(CHAT, "您好")

    assert len(telegram.sent("sendMessage")) == 5
    assert "gave up on sendMessage after 5 attempts" in caplog.text


async def test_when_telegram_keeps_failing_the_citizens_words_are_kept(channel, telegram, engine_runtime, caplog):
    for _ in range(5):
        telegram.drop_once("sendMessage")
    update = Update.model_validate(updates.message("身份证过期了咋换"), context={"bot": channel.bot})

    with caplog.at_level(logging.ERROR):
        await channel.feed(update)

    with engine_runtime.sessions() as session:
        identity = citizen_store.identity(session, channel="telegram", external_id=str(CHAT))
        conversation = conversation_store.latest(session, identity_id=identity.id)
        said = conversation_store.messages(session, conversation_id=conversation.id)
    assert ("citizen", "身份证过期了咋换") in [(m.role, m.text) for m in said]
    assert "Telegram update" in caplog.text and "failed" in caplog.text
    assert telegram.sent("sendMessage")[-1].text == engine_texts.BUSY  # told once Telegram answers again


async def test_one_message_per_interval_per_chat_in_order_other_chats_not_held_up(settings, telegram):
    bot = make_bot(settings.model_copy(update={"telegram_pace_seconds": 0.3}))
    async with bot:
        await asyncio.gather(*(bot.send_message(CHAT, f"第{i}条") for i in range(1, 4)),
                             bot.send_message(CHAT + 1, "别的聊天"))

    to_citizen = telegram.sent("sendMessage", chat_id=CHAT)
    assert [c.text for c in to_citizen] == ["第1条", "第2条", "第3条"]
    gaps = [later.at - earlier.at for earlier, later in zip(to_citizen, to_citizen[1:], strict=False)]
    assert all(gap >= 0.29 for gap in gaps)
    [other] = telegram.sent("sendMessage", chat_id=CHAT + 1)
    assert other.at < to_citizen[1].at
