"""The one place that chooses where staff sessions are kept: both stores stand below it, beside the rules
(assistant/staff_sessions.py) they serve, so neither store imports the chooser."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from assistant.settings import Settings
from assistant.staff_sessions import SessionStore, StaffSessions


def make_session_store(settings: Settings, sessions: sessionmaker[Session]) -> SessionStore:
    """Redis when REDIS_URL is set (every worker sees every session), else the database's table."""
    if settings.redis_url:
        from assistant.redis_sessions import RedisSessionStore  # redis is an optional dependency, needed only here

        return RedisSessionStore(settings.redis_url)
    from assistant.store.officer_sessions import DatabaseSessionStore

    return DatabaseSessionStore(sessions)


def make_staff_sessions(settings: Settings, sessions: sessionmaker[Session]) -> StaffSessions:
    return StaffSessions(make_session_store(settings, sessions), idle=dt.timedelta(minutes=settings.staff_idle_minutes),
                         lifetime=dt.timedelta(hours=settings.staff_session_hours))
