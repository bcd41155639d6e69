"""The officer API: login and roles, then the queue: claim, reply (reaches the citizen), notes, hand over, resolve,
callbacks."""

from __future__ import annotations

import pytest

from assistant import texts
from tests.utils.officer_login import CSRF_HEADER

OFFICER_ENDPOINTS = [
    ("get", "/api/officer/me"), ("put", "/api/officer/duty"), ("get", "/api/officer/cases"),
    ("get", "/api/officer/cases/1"), ("post", "/api/officer/cases/1/claim"), ("post", "/api/officer/cases/1/reply"),
    ("post", "/api/officer/cases/1/notes"), ("post", "/api/officer/cases/1/handover"),
    ("post", "/api/officer/cases/1/resolve"), ("get", "/api/officer/callbacks"),
    ("post", "/api/officer/callbacks/1/close"), ("get", "/api/officer/officers"), ("post", "/api/officer/officers"),
    ("get", "/api/officer/events"),
]


@pytest.fixture
def case_id(say) -> int:
    """A citizen who asked about their ID card and then for a person, with a phone number in what they said."""
    say("身份证过期了咋换，我电话13812345678")
    return say("找人工")["case"]["case_id"]


@pytest.mark.parametrize(("method", "path"), OFFICER_ENDPOINTS)
def test_without_login_it_is_401(client, method, path):
    response = client.request(method, path, json={})
    assert response.status_code == 401
    assert response.json() == {"detail": "请先登录"}


def test_a_wrong_password_is_401_and_a_right_one_sets_a_safe_cookie(client, officer_of):
    staff, officer = officer_of()
    client.headers[CSRF_HEADER] = client.get("/api/staff/session").json()["csrf_token"]
    assert client.post("/api/officer/login", json={"username": officer.username, "password": "wrong"}).status_code \
        == 401
    response = client.post("/api/officer/login",
                           json={"username": officer.username, "password": "correct horse battery"})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/api/officer/me").json()["username"] == officer.username
    client.headers[CSRF_HEADER] = client.get("/api/staff/session").json()["csrf_token"]  # a login renews it
    assert client.post("/api/officer/logout").status_code == 204
    assert client.get("/api/officer/me").status_code == 401


def test_roles(officer_of):
    officer, _ = officer_of("officer")
    supervisor, _ = officer_of("supervisor")
    admin, _ = officer_of("admin")
    new = {"username": "liming", "name": "李明", "role": "officer", "password": "a long password"}
    assert officer.get("/api/officer/officers").status_code == 403
    assert officer.post("/api/officer/officers", json=new).status_code == 403
    assert supervisor.post("/api/officer/officers", json=new).status_code == 403
    assert supervisor.get("/api/officer/officers").status_code == 200
    assert admin.post("/api/officer/officers", json=new).status_code == 201
    assert admin.post("/api/officer/officers", json=new).status_code == 409


def test_the_queue_shows_the_case_with_numbers_masked(officer_of, case_id):
    staff, _ = officer_of()
    [listed] = staff.get("/api/officer/cases").json()
    assert listed["id"] == case_id
    assert listed["summary"]["service_id"] == "id-card-renewal"
    assert "138****5678" in listed["summary"]["said"][0]
    assert "13812345678" not in str(listed)
    assert staff.get("/api/officer/cases", params={"status": "resolved"}).json() == []
    assert staff.get("/api/officer/cases", params={"status": "nonsense"}).status_code == 422


def test_claim_reply_note_resolve_reach_the_citizen_and_the_record(client, conversation, say, officer_of, case_id):
    staff, officer = officer_of(name="王芳")
    assert staff.post(f"/api/officer/cases/{case_id}/claim").json()["status"] == "claimed"
    assert staff.post(f"/api/officer/cases/{case_id}/claim").status_code == 409
    reply = staff.post(f"/api/officer/cases/{case_id}/reply", json={"text": "您好，带上旧身份证就行。"})
    assert reply.status_code == 201
    assert staff.post(f"/api/officer/cases/{case_id}/notes", json={"text": "已告知材料"}).status_code == 201
    assert staff.post(f"/api/officer/cases/{case_id}/resolve", json={}).json()["status"] == "resolved"

    seen = [(m["role"], m["text"]) for m in client.get(f"/api/conversations/{conversation}").json()["messages"]]
    assert ("officer", "您好，带上旧身份证就行。") in seen
    assert seen[-1] == ("assistant", texts.FEEDBACK_QUESTION)
    assert "已告知材料" not in str(seen)

    detail = staff.get(f"/api/officer/cases/{case_id}").json()
    assert [e["kind"] for e in detail["events"]] == ["opened", "claimed", "officer_reply", "note", "resolved"]
    assert all(e["actor"] == f"officer:{officer.username}" for e in detail["events"][1:])


def test_only_the_officer_handling_a_case_replies(officer_of, case_id):
    mine, _ = officer_of()
    theirs, _ = officer_of()
    mine.post(f"/api/officer/cases/{case_id}/claim")
    assert theirs.post(f"/api/officer/cases/{case_id}/reply", json={"text": "我来"}).status_code == 403


def test_hand_over_to_a_colleague(officer_of, case_id):
    staff, _ = officer_of()
    _, colleague = officer_of(name="李明")
    staff.post(f"/api/officer/cases/{case_id}/claim")
    body = staff.post(f"/api/officer/cases/{case_id}/handover", json={"to_officer_id": colleague.id}).json()
    assert body["claimed_by"] == colleague.id
    assert staff.post(f"/api/officer/cases/{case_id}/handover", json={"to_officer_id": 999}).status_code == 404


def test_unknown_cases_and_callbacks_are_404(officer_of):
    staff, _ = officer_of()
    assert staff.get("/api/officer/cases/999").status_code == 404
    assert staff.post("/api/officer/callbacks/999/close", json={"reached": True}).status_code == 404


def test_going_off_duty_leads_to_callbacks(client, say, officer_of):
    staff, _ = officer_of()
    assert staff.put("/api/officer/duty", json={"on_duty": False}).json()["on_duty"] is False
    offered = say("找人工")["messages"][-1]
    assert offered["kind"] == "callback"
    say("好，请给我回电话", choice="1")
    say("13812345678")
    [callback] = staff.get("/api/officer/callbacks").json()
    assert callback["phone"] == "138****5678"  # masked in lists: revealing it is a recorded event
    assert staff.post(f"/api/staff/callbacks/{callback['id']}/reveal").json()["phone"] == "13812345678"
    closed = staff.post(f"/api/officer/callbacks/{callback['id']}/close", json={"reached": True}).json()
    assert closed["status"] == "done"
    assert staff.get("/api/officer/callbacks").json() == []
