"""Channels joined on proof are shown on the case, and a supervisor can undo a wrong link: the other channel's
conversations and cases go back where they were, and the undoing is on the case's trail. The web page links by a
one-time code; the case says whether a reply can reach the citizen on their channel."""

from __future__ import annotations

import re

import pytest

from assistant import texts
from assistant.identity import Proof
from assistant.messages import Incoming, LinkCodeWanted, SharedContact, Text, VerifiedContact

PHONE = "13812345678"


@pytest.fixture
def linked_case(runtime, officer_of) -> int:
    """A Telegram citizen who shared their number, then rang from it and asked for a person: one citizen."""
    contact = VerifiedContact(PHONE, Proof.CARRIER_CALLER_ID)
    with runtime.sessions() as session:
        runtime.assistant.handle(session, Incoming("telegram", "4242", SharedContact(PHONE)))
        runtime.assistant.handle(session, Incoming("telegram", "4242", Text("我想问养老金")))
        runtime.assistant.handle(session, Incoming("telegram", "4242", Text("找人工")))
        turn = runtime.assistant.handle(session, Incoming("phone", PHONE, Text("人工"), contact=contact))
        return turn.conversation.id


def phone_case(staff) -> dict:
    return next(c for c in staff.get("/api/officer/cases").json() if c["summary"]["channel"] == "phone")


def test_a_supervisor_undoes_a_link_and_the_other_channel_is_no_longer_shown(officer_of, linked_case):
    supervisor, boss = officer_of("supervisor", name="李主任")
    case = supervisor.get(f"/api/staff/cases/{phone_case(supervisor)['id']}").json()
    [link] = case["links"]
    assert case["earlier_cases"] and any(m["channel"] == "telegram" for m in case["transcript"])

    undone = supervisor.post(f"/api/staff/cases/{case['id']}/links/{link['id']}/undo")

    assert undone.status_code == 200 and undone.json()["undone_at"]
    after = supervisor.get(f"/api/staff/cases/{case['id']}").json()
    assert after["earlier_cases"] == [] and all(m["channel"] == "phone" for m in after["transcript"])
    [event] = [e for e in after["events"] if e["kind"] == "link_undone"]
    assert event["actor"] == f"officer:{boss.username}" and event["detail"]["proof"] == "carrier_caller_id"
    assert supervisor.post(f"/api/staff/cases/{case['id']}/links/{link['id']}/undo").status_code == 409


def test_an_officer_cannot_undo_a_link(officer_of, linked_case):
    officer, _ = officer_of("officer")
    case = officer.get(f"/api/staff/cases/{phone_case(officer)['id']}").json()
    [link] = case["links"]
    assert officer.post(f"/api/staff/cases/{case['id']}/links/{link['id']}/undo").status_code == 403
    assert officer.get(f"/api/staff/cases/{case['id']}").json()["earlier_cases"]


def test_the_case_says_how_a_reply_reaches_the_citizen(officer_of, linked_case, say):
    staff, _ = officer_of()
    assert staff.get(f"/api/staff/cases/{phone_case(staff)['id']}").json()["reach"] == "none"
    web_case = say("找人工")["case"]["case_id"]
    assert staff.get(f"/api/staff/cases/{web_case}").json()["reach"] == "on_return"


def test_the_web_page_joins_a_telegram_citizen_with_a_code(client, conversation, runtime):
    with runtime.sessions() as session:
        runtime.assistant.handle(session, Incoming("telegram", "4242", Text("你好")))
        shown = runtime.assistant.handle(session, Incoming("telegram", "4242", LinkCodeWanted())).replies[0].text
    code = re.search(r"\d(?: \d){5}", shown).group(0)

    linked = client.post(f"/api/conversations/{conversation}/link", json={"code": code})

    assert linked.status_code == 200 and linked.json()["text"] == texts.LINK_DONE.format(channel="Telegram")
    again = client.post(f"/api/conversations/{conversation}/link", json={"code": code})
    assert again.json()["text"] == texts.LINK_WRONG


def test_the_web_page_shows_a_code_for_telegram(client, conversation):
    shown = client.post(f"/api/conversations/{conversation}/link-code")
    assert shown.status_code == 200 and re.search(r"\d(?: \d){5}", shown.json()["text"])


def test_a_code_must_look_like_one(client, conversation):
    assert client.post(f"/api/conversations/{conversation}/link", json={"code": "abc"}).status_code == 422
