"""One case in the staff console: the summary and everything the citizen said on every channel, their earlier cases,
revealing a masked number (a recorded event), every action on the append-only trail, size limits, today's callbacks,
and the on-duty switch the engine listens to."""

from __future__ import annotations

import datetime as dt

import pytest

from api.errors import TOO_LONG
from assistant.identity import Proof
from assistant.messages import Incoming, SharedContact, Text, VerifiedContact
from assistant.store import cases as case_store
from assistant.store import pushes as push_store
from tests.utils import records

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def case_id(say) -> int:
    """A web citizen who asked about their ID card, typing their ID and phone numbers, then asked for a person."""
    say(f"身份证过期了咋换，身份证号{ID_NUMBER}")
    say(f"我电话{PHONE}")
    return say("找人工")["case"]["case_id"]


@pytest.fixture
def staff(officer_of):
    client, officer = officer_of(name="王芳")
    return client, officer


def test_the_case_view_has_the_summary_and_the_whole_transcript_masked(staff, case_id):
    client, _ = staff
    case = client.get(f"/api/staff/cases/{case_id}").json()
    assert case["summary"]["service_id"] == "id-card-renewal" and case["channel"] == "web"
    citizen = [m["text"] for m in case["transcript"] if m["role"] == "citizen"]
    assert citizen == ["身份证过期了咋换，身份证号110***********002X", "我电话138****5678", "找人工"]
    assert PHONE not in str(case) and ID_NUMBER not in str(case)
    assert [e["kind"] for e in case["events"]] == ["opened"]


def test_an_officer_sees_which_of_their_words_have_not_reached_a_telegram_chat(staff, runtime):
    client, _ = staff
    with runtime.sessions() as session:
        turn = runtime.assistant.handle(session, Incoming("telegram", "4242", Text("找人工")))
        case = case_store.open_for_conversation(session, conversation_id=turn.conversation.id)
    client.post(f"/api/officer/cases/{case.id}/claim")
    reached = client.post(f"/api/officer/cases/{case.id}/reply", json={"text": "您好，我是王芳。"}).json()["id"]
    stuck = client.post(f"/api/officer/cases/{case.id}/reply", json={"text": "请问您办什么事？"}).json()["id"]
    with runtime.sessions() as session:
        push_store.remove(session, message_id=reached)
        push_store.failed(session, message_id=stuck, error="Bad Gateway", now=runtime.desk.clock(),
                          first_pause=dt.timedelta(seconds=30))
        session.commit()
    view = client.get(f"/api/staff/cases/{case.id}").json()
    assert [m["id"] for m in view["transcript"] if m["undelivered"]] == [stuck]


def test_an_officer_sees_that_their_words_cannot_reach_a_caller(staff, runtime):
    """A call only hears what is said during it (assistant/channels.py Reach.NONE): a reply written to a phone case
    is shown on the case as not delivered, rather than as if the caller had heard it."""
    client, _ = staff
    contact = VerifiedContact(PHONE, Proof.CARRIER_CALLER_ID)
    with runtime.sessions() as session:
        turn = runtime.assistant.handle(session, Incoming("phone", PHONE, Text("转人工"), contact=contact))
        case = case_store.open_for_conversation(session, conversation_id=turn.conversation.id)
    client.post(f"/api/officer/cases/{case.id}/claim")
    reply = client.post(f"/api/officer/cases/{case.id}/reply", json={"text": "我们稍后给您回电话。"}).json()["id"]
    view = client.get(f"/api/staff/cases/{case.id}").json()
    undelivered = [m for m in view["transcript"] if m["undelivered"]]
    assert reply in [m["id"] for m in undelivered]
    assert all(m["role"] != "citizen" for m in undelivered)
    assert not [m for m in view["transcript"] if m["role"] == "assistant" and m["kind"] == "queue"
                and m["undelivered"]]  # what the assistant said during the call was heard


@pytest.fixture
def phone_case(staff, runtime) -> dict:
    """A Telegram citizen shared their number there (Telegram vouches for it) and asked for a person; later they
    ring the hotline from that number (the carrier vouches for it) and ask for a person there: the same citizen."""
    contact = VerifiedContact(PHONE, Proof.CARRIER_CALLER_ID)
    with runtime.sessions() as session:
        runtime.assistant.handle(session, Incoming("telegram", "4242", SharedContact(PHONE)))
        runtime.assistant.handle(session, Incoming("telegram", "4242", Text("身份证过期了咋换")))
        runtime.assistant.handle(session, Incoming("telegram", "4242", Text("找人工")))
        runtime.assistant.handle(session, Incoming("phone", PHONE, Text("养老金怎么领"), contact=contact))
        runtime.assistant.handle(session, Incoming("phone", PHONE, Text("转人工"), contact=contact))
    [case] = [c for c in staff[0].get("/api/officer/cases").json() if c["summary"]["channel"] == "phone"]
    return case


