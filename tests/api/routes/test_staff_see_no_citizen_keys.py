"""A web conversation's id is the citizen's key to their chat (whoever has it can read and write it), so staff
work with case numbers and never see it: not in lists, cases, reveals, callbacks or live events."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from api.app import create_app
from assistant.live.events import OFFICERS_TOPIC
from tests.voice.hotline.conftest import RecordingBus


@pytest.fixture
def bus() -> RecordingBus:
    return RecordingBus()


@pytest.fixture
def app(settings, matcher, bus) -> FastAPI:
    return create_app(settings=settings, matcher=matcher, bus=bus)


def test_no_staff_response_or_event_carries_the_conversation_key(client, conversation, say, officer_of, bus):
    supervisor, _ = officer_of(role="supervisor", on_duty=False)
    say("身份证丢了")
    say("找人工")  # nobody on duty: a callback
    say("1")
    say("13812345678")
    [case] = supervisor.get("/api/officer/cases").json()
    seen = [
        supervisor.get("/api/officer/cases").text,
        supervisor.get(f"/api/officer/cases/{case['id']}").text,
        supervisor.get(f"/api/staff/cases/{case['id']}").text,
        supervisor.post(f"/api/staff/cases/{case['id']}/reveal").text,
        supervisor.get("/api/staff/callbacks/today").text,
        supervisor.get("/api/staff/board").text,
        supervisor.get("/api/officer/cases", params={"status": "all", "q": "身份证丢了"}).text,
        supervisor.get("/api/officer/cases/counts", params={"q": "5678"}).text,
        supervisor.post(f"/api/officer/cases/{case['id']}/claim").text,
        supervisor.post(f"/api/officer/cases/{case['id']}/resolve", json={}).text,
        str([event for topic, event in bus.published if topic == OFFICERS_TOPIC]),
    ]
    assert all(conversation not in text for text in seen)
