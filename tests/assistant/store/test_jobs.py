"""A job run once a day for the whole deployment: of workers asking at the same moment, exactly one gets it."""

from __future__ import annotations

import datetime as dt
import threading

from assistant.store import jobs
from assistant.store.db import make_session_factory

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
WORKERS = 6


def test_of_workers_asking_at_once_exactly_one_gets_the_days_run(engine):
    sessions, barrier, got = make_session_factory(engine), threading.Barrier(WORKERS), []

    def worker(now: dt.datetime) -> None:
        with sessions() as session:
            barrier.wait(timeout=30)
            got.append(jobs.claim(session, name="purge", now=now, every=DAY))
            session.commit()

    for now in (NOW, NOW + dt.timedelta(hours=1), NOW + DAY):  # the first ever, an hour later, a day later
        threads = [threading.Thread(target=worker, args=(now,)) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert [sum(got[i:i + WORKERS]) for i in range(0, 3 * WORKERS, WORKERS)] == [1, 0, 1]


def test_jobs_are_claimed_each_for_themselves(db):
    assert jobs.claim(db, name="purge", now=NOW, every=DAY)
    assert jobs.claim(db, name="another", now=NOW, every=DAY)
    assert not jobs.claim(db, name="purge", now=NOW + DAY - dt.timedelta(seconds=1), every=DAY)
