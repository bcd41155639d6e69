"""The supervisor's board: loads per officer, the longest waits, the callbacks at risk."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.store import duty_board
from assistant.store.models import Callback
from tests.assistant.store.test_case_search import FULL_SCAN, NOW, _plans, make_case
from tests.utils.factories import make_officer


def test_the_board_shows_loads_waits_and_callbacks_at_risk(db):
    busy = make_officer(db, name="李明", on_duty=True)
    idle = make_officer(db, name="王芳", on_duty=True)
    away = make_officer(db, name="张强", on_duty=False)
    gone = make_officer(db, name="赵丽", on_duty=False)
    for _ in range(2):
        make_case(db, "办证", status="claimed", claimed_by=busy.id)
    make_case(db, "办证", status="claimed", claimed_by=away.id)  # off duty, still holding a case
    urgent = make_case(db, "着火了", priority=10, minutes_ago=1)
    oldest = make_case(db, "等了很久", minutes_ago=50)
    late, soon, later = (Callback(case_id=oldest.id, phone="13812345678", due_at=NOW + dt.timedelta(minutes=m))
                         for m in (-5, 20, 90))
    db.add_all([late, soon, later])
    db.commit()
    board = duty_board.board(db, soon=NOW + dt.timedelta(minutes=30))
    assert [(load.officer.name, load.claimed) for load in board.officers] == [("李明", 2), ("王芳", 0), ("张强", 1)]
    assert gone.id not in [load.officer.id for load in board.officers]
    assert idle.on_duty and (board.waiting, board.urgent_waiting) == (2, 1)
    assert [c.id for c in board.oldest] == [oldest.id, urgent.id]
    assert [c.id for c in board.at_risk] == [late.id, soon.id]


def test_the_board_reads_through_indexes(db, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's plans")
    make_case(db, "办证")
    steps = _plans(db, lambda: duty_board.board(db, soon=NOW))
    assert steps and [s for s in steps if FULL_SCAN.match(s)] == []
