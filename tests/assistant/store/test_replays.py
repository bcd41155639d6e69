"""Records of requests that take effect once, on a real database: the database itself refuses a second record of one
key, also when two requests race; a key reused for another request is refused; old records are forgotten."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.store import replays
from assistant.store.db import make_session_factory
from assistant.store.models import Replay
from assistant.store.types import utcnow

SCOPE, KEY = "web:0123456789abcdef0123456789abcdef", "8e03978e-40d5-43e8-bc93-6894a57f9324"


def count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Replay))


def test_a_record_is_found_by_its_key_with_what_it_stored(db):
    replays.record(db, scope=SCOPE, key=KEY, digest="d1", conversation_id="c" * 32, message_ids=[3, 4, 5])
    db.commit()
    found = replays.earlier(db, scope=SCOPE, key=KEY, digest="d1")
    assert (found.conversation_id, found.message_ids, found.done) == ("c" * 32, [3, 4, 5], True)
    assert replays.earlier(db, scope=SCOPE, key="another-key") is None
    assert replays.earlier(db, scope="web:other", key=KEY) is None


def test_the_database_itself_refuses_a_second_row_for_one_key(db):
    """Not only a lookup: a writer that skips it still cannot store the key twice."""
    db.add_all([Replay(scope=SCOPE, key=KEY), Replay(scope=SCOPE, key=KEY)])
    with pytest.raises(IntegrityError):
        db.flush()


def test_of_two_requests_racing_with_one_key_the_second_to_commit_is_told_so(engine):
    sessions = make_session_factory(engine)
    outcome: list[str] = []
    with sessions() as first:
        replays.record(first, scope=SCOPE, key=KEY)  # written, not yet committed

        def second_request() -> None:
            with sessions() as second:
                try:
                    replays.record(second, scope=SCOPE, key=KEY)  # waits for the first (row lock or write lock)
                    second.commit()
                    outcome.append("recorded too")
                except replays.AlreadyDone:
                    outcome.append("already done")

        racer = threading.Thread(target=second_request)
        racer.start()
        racer.join(timeout=0.5)  # still waiting on the first's uncommitted row
        first.commit()
        racer.join(timeout=10)
    assert outcome == ["already done"]
    with sessions() as db:
        assert count(db) == 1


def test_the_same_key_for_another_request_is_refused(db):
    replays.record(db, scope=SCOPE, key=KEY, digest="what was asked first")
    db.commit()
    with pytest.raises(replays.KeyReused):
        replays.earlier(db, scope=SCOPE, key=KEY, digest="something else")
    assert replays.earlier(db, scope=SCOPE, key=KEY, digest="what was asked first") is not None
    assert replays.earlier(db, scope=SCOPE, key=KEY) is not None  # no digest: not compared


def test_the_first_answer_kept_stays(db):
    replays.record(db, scope=SCOPE, key=KEY)
    replays.keep_answer(db, scope=SCOPE, key=KEY, answer="<Response>first</Response>")
    replays.keep_answer(db, scope=SCOPE, key=KEY, answer="<Response>second</Response>")
    db.commit()
    assert replays.earlier(db, scope=SCOPE, key=KEY).answer == "<Response>first</Response>"


def test_an_unfinished_claim_is_taken_over_only_once_it_is_stale(db):
    claim = replays.record(db, scope=SCOPE, key=KEY, done=False)
    db.commit()
    assert not replays.take_over(db, row=claim, stale_before=claim.claimed_at)  # still fresh
    assert replays.take_over(db, row=claim, stale_before=claim.claimed_at + dt.timedelta(seconds=1))
    db.commit()
    # a second request that read the same stale claim comes too late: it was claimed anew
    assert not replays.take_over(db, row=claim, stale_before=utcnow() + dt.timedelta(days=1))
    replays.finish(db, scope=SCOPE, key=KEY)
    db.commit()
    db.expire_all()
    fresh = replays.earlier(db, scope=SCOPE, key=KEY)
    assert fresh.done and not replays.take_over(db, row=fresh, stale_before=utcnow() + dt.timedelta(days=1))


def test_records_past_the_retention_are_forgotten_as_new_ones_are_written(db, monkeypatch):
    old = utcnow() - replays.RETENTION - dt.timedelta(minutes=1)
    db.add(Replay(scope=SCOPE, key="old-key-1", created_at=old, claimed_at=old))
    db.add(Replay(scope=SCOPE, key="recent-key", created_at=utcnow() - dt.timedelta(hours=1)))
    db.commit()
    monkeypatch.setattr(replays, "_next_sweep", 0.0)
    replays.record(db, scope=SCOPE, key=KEY)
    db.commit()
    assert sorted(db.scalars(select(Replay.key))) == sorted([KEY, "recent-key"])
