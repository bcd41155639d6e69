"""The public figures' daily rollup: an ended day is counted once and stored; today, and the time to reach a person
for a day whose cases still wait, are counted at every computation; the result is what counting every day gives."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from assistant import stats
from assistant.store.models import StatsDay
from tests.utils import records
from tests.utils.factories import make_officer

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=BEIJING)
MINUTE = dt.timedelta(minutes=1)


def figures(session, kb, *, now: dt.datetime = NOW, rollup: bool = True) -> dict:
    titles = {gid: g.title for gid, g in kb.guides.items()}
    return stats.compute(session, now=now.astimezone(dt.UTC), zone=BEIJING, titles=titles, rollup=rollup)


def asks(session, *, at: dt.datetime, n: int = 6, action: str = "answer") -> list:
    conversations = [records.conversation(session, at=at) for _ in range(n)]
    for k, conversation in enumerate(conversations):
        records.asked(session, conversation, "身份证怎么换", at=at + k * MINUTE, action=action,
                      label="id-card-renewal", confidence=0.9)
    return conversations


@pytest.fixture
def month(session):
    """Questions on three days of the window, five cases taken and resolved two days ago, and yesterday one case
    still waiting."""
    officer = make_officer(session)
    for days_ago in (12, 2, 1):
        asks(session, at=NOW - dt.timedelta(days=days_ago))
    two_days_ago = NOW - dt.timedelta(days=2)
    for n, conversation in enumerate(asks(session, at=two_days_ago, n=5, action="not_understood")):
        case = records.case_opened(session, conversation, at=two_days_ago + n * MINUTE)
        records.event(session, case, "claimed", at=two_days_ago + (n + 2) * MINUTE, officer=officer)
        records.event(session, case, "resolved", at=two_days_ago + (n + 9) * MINUTE, officer=officer)
    waiting = records.case_opened(session, asks(session, at=NOW - dt.timedelta(days=1), n=1)[0],
                                  at=NOW - dt.timedelta(days=1))
    session.commit()
    return {"officer": officer, "waiting": waiting}


def test_the_rollup_gives_what_counting_every_day_gives(session, kb, month):
    assert figures(session, kb) == figures(session, kb, rollup=False)
    assert figures(session, kb) == figures(session, kb, rollup=False)  # read back from the stored days


def test_an_ended_day_is_counted_once(session, kb, month, monkeypatch):
    figures(session, kb)
    assert session.scalar(select(func.count()).select_from(StatsDay)) == 29  # every day of the window but today
    counted = []
    real = stats.count_day
    monkeypatch.setattr(stats, "count_day", lambda s, w, date: counted.append(date) or real(s, w, date))
    figures(session, kb)
    assert counted == [NOW.date()]


def test_today_is_counted_at_every_computation(session, kb, month):
    before = figures(session, kb)["series"]["questions"][-1]
    asks(session, at=NOW - 30 * MINUTE)
    session.commit()
    assert (before, figures(session, kb)["series"]["questions"][-1]) == (0, 6)


def test_a_case_taken_the_next_day_still_counts_for_the_day_it_was_opened(session, kb, month):
    """Yesterday is stored while one of its cases still waits; that case is taken this morning, 23 hours on: its
    time to reach a person counts for yesterday. A day's reach is counted again until none of its cases waits."""
    first = figures(session, kb)
    yesterday = first["days"].index((NOW - dt.timedelta(days=1)).date().isoformat())
    records.event(session, month["waiting"], "claimed", at=NOW - 60 * MINUTE, officer=month["officer"])
    month["waiting"].status = "claimed"
    session.commit()
    then = figures(session, kb)
    assert then == figures(session, kb, rollup=False)
    row = session.scalar(select(StatsDay).where(StatsDay.day == (NOW - dt.timedelta(days=1)).date()))
    assert row.figures["reach"] == [23 * 3600.0]  # final now, stored with the day
    assert first["series"]["cases_opened"][yesterday] == then["series"]["cases_opened"][yesterday] == "<5"


def test_a_day_is_stored_only_a_while_after_it_ended(session, kb, month):
    figures(session, kb, now=dt.datetime(2026, 11, 24, 0, 5, tzinfo=BEIJING))
    assert session.scalar(select(func.max(StatsDay.day))) == dt.date(2026, 11, 22)  # not yet the 23rd
