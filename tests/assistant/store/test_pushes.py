"""Pending pushes: a message for a Telegram chat is kept until delivered, tried again after a growing pause, and a
conversation's messages leave one at a time in the order written."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.store import citizens, conversations, pushes
from assistant.store.models import Conversation

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
GRACE = dt.timedelta(seconds=30)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def chat(db) -> Conversation:
    return conversations.start(db, identity=citizens.identify(db, channel="telegram", external_id="42"))


@pytest.fixture
def push(db, chat):
    """An officer's message written at `at` and kept as a pending push; returns its id."""
    def pushed(at: dt.datetime, conversation: Conversation = chat) -> int:
        message = conversations.add_message(db, conversation=conversation, role="officer", text="您好")
        message.created_at = at
        db.flush()
        pushes.add(db, message=message, channel="telegram")
        db.commit()
        return message.id

    return pushed


def due_ids(db, now: dt.datetime) -> list[int]:
    return [p.message_id for p in pushes.due(db, channel="telegram", now=now, grace=GRACE)]


def test_a_message_never_tried_is_left_to_its_live_delivery_for_the_grace(db, push):
    message_id = push(NOW)
    assert due_ids(db, NOW + GRACE - SECOND) == []
    assert due_ids(db, NOW + GRACE) == [message_id]


def test_each_failure_doubles_the_pause_up_to_half_an_hour(db, push):
    message_id = push(NOW)
    pauses = []
    for _ in range(8):
        pending = pushes.failed(db, message_id=message_id, error="Bad Gateway", now=NOW, first_pause=GRACE)
        pauses.append(int((pending.due_at - NOW).total_seconds()))
    assert pauses == [30, 60, 120, 240, 480, 960, 1800, 1800]
    assert pending.attempts == 8 and pending.last_error == "Bad Gateway"
    assert due_ids(db, NOW + dt.timedelta(minutes=29)) == []
    assert due_ids(db, NOW + dt.timedelta(minutes=30)) == [message_id]


def test_only_the_earliest_pending_message_of_a_conversation_is_due(db, push, chat):
    first, second = push(NOW), push(NOW + SECOND)
    elsewhere = conversations.start(db, identity=chat.identity)
    other = push(NOW + 2 * SECOND, elsewhere)
    later = NOW + dt.timedelta(minutes=5)
    assert due_ids(db, later) == [first, other]
    pushes.remove(db, message_id=first)
    assert due_ids(db, later) == [second, other]
    assert pushes.earliest(db, conversation_id=chat.id).message_id == second


def test_a_failure_for_a_message_no_longer_pending_changes_nothing(db, push, chat):
    message_id = push(NOW)
    pushes.remove(db, message_id=message_id)
    assert pushes.failed(db, message_id=message_id, error="x", now=NOW, first_pause=GRACE) is None
    assert pushes.earliest(db, conversation_id=chat.id) is None


def test_a_pending_push_is_taken_by_one_sender_only(db, push):
    message_id = push(NOW)
    [seen] = pushes.due(db, channel="telegram", now=NOW + GRACE, grace=GRACE)
    held_until = NOW + dt.timedelta(minutes=15)
    assert pushes.take(db, message_id=message_id, seen_due_at=seen.due_at, until=held_until)
    assert not pushes.take(db, message_id=message_id, seen_due_at=seen.due_at, until=held_until)
    assert due_ids(db, NOW + dt.timedelta(minutes=10)) == []  # held, though never tried


def test_old_ones_are_found_and_forgotten(db, push):
    old, recent = push(NOW - dt.timedelta(days=8)), push(NOW)
    week_ago = NOW - dt.timedelta(days=7)
    assert pushes.older_than(db, before=week_ago) == [old]
    assert pushes.forget(db, before=week_ago) == 1
    assert due_ids(db, NOW + dt.timedelta(days=1)) == [recent]
