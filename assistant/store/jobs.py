"""Jobs run once a day for the whole deployment, whichever worker gets there first (scheduled_jobs)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.store.db import changed
from assistant.store.models import ScheduledJob


def claim(session: Session, *, name: str, now: dt.datetime, every: dt.timedelta) -> bool:
    """True for one caller only, if the job last started `every` ago or more (or never), and now starts; the
    caller commits (until then the claim holds the row, so a second worker asking waits for the answer).
    One conditional UPDATE: two workers asking at once cannot both get it, on SQLite or PostgreSQL."""
    taken = changed(session.execute(update(ScheduledJob).where(ScheduledJob.name == name,
                                                               ScheduledJob.started_at <= now - every)
                                    .values(started_at=now).execution_options(synchronize_session=False)))
    if taken:
        return True
    if session.get(ScheduledJob, name) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(ScheduledJob(name=name, started_at=now))
    except IntegrityError:  # another worker's first run, at the same moment
        return False
    return True
