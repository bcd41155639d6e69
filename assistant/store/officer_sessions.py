"""Staff sessions in the database (assistant/staff_sessions.py's store when Redis is not configured). Each call is
its own short transaction: a login must not wait for, or be undone with, the request's other work."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session, sessionmaker

from assistant.staff_sessions import SessionRecord
from assistant.store.db import changed
from assistant.store.models import OfficerSession


class DatabaseSessionStore:
    def __init__(self, sessions: sessionmaker[Session]):
        self._sessions = sessions

    def add(self, key_hash: str, record: SessionRecord, *, ttl: dt.timedelta) -> None:
        with self._sessions.begin() as session:
            session.add(OfficerSession(key_hash=key_hash, officer_id=record.officer_id, csrf_token=record.csrf_token,
                                       stamp=record.stamp, created_at=record.created_at,
                                       last_seen_at=record.last_seen_at))

    def get(self, key_hash: str) -> SessionRecord | None:
        with self._sessions() as session:
            row = session.get(OfficerSession, key_hash)
            if row is None:
                return None
            return SessionRecord(officer_id=row.officer_id, csrf_token=row.csrf_token, stamp=row.stamp,
                                 created_at=row.created_at, last_seen_at=row.last_seen_at)

    def touch(self, key_hash: str, *, at: dt.datetime, ttl: dt.timedelta) -> None:
        with self._sessions.begin() as session:
            session.execute(update(OfficerSession).where(OfficerSession.key_hash == key_hash)
                            .values(last_seen_at=at))

    def remove(self, key_hash: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(OfficerSession).where(OfficerSession.key_hash == key_hash))

    def remove_officer(self, officer_id: int) -> int:
        with self._sessions.begin() as session:
            result = session.execute(delete(OfficerSession).where(OfficerSession.officer_id == officer_id))
        return changed(result)

    def prune(self, *, seen_before: dt.datetime, created_before: dt.datetime) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(OfficerSession).where(or_(OfficerSession.last_seen_at < seen_before,
                                                             OfficerSession.created_at < created_before)))

    def close(self) -> None:  # the engine belongs to the runtime
        return None
