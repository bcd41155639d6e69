"""Staff sessions in Redis (assistant/staff_sessions.py's store when REDIS_URL is set), so that every worker sees a
login and a logout at once. Each session is a hash under the hash of its key, expiring with the session; a set per
officer lists their sessions, so that a disabled officer's or a new password's sessions all end together.

Redis being unreachable is not taken for "nobody is logged in": the request gets a clear 503 (api/deps.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis
from redis.typing import EncodableT, FieldT

from assistant.staff_sessions import SessionRecord, SessionsUnavailable

TIMEOUT = 0.5  # seconds: a session check must not hold a request for long when Redis is away
# An officer's list of sessions outlives the longest session (STAFF_SESSION_HOURS is at most a week).
_OFFICER_LIST_SECONDS = 8 * 24 * 3600
_FIELDS = ("officer_id", "csrf_token", "stamp", "created_at", "last_seen_at")

# Renews a session that still exists; one that a logout removed meanwhile is not brought back half-made.
_TOUCH = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'last_seen_at', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

@contextmanager
def _reachable() -> Iterator[None]:
    try:
        yield
    except redis.RedisError as exc:
        raise SessionsUnavailable(f"staff sessions unavailable, Redis error: {exc}") from exc


def _text(value: bytes | str) -> str:
    """What the client gives back as str (it decodes responses), typed as the client's stubs allow either."""
    return value.decode() if isinstance(value, bytes) else value


def _ms(ttl: dt.timedelta) -> int:
    return max(1000, int(ttl.total_seconds() * 1000))


class RedisSessionStore:
    def __init__(self, url: str, *, prefix: str = "citizen-help:"):
        self._prefix = prefix
        self._client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT,
                                            decode_responses=True)
        self._touch: Callable[..., object] = self._client.register_script(_TOUCH)

    def _session(self, key_hash: str) -> str:
        return f"{self._prefix}staff-session:{key_hash}"

    def _officer(self, officer_id: int) -> str:
        return f"{self._prefix}staff-sessions:officer:{officer_id}"

    def add(self, key_hash: str, record: SessionRecord, *, ttl: dt.timedelta) -> None:
        mapping: dict[FieldT, EncodableT] = {
            "officer_id": str(record.officer_id), "csrf_token": record.csrf_token, "stamp": record.stamp,
            "created_at": record.created_at.isoformat(), "last_seen_at": record.last_seen_at.isoformat()}
        officer = self._officer(record.officer_id)
        with _reachable():
            self._forget_ended(officer)
            with self._client.pipeline() as pipe:
                pipe.hset(self._session(key_hash), mapping=mapping)
                pipe.pexpire(self._session(key_hash), _ms(ttl))
                pipe.sadd(officer, key_hash)
                pipe.expire(officer, _OFFICER_LIST_SECONDS)
                pipe.execute()

    def get(self, key_hash: str) -> SessionRecord | None:
        with _reachable():
            fields = {_text(k): _text(v) for k, v in self._client.hgetall(self._session(key_hash)).items()}
        if any(name not in fields for name in _FIELDS):
            return None
        return SessionRecord(officer_id=int(fields["officer_id"]), csrf_token=fields["csrf_token"],
                             stamp=fields["stamp"], created_at=dt.datetime.fromisoformat(fields["created_at"]),
                             last_seen_at=dt.datetime.fromisoformat(fields["last_seen_at"]))

    def touch(self, key_hash: str, *, at: dt.datetime, ttl: dt.timedelta) -> None:
        with _reachable():
            self._touch(keys=[self._session(key_hash)], args=[at.isoformat(), _ms(ttl)])

    def remove(self, key_hash: str) -> None:
        with _reachable():
            self._client.delete(self._session(key_hash))

    def remove_officer(self, officer_id: int) -> int:
        officer = self._officer(officer_id)
        with _reachable():
            hashes = [_text(h) for h in self._client.smembers(officer)]
            removed = self._client.delete(*[self._session(h) for h in hashes]) if hashes else 0
            self._client.delete(officer)
        return int(removed)

    def prune(self, *, seen_before: dt.datetime, created_before: dt.datetime) -> None:
        return None  # each session expires by itself (its TTL)

    def _forget_ended(self, officer: str) -> None:
        """Drops sessions that expired from the officer's list, which would otherwise only grow."""
        hashes = [_text(h) for h in self._client.smembers(officer)]
        if not hashes:
            return
        with self._client.pipeline(transaction=False) as pipe:
            for key_hash in hashes:
                pipe.exists(self._session(key_hash))
            alive = pipe.execute()
        ended = [h for h, exists in zip(hashes, alive, strict=True) if not exists]
        if ended:
            self._client.srem(officer, *ended)

    def close(self) -> None:
        self._client.close()
