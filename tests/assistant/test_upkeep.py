"""`serve` enforces PERSONAL_DATA_MAX_DAYS by itself: the day's purge runs once a day for all workers, clears what
is older than the maximum whatever the case status, logs what it cleared and the trail's newest event."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from sqlalchemy import select

from assistant import audit
from assistant.purge import PURGED
from assistant.store.models import Message
from assistant.upkeep import purge_if_due
from bench.backlog import seed

HOUR = dt.timedelta(hours=1)


def test_the_days_purge_runs_once_a_day(runtime, clock):
    now = clock()
    seed(runtime.sessions, 100, at=now - dt.timedelta(days=400))
    first = purge_if_due(runtime.sessions, runtime.settings, now)
    assert first is not None and first.messages == 100 and first.notes == 5 and first.expired == 5
    assert purge_if_due(runtime.sessions, runtime.settings, now + HOUR) is None  # another worker, an hour later
    seed(runtime.sessions, 10, at=now - dt.timedelta(days=400))
    again = purge_if_due(runtime.sessions, runtime.settings, now + 25 * HOUR)
    assert again is not None and again.messages == 10


def test_only_what_is_older_than_the_maximum_goes(runtime, clock):
    now, days = clock(), runtime.settings.personal_data_max_days
    seed(runtime.sessions, 10, at=now - dt.timedelta(days=days, hours=1))
    seed(runtime.sessions, 10, at=now - dt.timedelta(days=days - 1))
    purge_if_due(runtime.sessions, runtime.settings, now)
    with runtime.sessions() as session:
        texts = session.scalars(select(Message.text).order_by(Message.id)).all()
        assert texts[:10] == [PURGED] * 10 and PURGED not in texts[10:]
        assert audit.verify(session).broken is None


def test_it_logs_what_it_cleared_and_an_anchor_for_the_trail(runtime, clock, caplog):
    seed(runtime.sessions, 20, at=clock() - dt.timedelta(days=400))
    with caplog.at_level(logging.INFO, logger="citizen_help.upkeep"):
        purge_if_due(runtime.sessions, runtime.settings, clock())
    cleared, anchor = (r.getMessage() for r in caplog.records)
    assert "20 messages" in cleared and "PERSONAL_DATA_MAX_DAYS=365" in cleared
    with runtime.sessions() as session:
        verdict = audit.verify(session)
    assert anchor.endswith(f"{verdict.head_id}:{verdict.head_hash}")


def test_a_purge_told_to_stop_ends_between_batches(runtime, clock):
    seed(runtime.sessions, 100, at=clock() - dt.timedelta(days=400))
    stop = threading.Event()
    stop.set()  # the service is shutting down
    stopped = purge_if_due(runtime.sessions, runtime.settings, clock(), stop)
    assert stopped is not None and (stopped.batches, stopped.rows()) == (0, 0)
