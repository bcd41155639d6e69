"""After a call, the answer's checklist reaches the citizen's other chats as text, once."""

from __future__ import annotations

import pytest

from assistant import texts
from assistant.followup import share_checklist
from assistant.live.events import channel_topic, conversation_topic
from assistant.messages import Incoming, SharedContact
from assistant.store import conversations as conversation_store
from tests.utils.chat import Chat
from tests.utils.phone import Caller

PHONE = "13812345678"


@pytest.fixture
def published(runtime, monkeypatch) -> list[tuple[str, dict]]:
    events: list[tuple[str, dict]] = []
    monkeypatch.setattr(runtime.bus, "publish", lambda topic, event: events.append((topic, event)))
    return events


@pytest.fixture
def telegram(runtime, session) -> Chat:
    """A citizen who chats on Telegram and has given their phone number there."""
    runtime.assistant.handle(session, Incoming("telegram", "tg-42", SharedContact(PHONE)))  # Telegram vouches
    chat = Chat(runtime, session, sender="tg-42", channel="telegram")
    chat.say("你好")
    return chat


def _share(runtime, session, caller: Caller) -> list:
    conversation = conversation_store.get(session, conversation_id=caller.conversation_id)
    sent = share_checklist(session, conversation=conversation, dialogue=runtime.assistant.dialogue)
    session.commit()
    return sent


def test_the_checklist_goes_to_the_linked_chat_as_text(runtime, session, telegram, published):
    caller = Caller(runtime, session, phone=PHONE)
    caller.say("身份证到期了怎么换")

    [message] = _share(runtime, session, caller)

    guide = runtime.matcher.kb.guides["id-card-renewal"]
    assert message.conversation_id == telegram.conversation_id
    assert message.text.startswith(texts.CHECKLIST_INTRO.format(title=guide.title))
    assert texts.materials(guide) in message.text and "办公时间" in message.text
    topics = [topic for topic, event in published if event.get("message", {}).get("id") == message.id]
    assert topics == [conversation_topic(telegram.conversation_id), channel_topic("telegram")]
    assert published[-1][1]["message"]["kind"] == "checklist"


def test_it_is_sent_only_once(runtime, session, telegram):
    caller = Caller(runtime, session, phone=PHONE)
    caller.say("身份证到期了怎么换")
    _share(runtime, session, caller)
    assert _share(runtime, session, caller) == []


def test_nothing_is_sent_when_no_service_was_answered(runtime, session, telegram):
    caller = Caller(runtime, session, phone=PHONE)
    caller.say("你好")
    assert _share(runtime, session, caller) == []


def test_a_caller_with_no_chat_gets_nothing_and_no_error(runtime, session):
    caller = Caller(runtime, session, phone="13900000000")
    caller.say("身份证到期了怎么换")
    assert _share(runtime, session, caller) == []
