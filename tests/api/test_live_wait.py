"""An honest wait, live (issue 16): with an officer on duty the citizen is told a number of minutes ("大约"), and it
changes on their open stream the moment an officer goes on duty; never a null while someone is on duty."""

from __future__ import annotations

import threading

import httpx

from assistant.services import Services
from tests.utils.factories import make_officer
from tests.utils.officer_login import log_in
from tests.utils.sse import read_events


def test_an_officer_going_on_duty_refreshes_the_wait_on_the_stream(live_server):
    with Services.of(live_server.app).runtime.sessions() as session:
        officer = make_officer(session, name="赵敏", on_duty=False)
    with httpx.Client(base_url=live_server.url, timeout=10) as citizen, \
            httpx.Client(base_url=live_server.url, timeout=10) as staff:
        conversation = citizen.post("/api/conversations", json={}).json()["id"]
        queued = citizen.post(f"/api/conversations/{conversation}/messages", json={"text": "我要找人工"}).json()
        assert (queued["case"]["on_duty"], queued["case"]["minutes"]) == (0, None)
        log_in(staff, officer.username)
        with citizen.stream("GET", f"/api/conversations/{conversation}/events") as stream:
            going = threading.Timer(0.2, staff.put, args=("/api/officer/duty",), kwargs={"json": {"on_duty": True}})
            going.start()
            [(name, event)] = read_events(stream, wanted=1)
            going.join()
    assert name == "queue"
    assert event["case"]["on_duty"] == 1
    assert event["case"]["minutes"] is not None
    assert "大约" in event["case"]["text"]


def test_the_wait_has_minutes_whenever_someone_is_on_duty(client, officer_of):
    officer_of()
    first = client.post("/api/conversations", json={}).json()["id"]
    second = client.post("/api/conversations", json={}).json()["id"]
    client.post(f"/api/conversations/{first}/messages", json={"text": "找人工"})
    body = client.post(f"/api/conversations/{second}/messages", json={"text": "我要跟工作人员说"}).json()
    assert body["case"]["minutes"] is not None and "大约" in body["case"]["text"]


def test_when_someone_leaves_the_queue_those_behind_move_up_live(live_server):
    with Services.of(live_server.app).runtime.sessions() as session:
        make_officer(session, name="钱进")
    with httpx.Client(base_url=live_server.url, timeout=10) as first, \
            httpx.Client(base_url=live_server.url, timeout=10) as second:
        ahead = first.post("/api/conversations", json={}).json()["id"]
        behind = second.post("/api/conversations", json={}).json()["id"]
        first.post(f"/api/conversations/{ahead}/messages", json={"text": "找人工"})
        queued = second.post(f"/api/conversations/{behind}/messages", json={"text": "找人工"}).json()
        assert queued["case"]["position"] == 2
        with second.stream("GET", f"/api/conversations/{behind}/events") as stream:
            leaving = threading.Timer(0.2, first.post, args=(f"/api/conversations/{ahead}/messages",),
                                      kwargs={"json": {"text": "那先不等了"}})
            leaving.start()
            [(name, event)] = read_events(stream, wanted=1)
            leaving.join()
    assert name == "queue"
    assert event["case"]["position"] == 1 and "大约" in event["case"]["text"]
