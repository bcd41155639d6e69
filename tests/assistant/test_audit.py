"""Walking the audit trail's hash chain finds the first broken link, whoever broke it: here someone who holds the
database itself (the SQLite file's owner, PostgreSQL's superuser) and first switched the trail's refusals off.

The trail: case A is opened (#1), claimed (#2), noted (#3, words), replied to (#4); case B is opened (#5), noted
(#6, words) and resolved (#7, words); case A is handed back to the queue (#8).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from assistant import audit, migrate
from assistant.store import trail
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import CaseEvent
from tests.utils.db import BACKENDS, database_url
from tests.utils.tamper import attacker
from tests.utils.trail import write_trail


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database_url(request.param, tmp_path) as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture
def sessions(url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        write_trail(session)
    yield sessions
    engine.dispose()


def verdict(sessions: sessionmaker[Session], **kwargs) -> audit.Verdict:
    with sessions() as session:
        return audit.verify(session, **kwargs)


def newest(sessions: sessionmaker[Session]) -> tuple[int, str]:
    found = verdict(sessions)
    assert found.broken is None and found.head_id is not None
    return found.head_id, found.head_hash


def test_an_intact_trail_verifies(sessions):
    found = verdict(sessions)
    assert (found.events, found.head_id, found.broken) == (8, 8, None)
    assert str(found).startswith("OK: 8 case events, chain intact; newest #8 ")


def test_the_words_stay_outside_the_chained_event(sessions, url):
    with sessions() as session:
        note = session.get(CaseEvent, 3)
        assert note.detail == {} and note.text_record.text == "儿子电话139****5678"
        assert note.text_hash == trail.text_hash(note.text_record.salt, "儿子电话139****5678")
        assert "儿子电话" not in session.scalar(text("SELECT CAST(detail AS TEXT) FROM case_events WHERE id = 3"))


def test_a_changed_event_is_named(sessions, url):
    with attacker(url) as run:
        run("UPDATE case_events SET actor = 'officer:someone-else' WHERE id = 4")
    with sessions() as session:
        assert session.get(CaseEvent, 4).actor == "officer:someone-else"  # the attack itself worked
    broken = verdict(sessions).broken
    assert (broken.event_id, broken.case_id, broken.problem) == (4, 1, audit.CONTENT_CHANGED)


def test_a_removed_event_is_named_by_the_one_after_it(sessions, url):
    with attacker(url) as run:
        run("DELETE FROM case_events WHERE id = 4")
    broken = verdict(sessions).broken
    assert (broken.event_id, broken.case_id, broken.problem) == (5, 2, audit.EVENT_MISSING)
    assert "after #2" not in broken.explanation and "after #3" in broken.explanation


def test_the_first_event_removed_is_noticed(sessions, url):
    with attacker(url) as run:
        run("DELETE FROM case_events WHERE id = 1")
    broken = verdict(sessions).broken
    assert (broken.event_id, broken.problem) == (2, audit.EVENT_MISSING)
    assert "the start of the trail" in broken.explanation


def test_two_events_swapped_break_the_order(sessions, url):
    with attacker(url) as run:
        for sql in ("UPDATE case_events SET id = 1000 WHERE id = 4", "UPDATE case_events SET id = 4 WHERE id = 5",
                    "UPDATE case_events SET id = 5 WHERE id = 1000"):
            run(sql)
    broken = verdict(sessions).broken
    assert (broken.event_id, broken.case_id, broken.problem) == (4, 2, audit.ORDER_BROKEN)
    assert "after event #5" in broken.explanation


def test_changed_words_do_not_match_their_commitment(sessions, url):
    with attacker(url) as run:
        run("UPDATE case_event_texts SET text = '市民态度恶劣' WHERE event_id = 6")
    broken = verdict(sessions).broken
    assert (broken.event_id, broken.case_id, broken.problem) == (6, 2, audit.TEXT_MISMATCH)


def test_words_removed_without_a_redaction_are_noticed(sessions, url):
    with attacker(url) as run:
        run("DELETE FROM case_event_texts WHERE event_id = 7")
    broken = verdict(sessions).broken
    assert (broken.event_id, broken.case_id, broken.problem) == (7, 2, audit.TEXT_MISSING)


def test_an_emptied_trail_is_noticed(sessions, url):
    with attacker(url) as run:
        run("DELETE FROM case_event_texts")
        run("DELETE FROM case_events")
    found = verdict(sessions)
    assert found.events == 0
    assert (found.broken.event_id, found.broken.case_id, found.broken.problem) == (None, 1, audit.EVENT_MISSING)


def test_the_newest_event_removed_is_caught_by_an_anchor(sessions, url):
    anchor = newest(sessions)
    with attacker(url) as run:
        run("DELETE FROM case_events WHERE id = 8")
    assert verdict(sessions).broken is None  # the chain alone cannot see its end cut off
    broken = verdict(sessions, anchor=anchor).broken
    assert (broken.event_id, broken.problem) == (8, audit.ANCHOR_LOST)


def test_a_trail_chained_anew_is_caught_by_an_anchor(sessions, url):
    """The attacker changes #2 and writes every later hash again with the project's own code."""
    anchor = newest(sessions)
    with sessions() as session:
        rows = list(session.scalars(select(CaseEvent).order_by(CaseEvent.id)))
        session.expunge_all()
    rows[1].actor = "officer:someone-else"
    prev = rows[0].event_hash
    with attacker(url) as run:
        for row in rows[1:]:
            row.event_hash = trail.content_hash(row, prev_hash=prev)
            run(f"UPDATE case_events SET actor = '{row.actor}', prev_hash = '{prev}', event_hash = '{row.event_hash}'"
                f" WHERE id = {row.id}")
            prev = row.event_hash
    assert verdict(sessions).broken is None
    broken = verdict(sessions, anchor=anchor).broken
    assert (broken.event_id, broken.problem) == (8, audit.ANCHOR_LOST)
