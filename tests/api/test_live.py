"""Live events over a real server: an officer's reply and queue changes reach the citizen's open stream."""

from __future__ import annotations

import threading

import httpx

from assistant.services import Services
from tests.utils.factories import make_officer
from tests.utils.officer_login import log_in
from tests.utils.sse import events_while_an_officer_replies, read_events


def test_an_officers_reply_arrives_on_the_citizens_stream(live_server):
    with Services.of(live_server.app).runtime.sessions() as session:
        officer = make_officer(session, name="王芳")
    with httpx.Client(base_url=live_server.url, timeout=10) as citizen, \
            httpx.Client(base_url=live_server.url, timeout=10) as staff:
        conversation = citizen.post("/api/conversations", json={}).json()["id"]
        case_id = citizen.post(f"/api/conversations/{conversation}/messages", json={"text": "找人工"}).json()["case"][
            "case_id"]
        log_in(staff, officer.username)

        events = events_while_an_officer_replies(citizen, staff, conversation=conversation, case_id=case_id,
                                                 reply="您好，我是王芳。")

    messages = [e["message"]["text"] for name, e in events if name == "message"]
    queue = [e["case"]["status"] for name, e in events if name == "queue"]
    assert messages == ["工作人员王芳来了，正在看您说过的话，请稍等。", "您好，我是王芳。"]
    assert queue == ["claimed"]


def test_an_unknown_stream_is_404_before_it_starts(live_server):
    response = httpx.get(f"{live_server.url}/api/conversations/{'0' * 32}/events", timeout=5)
    assert response.status_code == 404


def test_officers_hear_of_new_cases_live(live_server):
    with Services.of(live_server.app).runtime.sessions() as session:
        officer = make_officer(session)
    with httpx.Client(base_url=live_server.url, timeout=10) as citizen, \
            httpx.Client(base_url=live_server.url, timeout=10) as staff:
        assert staff.get("/api/officer/events").status_code == 401
        log_in(staff, officer.username)
        conversation = citizen.post("/api/conversations", json={}).json()["id"]
        with staff.stream("GET", "/api/officer/events") as stream:
            asking = threading.Timer(0.2, citizen.post, args=(f"/api/conversations/{conversation}/messages",),
                                     kwargs={"json": {"text": "找人工"}})
            asking.start()
            [(name, event)] = read_events(stream, wanted=1)
            asking.join()
    assert name == "case_opened"
    assert event["case"]["status"] == "waiting" and conversation not in str(event)  # staff never see the key
