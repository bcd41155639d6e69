"""The public figures, computed on a fixture whose answers are known: two busy days and a quiet one, in Beijing time.

Yesterday (23 Nov): 8 conversations asked one question each; 6 were answered, 2 missed (out of scope); 5 of them
(c4..c8) were handed to a person, who took 1, 2, 3, 4 and 10 minutes to take them; all 5 were resolved; 4 of 5 said
"solved"; 6 callbacks were due, 4 reached and 1 unanswered on the day, 1 never made.
The day before (22 Nov): 2 questions, answered: too few to publish. 40 days ago: out of the window.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from assistant import stats
from tests.utils import records
from tests.utils.factories import make_officer

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=BEIJING)  # Tuesday 10:00
YESTERDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=BEIJING)
MINUTE = dt.timedelta(minutes=1)
REACH_MINUTES = [1, 2, 3, 4, 10]


@pytest.fixture
def figures(session, kb):
    officer = make_officer(session)
    conversations = [records.conversation(session, at=YESTERDAY) for _ in range(8)]
    for n, conversation in enumerate(conversations):
        answered = n < 6
        records.asked(session, conversation, f"我电话1381234567{n}，身份证怎么换", at=YESTERDAY + n * MINUTE,
                      action="answer" if answered else "out_of_scope",
                      label="id-card-renewal" if answered else "out_of_scope", confidence=0.9)
    for n, (conversation, minutes) in enumerate(zip(conversations[3:], REACH_MINUTES, strict=True)):
        opened = YESTERDAY + dt.timedelta(hours=1, minutes=n)
        case = records.case_opened(session, conversation, at=opened)
        records.event(session, case, "claimed", at=opened + minutes * MINUTE, officer=officer)
        records.event(session, case, "claimed", at=opened + 30 * MINUTE, officer=officer)  # again later: not counted
        records.event(session, case, "resolved", at=opened + 40 * MINUTE, officer=officer)
        records.event(session, case, "feedback", at=opened + 41 * MINUTE, solved=n != 0)
        if n == 0:
            for due_minute, status in [(0, "done"), (10, "done"), (20, "done"), (30, "done"), (40, "missed"),
                                       (50, "pending")]:
                due = YESTERDAY + dt.timedelta(hours=5, minutes=due_minute)
                done = due + 5 * MINUTE if status != "pending" else None
                records.callback(session, case, due=due, status=status, done=done, officer=officer)
    quiet = records.conversation(session, at=YESTERDAY - dt.timedelta(days=1))
    for n in range(2):
        records.asked(session, quiet, "养老金怎么领", at=YESTERDAY - dt.timedelta(days=1) + n * MINUTE, action="answer",
                      label="pension-claim", confidence=0.9)
    old = records.conversation(session, at=NOW - dt.timedelta(days=40))
    records.asked(session, old, "很久以前的问题", at=NOW - dt.timedelta(days=40), action="not_understood")
    session.commit()
    titles = {gid: g.title for gid, g in kb.guides.items()}
    return stats.compute(session, now=NOW.astimezone(dt.UTC), zone=BEIJING, titles=titles)


def on(figures, day: str) -> dict:
    i = figures["days"].index(day)
    return {key: values[i] for key, values in figures["series"].items()}


def test_thirty_local_days_ending_today(figures):
    assert len(figures["days"]) == 30
    assert (figures["days"][0], figures["days"][-1]) == ("2026-10-26", "2026-11-24")


def test_a_busy_day(figures):
    assert on(figures, "2026-11-23") == {
        "questions": 8, "answered": 6, "without_person": 0.375,  # c1..c3 answered with nobody; 3 of 8
        "cases_opened": 5, "cases_resolved": 5,
        "reach_p50": 180, "reach_p90": 600,  # nearest rank over 60, 120, 180, 240, 600 seconds
        "callbacks_promised": 6, "callbacks_kept": 5, "solved_share": 0.8,
    }


def test_a_quiet_day_publishes_nothing_that_could_point_at_someone(figures):
    assert on(figures, "2026-11-22") == {
        "questions": "<5", "answered": "<5", "without_person": None, "cases_opened": 0, "cases_resolved": 0,
        "reach_p50": None, "reach_p90": None, "callbacks_promised": 0, "callbacks_kept": 0, "solved_share": None}


def test_totals_cover_the_window_only(figures):
    totals = figures["totals"]
    assert (totals["questions"], totals["answered"], totals["cases_opened"]) == (10, 8, 5)
    assert totals["without_person"] == 0.444  # conversation-days: 3 of 8 yesterday, 1 of 1 the day before
    assert (totals["reach_p50"], totals["reach_p90"], totals["solved_share"]) == (180, 600, 0.8)


def test_the_top_unanswered_topic_is_named_not_quoted(figures):
    assert figures["top_unanswered"] == [
        {"topic": "不在服务范围内的事", "count": "<5", "per_day": [0] * 28 + ["<5", 0]}]


def test_no_personal_data_leaves(figures):
    published = json.dumps(figures, ensure_ascii=False)
    assert "138" not in published and "身份证怎么换" not in published and "sender" not in published


@pytest.mark.parametrize(("n", "shown"), [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (120, 120)])
def test_small_counts_are_suppressed(n, shown):
    assert stats.count(n) == shown


def test_shares_and_times_need_five_people():
    assert stats.share(2, 4) is None and stats.share(2, 5) == 0.4
    assert stats.percentile([1, 2, 3, 4], 50) is None and stats.percentile([5, 1, 4, 2, 3], 90) == 5
