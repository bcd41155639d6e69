"""Someone who holds the database itself: the SQLite file's owner, with a connection of their own (none of the
service's settings), or PostgreSQL's superuser. They first switch the audit trail's refusals off, as they can."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SQLITE_TRIGGERS = ("case_events_no_update", "case_events_no_delete", "case_events_no_replace")

Execute = Callable[[str], None]


@contextmanager
def sqlite_file(url: str) -> Iterator[sqlite3.Connection]:
    """A plain connection to the file, as `sqlite3 data/citizen-help.db` opens it: autocommit, default pragmas."""
    connection = sqlite3.connect(make_url(url).database, isolation_level=None)
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def attacker(url: str) -> Iterator[Execute]:
    """Runs each statement given, with the trail's triggers off; they are left off (the attacker does not care)."""
    if make_url(url).get_backend_name() == "sqlite":
        with sqlite_file(url) as connection:
            for trigger in SQLITE_TRIGGERS:
                connection.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            yield lambda sql: connection.execute(sql) and None
        return
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE case_events DISABLE TRIGGER ALL"))
            connection.execute(text("ALTER TABLE case_event_texts DISABLE TRIGGER ALL"))
            yield lambda sql: connection.execute(text(sql)) and None
    finally:
        engine.dispose()
