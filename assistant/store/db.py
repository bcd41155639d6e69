"""The database engine and the one session factory a process uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    # WAL lets the chat page read while a reply is being written; SQLite leaves foreign keys off unless asked.
    # Recursive triggers: a row that INSERT OR REPLACE deletes then fires the delete triggers (the audit trail's).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA recursive_triggers=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


# Connections one process keeps (and may add at peaks): two workers stay well inside PostgreSQL's default 100.
POOL_SIZE = 10
MAX_OVERFLOW = 10


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for a SQLite file (its folder made if missing) or any other SQLAlchemy URL."""
    parsed = make_url(url)
    in_memory = parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")
    if not in_memory:  # an in-memory SQLite database keeps its one connection
        kwargs = {"pool_size": POOL_SIZE, "max_overflow": MAX_OVERFLOW, **kwargs}
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if not in_memory:
        Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # Objects stay readable after commit: replies are built from rows that were just saved.
    return sessionmaker(engine, expire_on_commit=False)


def changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed: its result is a CursorResult, the one kind that counts them."""
    return cast(CursorResult[Any], result).rowcount
