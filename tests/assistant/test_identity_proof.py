"""A citizen is one person across channels only on proof: a number typed into a conversation is a callback number
for that case, never a key to someone else's history."""

from __future__ import annotations

from assistant.store import callbacks as callback_store
from tests.utils.chat import Chat
from tests.utils.factories import make_officer
from tests.utils.phone import Caller

PHONE = "13812345678"


def _victim(runtime, session) -> Caller:
    """A caller known by the number the carrier vouched for, with an ID number in an earlier case."""
    caller = Caller(runtime, session, phone=PHONE)
    caller.say("我的身份证号是110101195001011234，想换身份证")
    caller.say("人工")
    return caller


def test_a_number_typed_for_a_callback_books_the_callback_and_joins_nobody(runtime, session):
    victim = _victim(runtime, session)
    stranger = Chat(runtime, session, sender="stranger")
    stranger.say("找人工")  # nobody on duty: a callback is offered
    stranger.say("1")
    stranger.say(PHONE)

    assert [c.phone for c in callback_store.for_case(session, case_id=stranger.case.id)] == [PHONE]
    assert stranger.case.citizen_id != victim.case.citizen_id
    assert stranger.case.summary["earlier"] == []


def test_a_number_typed_later_by_the_true_owner_does_not_join_them_either(runtime, session):
    """Even the right person typing their own number proves nothing: it could have been anyone."""
    victim = _victim(runtime, session)
    web = Chat(runtime, session, sender="same-person-maybe")
    web.say("找人工")
    web.say("1")
    web.say(f"我的电话是{PHONE}")

    assert web.case.citizen_id != victim.case.citizen_id


def test_a_stranger_who_typed_the_number_gets_no_earlier_history_on_a_later_case(runtime, session):
    victim = _victim(runtime, session)
    stranger = Chat(runtime, session, sender="stranger")
    stranger.say("找人工")
    stranger.say("1")
    stranger.say(PHONE)
    runtime.desk.resolve(session, case=stranger.case, officer=_supervisor(session))
    session.commit()

    later = Chat(runtime, session, sender="stranger")
    later.say("人工")
    assert all(e["channel"] == "test" for e in later.case.summary["earlier"])
    assert victim.case.citizen_id != later.case.citizen_id


def _supervisor(session):
    return make_officer(session, name="李主任", role="supervisor")
