"""An officer taking a call sees the same citizen's earlier chats and cases, with numbers masked."""

from __future__ import annotations

from assistant.messages import Incoming, SharedContact
from tests.utils.chat import Chat
from tests.utils.phone import Caller

PHONE = "13812345678"


def test_a_case_carries_the_citizens_earlier_contacts_on_other_channels(runtime, session, on_duty):
    runtime.assistant.handle(session, Incoming("telegram", "tg-42", SharedContact(PHONE)))  # Telegram vouches
    telegram = Chat(runtime, session, sender="tg-42", channel="telegram")
    telegram.say("我的身份证号是110101195001011234，想换身份证")
    telegram.say("找人工")
    earlier_case = telegram.case

    caller = Caller(runtime, session, phone=PHONE)
    caller.say("人工")

    [earlier] = caller.case.summary["earlier"]
    assert earlier["channel"] == "telegram" and telegram.conversation_id not in str(earlier)
    assert [c["id"] for c in earlier["cases"]] == [earlier_case.id]
    assert "110***********1234" in earlier["said"][0] and "110101195001011234" not in str(earlier)


def test_a_first_contact_has_no_earlier_ones(runtime, session, on_duty):
    caller = Caller(runtime, session, phone="13900000000")
    caller.say("人工")
    assert caller.case.summary["earlier"] == []
