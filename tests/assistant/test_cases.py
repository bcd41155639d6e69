"""The escalation desk: claim, reply, note, hand over, resolve, callbacks; every action on the audit trail."""

from __future__ import annotations

import pytest

from assistant import texts, views
from assistant.cases import CaseError, CaseForbidden
from assistant.store import callbacks as callback_store
from assistant.store import cases as case_store
from assistant.store import conversations as conversation_store
from assistant.store.models import AppendOnlyError
from tests.utils.factories import make_officer


@pytest.fixture
def case(chat, on_duty):
    """A citizen who asked about their ID card, then for a person."""
    chat.say("身份证过期了咋换")
    chat.say("找人工")
    return chat.case


def citizen_sees(chat) -> list[str]:
    return [m.text for m in conversation_store.messages(chat.session, conversation_id=chat.conversation_id)]


def kinds(session, case) -> list[str]:
    return [e.kind for e in case_store.events(session, case_id=case.id)]


def test_the_summary_carries_the_service_and_what_was_said(case):
    assert case.service_id == "id-card-renewal"
    assert case.summary["service_title"]
    assert case.summary["said"] == ["身份证过期了咋换", "找人工"]
    assert case.reason == "asked"


def test_claiming_tells_the_citizen_who_is_coming(runtime, session, chat, case, on_duty):
    runtime.desk.claim(session, case=case, officer=on_duty)
    session.commit()
    assert case.status == "claimed" and case.claimed_by == on_duty.id
    assert texts.OFFICER_JOINED.format(name="王芳") in citizen_sees(chat)


def test_a_case_is_claimed_once(runtime, session, case, on_duty):
    runtime.desk.claim(session, case=case, officer=on_duty)
    with pytest.raises(CaseError):
        runtime.desk.claim(session, case=case, officer=make_officer(session))


def test_only_the_officer_handling_it_or_a_supervisor_may_reply(runtime, session, chat, case, on_duty):
    runtime.desk.claim(session, case=case, officer=on_duty)
    with pytest.raises(CaseForbidden):
        runtime.desk.reply(session, case=case, officer=make_officer(session), text="我来答")
    runtime.desk.reply(session, case=case, officer=make_officer(session, role="supervisor"), text="我是组长")
    session.commit()
    assert "我是组长" in citizen_sees(chat)


def test_a_note_stays_with_staff(runtime, session, chat, case, on_duty):
    runtime.desk.note(session, case=case, officer=on_duty, text="老人耳背，说话慢一点")
    session.commit()
    assert "老人耳背，说话慢一点" not in citizen_sees(chat)
    note = case_store.events(session, case_id=case.id)[-1]
    assert views.case_event(note)["detail"] == {"text": "老人耳背，说话慢一点"}


def test_numbers_in_notes_are_masked(runtime, session, case, on_duty):
    runtime.desk.claim(session, case=case, officer=on_duty)
    runtime.desk.note(session, case=case, officer=on_duty, text="儿子电话13912345678")
    runtime.desk.resolve(session, case=case, officer=on_duty, note="已回电13912345678")
    notes = [views.case_event(e)["detail"] for e in case_store.events(session, case_id=case.id)
             if e.kind in ("note", "resolved")]
    assert notes == [{"text": "儿子电话139****5678"}, {"note": "已回电139****5678"}]


def test_hand_over_to_a_colleague_or_back_to_the_queue(runtime, session, case, on_duty):
    colleague = make_officer(session, name="李明")
    runtime.desk.claim(session, case=case, officer=on_duty)
    runtime.desk.hand_over(session, case=case, officer=on_duty, to=colleague, note="社保的事他熟")
    assert case.claimed_by == colleague.id
    runtime.desk.hand_over(session, case=case, officer=colleague, to=None)
    assert (case.status, case.claimed_by) == ("waiting", None)


def test_resolving_asks_once_whether_it_solved_the_problem(runtime, session, chat, case, on_duty):
    runtime.desk.claim(session, case=case, officer=on_duty)
    runtime.desk.resolve(session, case=case, officer=on_duty)
    session.commit()
    chat.say("没解决")
    runtime.desk.claim(session, case=case, officer=on_duty)
    runtime.desk.resolve(session, case=case, officer=on_duty)
    session.commit()
    assert citizen_sees(chat).count(texts.FEEDBACK_QUESTION) == 1


def test_every_action_is_on_the_audit_trail_with_who_and_when(runtime, session, case, on_duty):
    runtime.desk.claim(session, case=case, officer=on_duty)
    runtime.desk.reply(session, case=case, officer=on_duty, text="您好")
    runtime.desk.note(session, case=case, officer=on_duty, text="已查")
    runtime.desk.resolve(session, case=case, officer=on_duty)
    session.commit()
    events = case_store.events(session, case_id=case.id)
    assert [e.kind for e in events] == ["opened", "claimed", "officer_reply", "note", "resolved"]
    assert {e.actor for e in events[1:]} == {f"officer:{on_duty.username}"}
    assert all(e.created_at.tzinfo is not None for e in events)


def test_the_audit_trail_cannot_be_changed(session, case):
    event = case_store.events(session, case_id=case.id)[0]
    event.kind = "something else"
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()
    session.delete(case_store.events(session, case_id=case.id)[0])
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()


def test_a_callback_is_closed_by_the_officer_who_called(runtime, session, chat):
    chat.say("找人工")  # nobody on duty
    chat.say("1")
    chat.say("13812345678")
    [callback] = callback_store.listed(session)
    officer = make_officer(session)
    runtime.desk.close_callback(session, callback=callback, officer=officer, reached=True)
    session.commit()
    assert (callback.status, callback.done_by) == ("done", officer.id)
    assert kinds(session, chat.case)[-2:] == ["callback_booked", "callback_done"]
    with pytest.raises(CaseError):
        runtime.desk.close_callback(session, callback=callback, officer=officer, reached=False)
