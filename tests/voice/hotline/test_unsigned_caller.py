"""Without a carrier token nobody signs the webhooks, so the caller's number in `From` proves nothing: anyone can
post it. Such a call is a caller of its own, never filed under the citizen who owns that number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.messages import Incoming, SharedContact, Text
from assistant.runtime import Runtime
from assistant.store.models import Case, Officer
from tests.utils.phone import Caller
from tests.voice.hotline.conftest import Carrier

PHONE = "13812345678"


@pytest.fixture
def hotline_settings() -> dict[str, Any]:
    return {"neural_voice_enabled": False}  # no TWILIO_AUTH_TOKEN: webhooks are not signed (espeak-ng: see conftest)


@pytest.fixture
def known_citizen(runtime: Runtime) -> int:
    """A citizen whose number Telegram vouched for, with a case about their ID card."""
    with runtime.sessions() as session:
        runtime.assistant.handle(session, Incoming("telegram", "tg-42", SharedContact(PHONE)))
        runtime.assistant.handle(session, Incoming("telegram", "tg-42", Text("我的身份证号110101195001011234丢了")))
        turn = runtime.assistant.handle(session, Incoming("telegram", "tg-42", Text("找人工")))
        return turn.conversation.citizen_id


def test_an_unsigned_call_from_the_citizens_number_sees_nothing_of_theirs(
        client: TestClient, known_citizen: int, officer_of: Callable[..., tuple[TestClient, Officer]]) -> None:
    staff, _ = officer_of()
    carrier = Carrier(client, caller="+86" + PHONE)
    carrier.call()
    carrier.say("人工")

    phone_case = next(c for c in staff.get("/api/officer/cases").json() if c["summary"]["channel"] == "phone")
    detail = staff.get(f"/api/staff/cases/{phone_case['id']}").json()
    assert detail["summary"]["earlier"] == [] and detail["earlier_cases"] == []
    assert all(m["channel"] == "phone" for m in detail["transcript"])
    revealed = staff.post(f"/api/staff/cases/{phone_case['id']}/reveal").json()
    assert "110101195001011234" not in str(revealed) and revealed["phone"] is None


def test_a_call_id_cannot_pose_as_the_citizens_number(client: TestClient, runtime: Runtime) -> None:
    with runtime.sessions() as session:
        known = Caller(runtime, session, phone=PHONE)  # rang before from a number the carrier vouched for
        known.say("人工")
        known_citizen = known.case.citizen_id
    carrier = Carrier(client, caller="anonymous")
    carrier.form["CallSid"] = PHONE  # a verified caller's identity on the phone is their number
    carrier.call()
    carrier.say("人工")
    with runtime.sessions() as session:
        cases = session.scalars(select(Case)).all()
        assert len(cases) == 2 and all(case.citizen_id != known_citizen for case in cases[1:])
