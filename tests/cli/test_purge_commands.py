"""`citizen-help purge --older-than DAYS` on a real database: old words go, recent ones stay; --dry-run counts;
whatever DAYS says, nothing personal older than PERSONAL_DATA_MAX_DAYS stays, open case or not."""

from __future__ import annotations

import contextlib
import datetime as dt
import json

import pytest
from sqlalchemy import inspect, select, text

from assistant import migrate, views
from assistant.cases import Desk
from assistant.purge import FORGOTTEN, PURGED
from assistant.settings import get_settings
from assistant.store import cases
from assistant.store import pushes as push_store
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import Callback, Case, CaseEvent, ChannelIdentity, Message, PendingPush
from assistant.store.types import utcnow
from cli import app
from tests.utils import records
from tests.utils.factories import make_officer


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


# --- the hard maximum: PERSONAL_DATA_MAX_DAYS (365 by default), whatever the case status ---

PHONE, NOTE = "13912345678", "老人耳背，住三楼东户"


@pytest.fixture
def unresolved_a_year_ago(cli):
    """400 days ago a citizen gave their phone, asked for a person and was promised a callback; an officer wrote a
    note and handed the case back to the queue with another; nobody ever resolved it. A message for their Telegram
    chat never got through."""
    url = get_settings().effective_database_url
    migrate.upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    then = utcnow() - dt.timedelta(days=400)
    desk = Desk(get_settings(), {}, clock=lambda: then)
    with sessions() as session:
        conversation = records.conversation(session, channel="telegram", at=then)
        conversation.updated_at = conversation.citizen.created_at = then
        conversation.citizen.phone = PHONE
        conversation.state = {"last": [{"text": f"您的电话是{PHONE}", "kind": "system"}]}
        said = records.asked(session, conversation, f"我电话{PHONE}，找人工", at=then, action="human")
        case = desk.open_case(session, conversation=conversation, reason="asked", priority=0, service_id=None)
        case.created_at = then
        officer = make_officer(session)
        desk.book_callback(session, case=case, phone=PHONE)
        desk.claim(session, case=case, officer=officer)
        desk.note(session, case=case, officer=officer, text=NOTE)
        desk.hand_over(session, case=case, officer=officer, to=None, note=f"{NOTE}，再打一次")
        push_store.add(session, message=said, channel="telegram")
        for row in [*session.scalars(select(Message)), *session.scalars(select(PendingPush))]:
            row.created_at = then  # what the desk told the citizen was said then too
        session.commit()
    yield sessions
    engine.dispose()


def readable(value: object) -> str:
    """JSON columns come back from SQLite as text with \\u escapes: read them, so their words show too."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        with contextlib.suppress(ValueError):
            return json.dumps(json.loads(value), ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, default=str)


def everything_stored(sessions) -> str:
    """Every value of every row of every table, as text (in a stable order): personal data anywhere in the
    database shows here."""
    with sessions() as session:
        tables = inspect(session.connection()).get_table_names()
        return "\n".join(sorted(" ".join(readable(value) for value in row) for table in tables
                                for row in session.execute(text(f'SELECT * FROM "{table}"'))))


def test_an_unresolved_case_older_than_the_maximum_keeps_no_personal_data(cli, unresolved_a_year_ago):
    assert PHONE in everything_stored(unresolved_a_year_ago) and NOTE in everything_stored(unresolved_a_year_ago)
    result = cli.invoke(app, ["purge", "--older-than", "30"])
    assert result.exit_code == 0, result.output
    stored = everything_stored(unresolved_a_year_ago)
    assert PHONE not in stored and PHONE[-4:] not in stored and "老人耳背" not in stored
    with unresolved_a_year_ago() as session:
        assert session.scalars(select(Case.status)).all() == ["waiting"]  # the case itself stays, still open
        identities = session.scalars(select(ChannelIdentity.external_id)).all()
        assert all(i.startswith(FORGOTTEN) for i in identities) and not session.scalars(select(PendingPush)).all()


def test_a_notes_words_are_gone_and_the_trail_still_verifies(cli, unresolved_a_year_ago):
    assert cli.invoke(app, ["purge", "--older-than", "30"]).exit_code == 0
    verified = cli.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0 and verified.output.startswith("OK: ")
    with unresolved_a_year_ago() as session:
        [redacted] = session.scalars(select(CaseEvent).where(CaseEvent.kind == "redacted")).all()
        assert redacted.actor == "purge" and redacted.detail["by"] == "citizen-help purge --older-than 30"
        noted = session.scalars(select(CaseEvent.id).where(CaseEvent.kind.in_(("note", "handed_over")))
                                .order_by(CaseEvent.id)).all()  # in id order: an index on kind returns them by kind
        assert redacted.detail["texts"] == noted
        assert [views.case_event(e)["detail"].get("text") for e in cases.events(session, case_id=1)
                if e.kind == "note"] == [views.CLEARED]


def test_a_pending_callbacks_number_is_cleared_and_the_trail_says_so(cli, unresolved_a_year_ago):
    assert cli.invoke(app, ["purge", "--older-than", "30"]).exit_code == 0
    with unresolved_a_year_ago() as session:
        [callback] = session.scalars(select(Callback)).all()
        assert (callback.phone, callback.status) == ("", "expired")
        [expired] = session.scalars(select(CaseEvent).where(CaseEvent.kind == "callback_expired")).all()
        assert expired.detail["callback_id"] == callback.id and expired.actor == "purge"


def test_days_beyond_the_maximum_are_brought_back_to_it(cli, unresolved_a_year_ago):
    result = cli.invoke(app, ["purge", "--older-than", "800"])
    assert result.exit_code == 0, result.output
    assert "beyond PERSONAL_DATA_MAX_DAYS=365" in result.output
    assert PHONE not in everything_stored(unresolved_a_year_ago)


def test_a_dry_run_past_the_maximum_counts_and_changes_nothing(cli, unresolved_a_year_ago):
    before = everything_stored(unresolved_a_year_ago)
    result = cli.invoke(app, ["purge", "--older-than", "30", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "2 officers' notes" in result.output and "1 pending callbacks given up" in result.output
    assert everything_stored(unresolved_a_year_ago) == before
