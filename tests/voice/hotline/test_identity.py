"""The caller is known by the number the carrier vouches for (a signed webhook): the officer sees their earlier chats
and cases, the number masked in lists, and after the call the answer's checklist reaches the chat they linked."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant import texts
from assistant.live.events import channel_topic
from assistant.messages import Incoming, SharedContact, Text
from assistant.runtime import Runtime
from assistant.store import citizens as citizen_store
from assistant.store import conversations as conversation_store
from assistant.store.models import Callback, Officer
from tests.voice.hotline.conftest import Carrier, RecordingBus, verbs

PHONE = "13812345678"


def _checklists(bus: RecordingBus) -> list[dict]:
    """Checklists published for the Telegram channel to deliver."""
    return [event for topic, event in bus.published if topic == channel_topic("telegram")
            and event.get("type") == "message" and event["message"]["kind"] == "checklist"]


@pytest.fixture
def telegram_chat(runtime: Runtime) -> str:
    """A citizen who chats on Telegram, has given their number there, and once asked for a person."""
    with runtime.sessions() as session:
        runtime.assistant.handle(session, Incoming("telegram", "tg-42", SharedContact(PHONE)))  # Telegram vouches
        runtime.assistant.handle(session, Incoming("telegram", "tg-42", Text("老年卡坐公交刷不了")))
        turn = runtime.assistant.handle(session, Incoming("telegram", "tg-42", Text("找人工")))
        return turn.conversation.id


def test_the_officer_taking_the_call_sees_the_citizens_earlier_chats_and_cases(
        client: TestClient, telegram_chat: str, officer_of: Callable[..., tuple[TestClient, Officer]]) -> None:
    staff, _ = officer_of()
    carrier = Carrier(client)
    carrier.call()
    carrier.say("人工")

    listed = staff.get("/api/officer/cases", params={"status": "open"}).json()
    phone_case = next(case for case in listed if case["summary"]["channel"] == "phone")
    assert phone_case["summary"]["phone"] == "138****5678"
    assert PHONE not in str(listed)
    detail = staff.get(f"/api/officer/cases/{phone_case['id']}").json()
    [earlier] = detail["summary"]["earlier"]
    assert earlier["channel"] == "telegram" and telegram_chat not in str(detail)  # staff never see the chat's key
    assert earlier["said"][0] == "老年卡坐公交刷不了"
    assert len(earlier["cases"]) == 1


def test_after_the_call_the_checklist_goes_to_the_linked_chat_once(client: TestClient, runtime: Runtime,
                                                                   telegram_chat: str, bus: RecordingBus) -> None:
    carrier = Carrier(client)
    carrier.call()
    carrier.say("身份证到期了怎么换")
    carrier.hang_up()
    carrier.hang_up()  # carriers may repeat a status callback

    guide = runtime.matcher.kb.guides["id-card-renewal"]
    sent = _checklists(bus)
    assert len(sent) == 1
    assert sent[0]["conversation_id"] == telegram_chat
    assert sent[0]["message"]["text"] == texts.checklist(guide, runtime.assistant.dialogue.offices[guide.office])
    with runtime.sessions() as session:
        last = conversation_store.messages(session, conversation_id=telegram_chat)[-1]
        assert (last.role, last.meta["kind"]) == ("assistant", "checklist")


def test_a_call_ended_by_the_hotline_shares_the_checklist_without_waiting_for_the_carrier(
        client: TestClient, telegram_chat: str, bus: RecordingBus) -> None:
    carrier = Carrier(client)
    carrier.call()
    carrier.say("身份证到期了怎么换")
    assert verbs(carrier.say("再见"))[-1] == "Hangup"
    assert len(_checklists(bus)) == 1


def test_a_withheld_number_still_gets_through_and_is_asked_for_a_number_only_for_a_callback(
        client: TestClient, runtime: Runtime) -> None:
    carrier = Carrier(client, caller="anonymous")
    carrier.call()
    carrier.press("0")  # nobody on duty: a callback is offered
    asked = carrier.press("1")
    listening = asked.find("Gather")
    assert "numDigits" not in listening.attrib and listening.attrib["finishOnKey"] == "#"
    carrier.press("13912345678")  # read back: 按1确认
    booked = carrier.press("1")
    assert verbs(booked)[-1] == "Hangup"
    with runtime.sessions() as session:
        [callback] = session.scalars(select(Callback)).all()
        assert callback.phone == "13912345678"  # a number to call back, not proof of who called
        assert citizen_store.with_verified_phone(session, phone="13912345678") is None
