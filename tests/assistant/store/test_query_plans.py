"""The queries of the staff and public pages read the big tables through an index, never a whole table: SQLite's
EXPLAIN QUERY PLAN of every statement they run. On a seeded database of 1M messages a scan of messages costs
seconds; these plans are what keeps /api/stats, the knowledge gaps, the queue and a case's history in milliseconds
(bench/scale.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from assistant import gaps, stats
from assistant.store import callbacks as callback_store
from assistant.store import cases as case_store
from assistant.store import casework, history
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import Base
from assistant.store.types import utcnow

BIG = ("messages", "case_events", "cases", "callbacks", "conversations")
FULL_SCAN = re.compile(rf"^SCAN ({'|'.join(BIG)})\b")  # "SCAN t" or "SCAN t USING [COVERING] INDEX": every row
NOW = utcnow()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'plans.db'}")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def plans(engine: Engine, run: Callable[[Session], Any]) -> list[tuple[str, list[str]]]:
    """Each statement `run` executes, with the steps of its plan."""
    statements: list[tuple[str, Any]] = []

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with make_session_factory(engine)() as session:
            run(session)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    with engine.connect() as connection:
        return [(statement, [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                                                           parameters)])
                for statement, parameters in statements]


def used_indexes(found: list[tuple[str, list[str]]]) -> set[str]:
    return {m.group(1) for _, steps in found for step in steps for m in [re.search(r"INDEX (\w+)", step)] if m}


PAGES: dict[str, Callable[[Session], Any]] = {
    "/api/stats, every day counted": lambda s: stats.compute(s, now=NOW, zone=ZoneInfo("Asia/Shanghai"), titles={},
                                                              rollup=False),
    "/api/stats, from the stored days": lambda s: stats.compute(s, now=NOW, zone=ZoneInfo("Asia/Shanghai"),
                                                                 titles={}),
    "knowledge gaps": lambda s: gaps.unanswered(s, since=NOW - dt.timedelta(days=30)),
    "the queue": lambda s: case_store.waiting(s),
    "open cases": lambda s: case_store.listed(s, status="open"),
    "the wait estimate": lambda s: case_store.handling_seconds(s, since=NOW - dt.timedelta(hours=2)),
    "callbacks": lambda s: callback_store.listed(s, status="pending"),
    # Not here: the officer's callbacks of the day (pending or closed that day, one OR the other), which reads the
    # callbacks in due order through ix_callbacks_due_at; there is one for every sixth case or so.
    "a citizen's history": lambda s: history.other_conversations(s, citizen_id=1, exclude_id="x"),
    "a citizen's earlier visits": lambda s: history.latest_per_channel(s, citizen_id=1, exclude_channel="web"),
    "a citizen's words on every channel": lambda s: casework.messages_across_channels(s, citizen_id=1),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_no_page_reads_a_whole_big_table(engine, page):
    found = plans(engine, PAGES[page])
    assert found, "the page ran no query"
    scans = [(statement, steps) for statement, steps in found if any(FULL_SCAN.match(s) for s in steps)]
    assert scans == []


@pytest.mark.parametrize(("page", "index"), [
    ("/api/stats, every day counted", "ix_messages_role_created_at"),
    ("/api/stats, every day counted", "ix_case_events_kind_created_at"),
    ("/api/stats, every day counted", "ix_cases_created_at"),
    ("/api/stats, every day counted", "ix_callbacks_due_at"),
    ("knowledge gaps", "ix_messages_role_created_at"),
    ("the wait estimate", "ix_cases_status_resolved_at"),
    ("callbacks", "ix_callbacks_status_due_at"),
    ("a citizen's history", "ix_conversations_citizen_id_created_at"),
])
def test_the_pages_use_the_indexes_made_for_them(engine, page, index):
    assert index in used_indexes(plans(engine, PAGES[page]))
