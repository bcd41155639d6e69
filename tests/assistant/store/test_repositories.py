"""Repositories on a real database: what goes in comes out, in the right order, with the right types."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from assistant.store import callbacks, cases, citizens, conversations, officers
from assistant.store.models import Case, ChannelIdentity, Conversation, Message
from assistant.store.types import utcnow


@pytest.fixture
def conversation(db):
    identity = citizens.identify(db, channel="web", external_id="browser-1")
    conversation = conversations.start(db, identity=identity)
    db.commit()
    return conversation


@pytest.fixture
def officer(db):
    officer = officers.create(db, username="wangfang", name="王芳", role="officer", password_hash="x", on_duty=True)
    db.commit()
    return officer


def open_case(db, conversation, priority: int = 0):
    case = cases.create(db, conversation=conversation, reason="asked", priority=priority, service_id=None, summary={})
    db.commit()
    return case


def test_a_channel_identity_leads_to_the_same_citizen(db):
    first = citizens.identify(db, channel="telegram", external_id="42")
    again = citizens.identify(db, channel="telegram", external_id="42")
    other = citizens.identify(db, channel="telegram", external_id="43")
    assert first.citizen_id == again.citizen_id != other.citizen_id
    assert first.proof == "first_contact"


def test_a_join_moves_the_whole_citizen_and_is_recorded(db, conversation):
    caller = citizens.identify(db, channel="phone", external_id="13812345678")
    case, before = open_case(db, conversation), conversation.citizen_id

    link = citizens.join(db, identity=conversation.identity, into=caller.citizen, proof="telegram_contact",
                         detail={"phone": "138****5678"}, at=utcnow())
    db.commit()

    assert db.get(Conversation, conversation.id).citizen_id == caller.citizen_id
    assert db.get(Case, case.id).citizen_id == caller.citizen_id
    assert (link.from_citizen_id, link.citizen_id, link.moved) == (before, caller.citizen_id,
                                                                    [conversation.identity_id])
    assert db.get(ChannelIdentity, conversation.identity_id).proof == "telegram_contact"


def test_undoing_a_join_puts_everything_back_and_says_who(db, conversation):
    caller = citizens.identify(db, channel="phone", external_id="13812345678")
    case, before = open_case(db, conversation), conversation.citizen_id
    link = citizens.join(db, identity=conversation.identity, into=caller.citizen, proof="link_code", detail={},
                         at=utcnow())
    supervisor = officers.create(db, username="li", name="李主任", role="supervisor", password_hash="x")

    citizens.undo(db, link=link, officer=supervisor, at=utcnow())
    db.commit()

    assert db.get(Conversation, conversation.id).citizen_id == before == db.get(Case, case.id).citizen_id
    assert (link.undone_by, link.undone_at is not None) == (supervisor.id, True)
    assert db.get(ChannelIdentity, conversation.identity_id).proof == "undone"


def test_one_identity_per_channel_and_id(db):
    identity = citizens.identify(db, channel="web", external_id="dup")
    db.add(ChannelIdentity(citizen=identity.citizen, channel="web", external_id="dup"))
    with pytest.raises(IntegrityError):
        db.flush()


def test_messages_come_back_in_order_with_their_meta(db, conversation):
    for n in range(3):
        conversations.add_message(db, conversation=conversation, role="citizen", text=f"第{n}句",
                                  meta={"choices": [{"key": "1", "label": "要带什么材料"}]})
    db.commit()
    rows = conversations.messages(db, conversation_id=conversation.id)
    assert [m.text for m in rows] == ["第0句", "第1句", "第2句"]
    assert rows[0].meta["choices"][0]["label"] == "要带什么材料"
    assert [m.text for m in conversations.messages(db, conversation_id=conversation.id, after_id=rows[0].id)] == \
        ["第1句", "第2句"]
    assert conversations.citizen_texts(db, conversation_id=conversation.id, limit=2) == ["第1句", "第2句"]


def test_text_of_any_kind_round_trips(db, conversation):
    awkward = "<script>alert(1)</script>'; DROP TABLE messages; -- 😀 \ufffd 身份證"
    conversations.add_message(db, conversation=conversation, role="citizen", text=awkward)
    db.commit()
    assert conversations.messages(db, conversation_id=conversation.id)[-1].text == awkward


def test_the_dialogue_state_is_saved_as_json(db, conversation):
    conversations.save_state(db, conversation=conversation, state={"guide": "id-card-renewal", "misses": 1})
    db.commit()
    db.expire_all()
    assert conversations.get(db, conversation_id=conversation.id).state == {"guide": "id-card-renewal", "misses": 1}


def test_the_latest_conversation_of_a_citizen(db, conversation):
    newer = conversations.start(db, identity=conversation.identity)
    db.commit()
    assert conversations.latest(db, identity_id=conversation.identity_id).id == newer.id


def test_the_queue_is_most_urgent_first_then_first_come(db, conversation):
    first, second, urgent = open_case(db, conversation), open_case(db, conversation), open_case(db, conversation, 10)
    assert [c.id for c in cases.waiting(db)] == [urgent.id, first.id, second.id]


def test_status_changes_and_counts(db, conversation, officer):
    case = open_case(db, conversation)
    now = dt.datetime.now(dt.UTC)
    cases.set_status(db, case=case, status="claimed", officer=officer, at=now)
    db.commit()
    assert cases.count_claimed(db) == 1
    assert cases.open_for_conversation(db, conversation_id=conversation.id).id == case.id
    cases.set_status(db, case=case, status="resolved", at=now + dt.timedelta(minutes=7))
    db.commit()
    assert cases.open_for_conversation(db, conversation_id=conversation.id) is None
    assert cases.last_resolved(db, conversation_id=conversation.id).id == case.id
    assert cases.handling_seconds(db, since=now - dt.timedelta(days=1)) == [420.0]


def test_times_come_back_aware_and_in_utc(db, conversation):
    case = open_case(db, conversation)
    beijing = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    cases.set_status(db, case=case, status="resolved", at=beijing)
    db.commit()
    db.expire_all()
    assert cases.get(db, case_id=case.id).resolved_at == dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)


def test_case_events_are_kept_in_order(db, conversation, officer):
    case = open_case(db, conversation)
    cases.add_event(db, case=case, kind="opened", actor="citizen")
    cases.add_event(db, case=case, kind="claimed", actor="officer:wangfang", officer=officer, detail={"a": 1})
    db.commit()
    events = cases.events(db, case_id=case.id)
    assert [(e.kind, e.officer_id, e.detail) for e in events] == [("opened", None, {}),
                                                                   ("claimed", officer.id, {"a": 1})]


def test_callbacks_are_listed_soonest_first(db, conversation, officer):
    case = open_case(db, conversation)
    now = dt.datetime.now(dt.UTC)
    later = callbacks.create(db, case=case, phone="13812345678", due_at=now + dt.timedelta(hours=2))
    sooner = callbacks.create(db, case=case, phone="13812345678", due_at=now + dt.timedelta(hours=1))
    db.commit()
    assert [c.id for c in callbacks.listed(db)] == [sooner.id, later.id]
    callbacks.close(db, callback=sooner, status="done", officer=officer, at=now)
    db.commit()
    assert [c.id for c in callbacks.listed(db)] == [later.id]
    assert [c.id for c in callbacks.listed(db, status="done")] == [sooner.id]


def test_officers_on_duty_and_unique_usernames(db, officer):
    officers.create(db, username="liming", name="李明", role="supervisor", password_hash="x")
    db.commit()
    assert officers.count_on_duty(db) == 1
    officers.set_on_duty(db, officer=officer, on_duty=False)
    assert officers.count_on_duty(db) == 0
    with pytest.raises(ValueError):
        officers.create(db, username="x", name="x", role="boss", password_hash="x")
    with pytest.raises(IntegrityError):
        officers.create(db, username="wangfang", name="另一个王芳", role="officer", password_hash="x")


def test_foreign_keys_are_enforced(db):
    db.add(Message(conversation_id="does-not-exist", role="citizen", text="x", meta={}))
    with pytest.raises(IntegrityError):
        db.flush()