def test_the_transcript_spans_channels_and_earlier_cases_are_listed(staff, phone_case):
    client, _ = staff
    view = client.get(f"/api/staff/cases/{phone_case['id']}").json()
    said = [(m["channel"], m["text"], m["this_case"]) for m in view["transcript"] if m["role"] == "citizen"]
    assert said[0] == ("telegram", "身份证过期了咋换", False) and said[-2:] == [("phone", "养老金怎么领", True),
                                                                              ("phone", "转人工", True)]
    assert [c["summary"]["channel"] for c in view["earlier_cases"]] == ["telegram"]
    assert view["summary"]["phone"] == "138****5678"
    assert client.post(f"/api/staff/cases/{phone_case['id']}/reveal").json()["phone"] == PHONE
    [link] = view["links"]
    assert (link["channel"], link["proof"], link["undone_at"]) == ("phone", "carrier_caller_id", None)


def test_revealing_is_a_recorded_event_with_who_and_when(staff, case_id):
    client, officer = staff
    revealed = client.post(f"/api/staff/cases/{case_id}/reveal").json()
    assert {m["text"] for m in revealed["messages"]} == {f"身份证过期了咋换，身份证号{ID_NUMBER}", f"我电话{PHONE}"}
    client.post(f"/api/staff/cases/{case_id}/reveal")
    events = client.get(f"/api/staff/cases/{case_id}").json()["events"]
    reveals = [e for e in events if e["kind"] == "revealed"]
    assert len(reveals) == 2  # each look is its own line, none overwritten
    assert all(e["actor"] == f"officer:{officer.username}" and e["created_at"] for e in reveals)


def test_every_action_is_appended_to_the_case_trail(staff, officer_of, case_id):
    client, officer = staff
    _, colleague = officer_of(name="李明")
    client.post(f"/api/officer/cases/{case_id}/claim")
    client.post(f"/api/officer/cases/{case_id}/reply", json={"text": "您好，带上旧身份证就行。"})
    client.post(f"/api/officer/cases/{case_id}/notes", json={"text": "已告知材料"})
    client.post(f"/api/staff/cases/{case_id}/reveal")
    client.post(f"/api/officer/cases/{case_id}/handover", json={"to_officer_id": colleague.id, "note": "请跟进"})
    trail = client.get(f"/api/staff/cases/{case_id}").json()["events"]
    assert [(e["kind"], e["actor"]) for e in trail] == [
        ("opened", "citizen"), ("claimed", f"officer:{officer.username}"),
        ("officer_reply", f"officer:{officer.username}"), ("note", f"officer:{officer.username}"),
        ("revealed", f"officer:{officer.username}"), ("handed_over", f"officer:{officer.username}")]
    assert trail[-1]["detail"] == {"to": colleague.username, "note": "请跟进"}
    assert [e["id"] for e in trail] == sorted(e["id"] for e in trail)


@pytest.mark.parametrize("action", ["reply", "notes"])
def test_a_reply_or_note_over_the_limit_is_refused_clearly_and_nothing_is_lost(staff, case_id, action):
    client, _ = staff
    client.post(f"/api/officer/cases/{case_id}/claim")
    before = client.get(f"/api/staff/cases/{case_id}").json()
    response = client.post(f"/api/officer/cases/{case_id}/{action}", json={"text": "很长" * 1001})
    assert response.status_code == 422
    assert response.json()["message"] == TOO_LONG.format(limit=2000)
    after = client.get(f"/api/staff/cases/{case_id}").json()
    assert (after["events"], after["transcript"]) == (before["events"], before["transcript"])
    assert client.get("/api/staff/session").json()["text_limit"] == 2000  # the console counts against it


def test_todays_callbacks_are_masked_and_revealed_on_the_record(staff, runtime, case_id):
    client, officer = staff
    now, two_days = runtime.desk.clock(), dt.timedelta(days=2)
    with runtime.sessions() as session:
        case = case_store.get(session, case_id=case_id)
        due_now = records.callback(session, case, due=now).id
        overdue = records.callback(session, case, due=now - two_days).id
        records.callback(session, case, due=now + two_days)  # another day's
        called = records.callback(session, case, due=now, status="missed", done=now, officer=officer).id
        records.callback(session, case, due=now - two_days, status="done", done=now - two_days, officer=officer)
        session.commit()
    today = client.get("/api/staff/callbacks/today").json()
    assert [c["id"] for c in today] == [overdue, due_now, called]
    assert {c["phone"] for c in today} == {"138****5678"}
    assert client.post(f"/api/staff/callbacks/{due_now}/reveal").json()["phone"] == PHONE
    client.post(f"/api/officer/callbacks/{due_now}/close", json={"reached": True})
    assert [c["status"] for c in client.get("/api/staff/callbacks/today").json()] == ["pending", "done", "missed"]
    kinds = [e["kind"] for e in client.get(f"/api/staff/cases/{case_id}").json()["events"]]
    assert kinds[-2:] == ["revealed", "callback_done"]


def test_the_on_duty_switch_is_what_the_engine_counts(say, staff, runtime):
    client, _ = staff
    client.put("/api/officer/duty", json={"on_duty": False})
    assert say("找人工")["messages"][-1]["kind"] == "callback"  # nobody on duty: a callback is offered
    client.put("/api/officer/duty", json={"on_duty": True})
    assert say("找人工")["case"]["on_duty"] == 1


def test_colleagues_for_a_hand_over_list_those_on_duty_first(staff, officer_of):
    client, officer = staff
    officer_of(name="李明", on_duty=False)
    officer_of(name="赵强")
    names = [(c["name"], c["on_duty"]) for c in client.get("/api/staff/colleagues").json()]
    assert names == [("赵强", True), ("李明", False)]
