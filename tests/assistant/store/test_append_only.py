"""The case event log is append-only in the database itself: no code path, ORM or raw SQL, changes or removes an
event, on a schema made by create_all and on one made by the migrations; nor does SQL typed into a connection of
one's own (SQLite's INSERT OR REPLACE, PostgreSQL's TRUNCATE). What a role that does not own the table may do
is in tests/cli/test_db_commands.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, text, update
from sqlalchemy.exc import DatabaseError

from assistant import migrate
from assistant.store import cases, citizens, conversations
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import Base, CaseEvent
from tests.utils.tamper import sqlite_file

CHANGES = {
    "raw update": text("UPDATE case_events SET kind = 'forged'"),
    "raw delete": text("DELETE FROM case_events"),
    "bulk update": update(CaseEvent).values(actor="officer:someone-else"),
    "bulk delete": delete(CaseEvent),
}


@pytest.fixture(params=["create_all", "migrations"])
def logged(request: pytest.FixtureRequest, db_url: str) -> Iterator[Engine]:
    """A fresh database with one case and one event, its schema made one way or the other."""
    engine = make_engine(db_url)
    if request.param == "create_all":
        Base.metadata.create_all(engine)
    else:
        migrate.upgrade(db_url)
    with make_session_factory(engine)() as session:
        identity = citizens.identify(session, channel="web", external_id="b1")
        case = cases.create(session, conversation=conversations.start(session, identity=identity),
                            reason="asked", priority=0, service_id=None, summary={})
        cases.add_event(session, case=case, kind="opened", actor="citizen")
        session.commit()
    yield engine
    engine.dispose()


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_the_database_refuses_to_change_or_remove_an_event(logged, change):
    with make_session_factory(logged)() as session:
        with pytest.raises(DatabaseError, match="append-only"):
            session.execute(change)
        session.rollback()
        assert [(e.kind, e.actor) for e in session.query(CaseEvent)] == [("opened", "citizen")]


def test_adding_events_still_works(logged):
    with make_session_factory(logged)() as session:
        case = cases.get(session, case_id=1)
        cases.add_event(session, case=case, kind="note", actor="officer:wangfang", detail={"text": "已回电"})
        session.commit()
        assert [e.kind for e in cases.events(session, case_id=1)] == ["opened", "note"]


def only_on(engine: Engine, backend: str) -> None:
    if engine.dialect.name != backend:
        pytest.skip(f"{backend} only")


def forged_copy(connection: sqlite3.Connection, verb: str, **changed: str) -> str:
    """`<verb> INTO case_events (every column) SELECT (every column, some changed) FROM case_events WHERE id = 1`."""
    columns = [row[1] for row in connection.execute("PRAGMA table_info(case_events)")]
    values = [f"'{changed[c]}'" if c in changed else c for c in columns]
    return f"{verb} INTO case_events ({', '.join(columns)}) SELECT {', '.join(values)} FROM case_events WHERE id = 1"


def trail_rows(connection: sqlite3.Connection) -> list[tuple]:
    return connection.execute("SELECT * FROM case_events ORDER BY id").fetchall()


SQLITE_ATTACKS = {
    "insert or replace": lambda c: forged_copy(c, "INSERT OR REPLACE", kind="forged"),
    "replace": lambda c: forged_copy(c, "REPLACE", actor="officer:someone-else"),
    "upsert": lambda c: forged_copy(c, "INSERT") + " ON CONFLICT(id) DO UPDATE SET kind = 'forged'",
    "update": lambda c: "UPDATE case_events SET kind = 'forged'",
    "delete": lambda c: "DELETE FROM case_events",
}


@pytest.mark.parametrize("attack", SQLITE_ATTACKS.values(), ids=SQLITE_ATTACKS.keys())
def test_sql_typed_into_the_sqlite_file_cannot_rewrite_an_event(logged, attack):
    """A connection of one's own to the file (default pragmas, no recursive triggers): REPLACE deletes the row it
    replaces without firing delete triggers; the insert trigger refuses it first."""
    only_on(logged, "sqlite")
    with sqlite_file(str(logged.url)) as connection:
        before = trail_rows(connection)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute(attack(connection))
        assert trail_rows(connection) == before


def test_replace_cannot_take_another_events_place_in_the_chain(logged):
    """A new id, but the place in the chain (the unique prev_hash) of event 1: REPLACE would delete event 1."""
    only_on(logged, "sqlite")
    with sqlite_file(str(logged.url)) as connection:
        before = trail_rows(connection)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute(forged_copy(connection, "INSERT OR REPLACE", id="2", kind="forged"))
        assert trail_rows(connection) == before


def test_the_services_own_connections_fire_delete_triggers_on_replace(logged):
    only_on(logged, "sqlite")
    with logged.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA recursive_triggers").scalar() == 1


@pytest.mark.parametrize("statement", ["TRUNCATE case_events CASCADE", "TRUNCATE cases, case_events CASCADE",
                                       "TRUNCATE cases CASCADE"])
def test_even_the_tables_owner_cannot_truncate_the_trail(logged, statement):
    """The test connects as PostgreSQL's superuser, more than the owner: truncating is refused all the same."""
    only_on(logged, "postgresql")
    with make_session_factory(logged)() as session:
        with pytest.raises(DatabaseError, match="append-only"):
            session.execute(text(statement))
        session.rollback()
        assert [(e.kind, e.actor) for e in session.query(CaseEvent)] == [("opened", "citizen")]
