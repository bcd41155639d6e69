"""`citizen-help purge --older-than DAYS` on a real SQLite file: old words go, recent ones stay; --dry-run counts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from assistant import migrate
from assistant.cli import app
from assistant.purge import PURGED
from assistant.settings import get_settings
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import Message
from assistant.store.types import utcnow
from tests.utils import records


@pytest.fixture
def database(cli):
    """A citizen who asked ten days ago and one who asked an hour ago."""
    url = get_settings().effective_database_url
    migrate.upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        for text, at in (("我电话13912345678", utcnow() - dt.timedelta(days=10)), ("养老金怎么领", utcnow())):
            conversation = records.conversation(session, at=at)
            records.asked(session, conversation, text, at=at, action="answer", label="pension-claim")
        session.commit()
    yield sessions
    engine.dispose()


def said(sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(Message.text).order_by(Message.id)))


def test_purge_clears_what_is_older_than_the_days_given(cli, database):
    result = cli.invoke(app, ["purge", "--older-than", "7"])
    assert result.exit_code == 0, result.output
    assert "cleared" in result.output and "1 messages" in result.output
    assert said(database) == [PURGED, "养老金怎么领"]


def test_a_dry_run_counts_and_changes_nothing(cli, database):
    result = cli.invoke(app, ["purge", "--older-than", "7", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would clear" in result.output and "1 messages" in result.output
    assert said(database) == ["我电话13912345678", "养老金怎么领"]


def test_the_days_must_be_given(cli):
    assert cli.invoke(app, ["purge"]).exit_code == 2
