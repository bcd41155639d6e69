"""The case event log is append-only in the database itself: no code path, ORM or raw SQL, changes or removes an
event, on a schema made by create_all and on one made by the migrations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, text, update
from sqlalchemy.exc import DatabaseError

from assistant import migrate
from assistant.store import cases, citizens, conversations
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import Base, CaseEvent

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
