"""Staff console sessions kept on the server, after Django's SessionStore: the browser holds only a random key, the
server keeps who is logged in, the session's CSRF token and when it began and was last used, under a hash of the key.

One interface, two stores, chosen in one factory (assistant/session_stores.py): a database table
(assistant/store/officer_sessions.py), or Redis when REDIS_URL is set (assistant/redis_sessions.py). Ending a
session, or all of an officer's, takes effect on the very next request. A session ends by itself after a while
without use, and in any case some hours after the login.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from assistant.store.types import utcnow

# Last-seen is written at most this often: a console's every request must not be a database write.
TOUCH_EVERY = dt.timedelta(minutes=1)
_KEY_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")  # what token_urlsafe(32) makes; anything else is not looked up


class SessionsUnavailable(RuntimeError):
    """The store cannot be reached (Redis down): nobody can be told they are logged in, or that they are not."""


@dataclass(frozen=True)
class SessionRecord:
    officer_id: int
    csrf_token: str
    stamp: str  # assistant.auth.session_stamp of the officer at login
    created_at: dt.datetime
    last_seen_at: dt.datetime


class SessionStore(Protocol):
    def add(self, key_hash: str, record: SessionRecord, *, ttl: dt.timedelta) -> None: ...

    def get(self, key_hash: str) -> SessionRecord | None: ...

    def touch(self, key_hash: str, *, at: dt.datetime, ttl: dt.timedelta) -> None:
        """Last seen now; does nothing to a session that has already gone."""

    def remove(self, key_hash: str) -> None: ...

    def remove_officer(self, officer_id: int) -> int:
        """Ends every session of the officer; how many there were."""

    def prune(self, *, seen_before: dt.datetime, created_before: dt.datetime) -> None:
        """Forgets sessions that have expired (a store whose entries expire by themselves may do nothing)."""

    def close(self) -> None: ...


def hash_key(key: str) -> str:
    """What the store keeps instead of the key: the key has 256 random bits, so a plain hash cannot be reversed."""
    return hashlib.sha256(key.encode()).hexdigest()


class StaffSessions:
    """The rules over a store: a new random key at every login, expiry when idle and at the latest after
    `lifetime`, last-seen renewed by use (at most once a minute)."""

    def __init__(self, store: SessionStore, *, idle: dt.timedelta, lifetime: dt.timedelta,
                 clock: Callable[[], dt.datetime] = utcnow):
        self.store = store
        self.idle = idle
        self.lifetime = lifetime
        self.clock = clock

    def start(self, *, officer_id: int, stamp: str) -> tuple[str, SessionRecord]:
        """A new session: its key (for the cookie only; never stored) and what the server keeps."""
        now = self.clock()
        self.store.prune(seen_before=now - self.idle, created_before=now - self.lifetime)
        key = secrets.token_urlsafe(32)
        record = SessionRecord(officer_id=officer_id, csrf_token=secrets.token_urlsafe(32), stamp=stamp,
                               created_at=now, last_seen_at=now)
        self.store.add(hash_key(key), record, ttl=self._ttl(record, now))
        return key, record

    def find(self, key: str, *, renew: bool = True) -> SessionRecord | None:
        """The live session of this key, or None. renew=False looks without counting it as use (a live stream)."""
        if not _KEY_SHAPE.match(key):
            return None
        key_hash, now = hash_key(key), self.clock()
        record = self.store.get(key_hash)
        if record is None:
            return None
        if self._expired(record, now):
            self.store.remove(key_hash)
            return None
        if renew and now - record.last_seen_at >= TOUCH_EVERY:
            record = replace(record, last_seen_at=now)
            self.store.touch(key_hash, at=now, ttl=self._ttl(record, now))
        return record

    def end(self, key: str) -> None:
        if _KEY_SHAPE.match(key):
            self.store.remove(hash_key(key))

    def end_officer(self, officer_id: int) -> int:
        return self.store.remove_officer(officer_id)

    def _expired(self, record: SessionRecord, now: dt.datetime) -> bool:
        return now - record.last_seen_at >= self.idle or now - record.created_at >= self.lifetime

    def _ttl(self, record: SessionRecord, now: dt.datetime) -> dt.timedelta:
        """How long a store that expires entries by itself should keep this one."""
        return max(dt.timedelta(seconds=1), min(record.last_seen_at + self.idle, record.created_at + self.lifetime)
                   - now)
