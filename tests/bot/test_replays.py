"""A Telegram update delivered twice (Telegram retrying after no answer came in time, a poller restarted before it
confirmed, or a replay) is handled once: the second copy is acknowledged and does nothing, on every worker."""

from __future__ import annotations

import asyncio
import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from api.app import create_app
from assistant import texts as engine_texts
from assistant.services import Services
from assistant.store.models import Message, Replay
from bench import telegram_updates as updates
from bot.channel import TelegramChannel
from bot.polling import run_polling
from bot.replays import Claim
from tests.bot.conftest import SECRET, messages

QUESTION = "身份证过期了咋换"


def post(client: TestClient, update: dict) -> int:
    response = client.post("/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    return response.status_code


def citizen_said(runtime, text: str) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(Message).where(Message.role == "citizen",
                                                                               Message.text == text))


def test_the_same_update_twice_is_stored_once_and_answered_once(client, telegram, runtime):
    question = updates.message(QUESTION)
    assert post(client, question) == 200
    assert post(client, question) == 200  # acknowledged, so Telegram stops sending it

    assert citizen_said(runtime, QUESTION) == 1
    assert len(telegram.sent("sendMessage")) == 1


def test_the_same_words_in_a_new_update_are_a_new_message(client, telegram, runtime):
    post(client, updates.message(QUESTION))
    post(client, updates.message(QUESTION))
    assert citizen_said(runtime, QUESTION) == 2


def test_a_tap_delivered_twice_counts_once(citizen, telegram, kb):
    [answer] = citizen.says(QUESTION)
    data = answer.callback_data()[engine_texts.DETAIL_LABELS["materials"]]
    tap = updates.tap(data, answer.markup())
    assert len(messages(citizen.post(tap))) == 1
    assert citizen.post(tap) == []


def test_two_workers_sharing_the_database_handle_an_update_once(settings, matcher, telegram, runtime, client):
    """The check lives in the database every worker uses, not in a worker's memory."""
    question = updates.message(QUESTION)
    with TestClient(create_app(settings=settings, matcher=matcher)) as other_worker:
        assert post(client, question) == 200
        assert post(other_worker, question) == 200
    assert citizen_said(runtime, QUESTION) == 1
    assert len(telegram.sent("sendMessage")) == 1


def test_an_update_another_worker_is_handling_is_answered_503_so_telegram_sends_it_later(client, telegram,
                                                                                          runtime, app):
    question = updates.message(QUESTION)
    updates_seen = Services.of(app).part(TelegramChannel).updates
    assert updates_seen.claim(str(question["update_id"])) is Claim.MINE  # another worker has it

    assert post(client, question) == 503
    assert telegram.sent("sendMessage") == []
    assert citizen_said(runtime, QUESTION) == 0


def test_an_update_left_unfinished_by_a_dead_worker_is_handled_after_the_lease(client, telegram, runtime, app):
    question = updates.message(QUESTION)
    updates_seen = Services.of(app).part(TelegramChannel).updates
    updates_seen.claim(str(question["update_id"]))  # the worker that took it was killed
    with runtime.sessions() as session:
        session.execute(update(Replay).values(claimed_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)))
        session.commit()

    assert post(client, question) == 200
    assert citizen_said(runtime, QUESTION) == 1
    assert len(telegram.sent("sendMessage")) == 1


async def test_long_polling_handles_an_update_handed_out_twice_once(make_channel, telegram, engine_runtime):
    """getUpdates gives the update again (the poller before had not confirmed it), then the next one."""
    channel = make_channel()
    question = updates.message(QUESTION)
    for update_ in (question, question, updates.message("谢谢")):
        telegram.push_update(update_)
    polling = asyncio.create_task(run_polling(channel, handle_signals=False))

    await asyncio.to_thread(telegram.wait_for, "sendMessage", 2)
    await asyncio.sleep(0.3)  # room for a second answer to the repeated update, if it were handled again
    await channel.dispatcher.stop_polling()
    await polling

    assert citizen_said(engine_runtime, QUESTION) == 1
    assert len(telegram.sent("sendMessage")) == 2
