"""Staff sessions on the server, the same rules over both stores (the database's table, Redis): a new random key
per login, only its hash kept, expiry when idle and at the latest after the lifetime, last-seen renewed by use but
written at most once a minute, and an end that takes effect at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.redis_sessions import RedisSessionStore
from assistant.runtime import Runtime
from assistant.staff_sessions import SessionsUnavailable, StaffSessions, hash_key
from assistant.store.models import Officer, OfficerSession
from assistant.store.officer_sessions import DatabaseSessionStore
from tests.utils.clock import FakeClock
from tests.utils.factories import make_officer

IDLE, LIFETIME = dt.timedelta(minutes=30), dt.timedelta(hours=12)


class CountingStore:
    """A store that counts the writes that renew last-seen, around a real one."""

    def __init__(self, inner):
        self.inner, self.touches = inner, 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def touch(self, key_hash, *, at, ttl):
        self.touches += 1
        self.inner.touch(key_hash, at=at, ttl=ttl)


@pytest.fixture(params=["database", "redis"])
def store(request, runtime: Runtime) -> Iterator[CountingStore]:
    if request.param == "database":
        inner = DatabaseSessionStore(runtime.sessions)
    else:
        inner = RedisSessionStore(request.getfixturevalue("redis_url"), prefix=request.getfixturevalue("redis_prefix"))
    yield CountingStore(inner)
    inner.close()


@pytest.fixture
def sessions(store, clock: FakeClock) -> StaffSessions:
    return StaffSessions(store, idle=IDLE, lifetime=LIFETIME, clock=clock)


@pytest.fixture
def officers(session: Session) -> tuple[Officer, Officer]:
    return make_officer(session), make_officer(session)


def test_a_session_is_found_by_its_key_with_what_it_was_started_with(sessions, officers):
    key, started = sessions.start(officer_id=officers[0].id, stamp="s1")
    found = sessions.find(key)
    assert found == started and (found.officer_id, found.stamp) == (officers[0].id, "s1")
    assert len(found.csrf_token) >= 32


def test_every_login_gets_a_new_random_key_and_token(sessions, officers):
    first, second = sessions.start(officer_id=officers[0].id, stamp="s"), sessions.start(officer_id=officers[0].id,
                                                                                       stamp="s")
    assert first[0] != second[0] and first[1].csrf_token != second[1].csrf_token


def test_the_database_keeps_only_a_hash_of_the_key_and_the_hash_opens_nothing(runtime, officers, clock):
    sessions = StaffSessions(DatabaseSessionStore(runtime.sessions), idle=IDLE, lifetime=LIFETIME, clock=clock)
    key, _ = sessions.start(officer_id=officers[0].id, stamp="s")
    with runtime.sessions() as db:
        [row] = db.scalars(select(OfficerSession)).all()
    assert row.key_hash == hash_key(key) and key not in (row.key_hash, row.csrf_token, row.stamp)
    assert sessions.find(row.key_hash) is None
    assert sessions.find(row.csrf_token) is None


def test_an_idle_session_expires_and_is_removed(sessions, store, officers, clock):
    key, _ = sessions.start(officer_id=officers[0].id, stamp="s")
    clock.advance(minutes=29)
    assert sessions.find(key) is not None
    clock.advance(minutes=29)  # used 29 minutes ago: still alive
    assert sessions.find(key) is not None
    clock.advance(minutes=30)
    assert sessions.find(key) is None
    assert store.get(hash_key(key)) is None


def test_use_keeps_a_session_alive_until_its_lifetime_ends(sessions, officers, clock):
    key, _ = sessions.start(officer_id=officers[0].id, stamp="s")
    for _ in range(12 * 6 - 1):  # a request every ten minutes for a whole working day
        clock.advance(minutes=10)
        assert sessions.find(key) is not None
    clock.advance(minutes=10)
    assert sessions.find(key) is None


def test_last_seen_is_written_at_most_once_a_minute(sessions, store, officers, clock):
    key, _ = sessions.start(officer_id=officers[0].id, stamp="s")
    for _ in range(120):  # a busy console: a request every second for two minutes
        clock.advance(seconds=1)
        sessions.find(key)
    assert store.touches == 2


def test_looking_without_renewing_does_not_keep_an_idle_session_alive(sessions, officers, clock):
    """A live stream re-checks its session without counting as work."""
    key, _ = sessions.start(officer_id=officers[0].id, stamp="s")
    for _ in range(5):
        clock.advance(minutes=5)
        assert sessions.find(key, renew=False) is not None
    clock.advance(minutes=5)
    assert sessions.find(key, renew=False) is None


def test_an_ended_session_is_gone_at_once(sessions, officers):
    key, _ = sessions.start(officer_id=officers[0].id, stamp="s")
    sessions.end(key)
    assert sessions.find(key) is None


def test_ending_an_officers_sessions_ends_all_of_theirs_and_no_one_elses(sessions, officers):
    mine = [sessions.start(officer_id=officers[0].id, stamp="s")[0] for _ in range(3)]
    theirs = sessions.start(officer_id=officers[1].id, stamp="s")[0]
    assert sessions.end_officer(officers[0].id) == 3
    assert [sessions.find(key) for key in mine] == [None, None, None]
    assert sessions.find(theirs) is not None


def test_a_session_touched_after_it_ended_does_not_come_back(sessions, store, officers, clock):
    """A request that found the session just before a logout must not bring it back (Redis: half made)."""
    key, record = sessions.start(officer_id=officers[0].id, stamp="s")
    sessions.end(key)
    store.touch(hash_key(key), at=clock(), ttl=IDLE)
    assert store.get(hash_key(key)) is None


@pytest.mark.parametrize("key", ["", "x", "a" * 31, "a" * 65, "../../etc/passwd" + "a" * 20, "ä" * 40, "a b" * 15])
def test_keys_of_the_wrong_shape_are_not_looked_up(key):
    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError(f"the store was asked ({name}) about a key that cannot be one")

    sessions = StaffSessions(Untouchable(), idle=IDLE, lifetime=LIFETIME)  # type: ignore[arg-type]
    assert sessions.find(key) is None
    sessions.end(key)


def test_expired_sessions_leave_the_table_at_the_next_login(runtime, officers, clock):
    sessions = StaffSessions(DatabaseSessionStore(runtime.sessions), idle=IDLE, lifetime=LIFETIME, clock=clock)
    for _ in range(5):
        sessions.start(officer_id=officers[0].id, stamp="s")
    clock.advance(hours=1)
    sessions.start(officer_id=officers[1].id, stamp="s")
    with runtime.sessions() as db:
        assert db.scalar(select(func.count()).select_from(OfficerSession)) == 1


def test_redis_being_away_is_not_taken_for_logged_out(clock):
    sessions = StaffSessions(RedisSessionStore("redis://127.0.0.1:1/0"), idle=IDLE, lifetime=LIFETIME, clock=clock)
    with pytest.raises(SessionsUnavailable):
        sessions.find("a" * 43)
