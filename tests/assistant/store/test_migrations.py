"""The checked-in migrations build exactly the schema the models describe, on SQLite and PostgreSQL; revision 0006
chains an existing audit trail once."""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select

from assistant import audit, migrate, views
from assistant.store import cases, search_index
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import Base, Case, CaseEvent, CaseEventText, Citizen, Conversation

MINUTE = dt.timedelta(minutes=1)


def test_upgrade_builds_the_models_schema(db_url):
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            # The search indexes are the database's own kinds (FTS5, pg_trgm, expressions): not in the models.
            context = MigrationContext.configure(connection, opts={
                "include_name": lambda name, kind, parent: not search_index.is_search_object(name)})
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_upgrade_twice_is_harmless_and_downgrade_removes_everything(db_url):
    migrate.upgrade(db_url)
    migrate.upgrade(db_url)
    command.downgrade(migrate.alembic_config(db_url), "base")
    engine = make_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()


def test_existing_events_are_chained_once_and_their_words_moved_out(db_url):
    """A trail written before revision 0006: notes kept their words in the event. After the upgrade the chain
    verifies, the words live beside the events (what staff read is unchanged) and no event holds them."""
    command.upgrade(migrate.alembic_config(db_url), "0003")
    at = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
    old_details = [("opened", {"reason": "asked", "priority": 0}), ("note", {"text": "儿子电话139****5678"}),
                   ("handed_over", {"to": "liming", "note": "社保的事他熟"}),
                   ("handed_over", {"to": None, "note": None}), ("resolved", {"note": "已回电"}), ("resolved", {})]
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(Citizen.__table__).values(id=1, created_at=at))
            connection.execute(insert(Conversation.__table__).values(id="c1", citizen_id=1, channel="web", state={},
                                                                     created_at=at, updated_at=at))
            connection.execute(insert(Case.__table__).values(id=1, conversation_id="c1", citizen_id=1,
                                                             status="resolved", priority=0, reason="asked",
                                                             summary={}, feedback_asked=False, created_at=at))
            for n, (kind, detail) in enumerate(old_details):
                connection.execute(insert(CaseEvent.__table__).values(case_id=1, kind=kind, actor="officer:wangfang",
                                                                      detail=detail, created_at=at + n * MINUTE))
        migrate.upgrade(db_url)
        with make_session_factory(engine)() as session:
            assert audit.verify(session).events == len(old_details)
            assert audit.verify(session).broken is None
            shown = [views.case_event(e)["detail"] for e in cases.events(session, case_id=1)]
            assert shown == [{"reason": "asked", "priority": 0}, {"text": "儿子电话139****5678"},
                             {"to": "liming", "note": "社保的事他熟"}, {"to": None}, {"note": "已回电"}, {}]
            stored = [e.detail for e in cases.events(session, case_id=1)]
            assert stored == [{"reason": "asked", "priority": 0}, {}, {"to": "liming"}, {"to": None}, {}, {}]
            assert session.scalar(select(func.count()).select_from(CaseEventText)) == 3
    finally:
        engine.dispose()
    migrate.upgrade(db_url)  # once: a second upgrade changes nothing
    command.downgrade(migrate.alembic_config(db_url), "0003")  # and back: the words return into their events
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            details = connection.execute(select(CaseEvent.__table__.c.detail).order_by(CaseEvent.__table__.c.id))
            assert [d for (d,) in details][1:3] == [{"text": "儿子电话139****5678"},
                                                    {"to": "liming", "note": "社保的事他熟"}]
    finally:
        engine.dispose()
