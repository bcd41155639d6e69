"""A one-time link code, shown on one channel and typed on another, joins the two as one citizen: short-lived,
single use, few tries, and the citizen who was shown it hears when it was used."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assistant import texts
from assistant.identity import MAX_CODE_FAILURES
from assistant.live.events import channel_topic
from assistant.messages import Incoming, LinkCodeTyped, LinkCodeWanted
from assistant.store import citizens as citizen_store
from assistant.store.models import Conversation, LinkCode
from tests.utils.chat import Chat


@pytest.fixture
def telegram(runtime, session) -> Chat:
    chat = Chat(runtime, session, sender="tg-7", channel="telegram")
    chat.say("身份证过期了咋换")
    return chat


@pytest.fixture
def web(runtime, session) -> Chat:
    chat = Chat(runtime, session, sender="page-7", channel="web")
    chat.say("你好")
    return chat


def code_for(runtime, session, chat: Chat) -> str:
    shown = runtime.assistant.handle(session, Incoming(chat.channel, chat.sender, LinkCodeWanted())).replies[0].text
    [code] = re.findall(r"\d(?: \d){5}", shown)
    return code.replace(" ", "")


def type_code(runtime, session, chat: Chat, code: str) -> str:
    return runtime.assistant.handle(session, Incoming(chat.channel, chat.sender, LinkCodeTyped(code))).replies[0].text


def citizen_of(session, chat: Chat) -> int:
    return session.get(Conversation, chat.conversation_id).citizen_id


def test_a_code_shown_on_telegram_and_typed_on_the_web_joins_them(runtime, session, telegram, web):
    code = code_for(runtime, session, telegram)

    assert type_code(runtime, session, web, code) == texts.LINK_DONE.format(channel="Telegram")
    assert citizen_of(session, web) == citizen_of(session, telegram)
    [link] = citizen_store.links_of(session, citizen_id=citizen_of(session, telegram))
    assert (link.proof, link.identity.channel) == ("link_code", "web")


def test_the_citizen_who_was_shown_the_code_is_told_it_was_used(runtime, session, telegram, web, monkeypatch):
    published: list[tuple[str, dict]] = []
    monkeypatch.setattr(runtime.bus, "publish", lambda topic, event: published.append((topic, event)))
    type_code(runtime, session, web, code_for(runtime, session, telegram))

    told = [e["message"]["text"] for topic, e in published if topic == channel_topic("telegram")]
    assert told == [texts.LINK_NOTICE.format(channel="网页聊天")]


def test_the_code_works_once(runtime, session, telegram, web):
    code = code_for(runtime, session, telegram)
    type_code(runtime, session, web, code)
    other = Chat(runtime, session, sender="page-8", channel="web")
    other.say("你好")

    assert type_code(runtime, session, other, code) == texts.LINK_WRONG
    assert citizen_of(session, other) != citizen_of(session, telegram)


def test_the_code_expires(runtime, session, clock, telegram, web):
    code = code_for(runtime, session, telegram)
    clock.advance(minutes=11)
    assert type_code(runtime, session, web, code) == texts.LINK_WRONG
    assert citizen_of(session, web) != citizen_of(session, telegram)


def test_a_new_code_replaces_the_old_one(runtime, session, telegram, web):
    old = code_for(runtime, session, telegram)
    new = code_for(runtime, session, telegram)
    assert type_code(runtime, session, web, old) == texts.LINK_WRONG or old == new
    assert type_code(runtime, session, web, new) == texts.LINK_DONE.format(channel="Telegram")


def test_guessing_is_cut_short_even_with_the_right_code_after(runtime, session, clock, telegram, web):
    code = code_for(runtime, session, telegram)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_CODE_FAILURES):
        assert type_code(runtime, session, web, wrong) == texts.LINK_WRONG
    assert type_code(runtime, session, web, code) == texts.LINK_LOCKED
    assert citizen_of(session, web) != citizen_of(session, telegram)
    clock.advance(hours=1, seconds=1)
    new = code_for(runtime, session, telegram)
    assert type_code(runtime, session, web, new) == texts.LINK_DONE.format(channel="Telegram")


def test_a_code_typed_where_it_was_shown_changes_nothing(runtime, session, telegram):
    code = code_for(runtime, session, telegram)
    assert type_code(runtime, session, telegram, code) == texts.LINK_ALREADY


def test_the_database_keeps_no_code_that_could_be_read_back(runtime, session, telegram):
    code = code_for(runtime, session, telegram)
    [digest] = session.scalars(select(LinkCode.digest)).all()
    assert code not in digest and len(digest) == 64
