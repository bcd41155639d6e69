"""Jobs run once a day for the whole deployment, whichever worker gets there first (scheduled_jobs)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.store.models import ScheduledJob


def claim(session: Session, *, name: str, now: dt.datetime, every: dt.timedelta) -> bool:
    """True for one caller only, if the job last started `every` ago or more (or never), and now starts; commits.
    One conditional UPDATE: two workers asking at once cannot both get it, on SQLite or PostgreSQL."""
    session.commit()
    taken = session.execute(update(ScheduledJob).where(ScheduledJob.name == name,
                                                       ScheduledJob.started_at <= now - every)
                            .values(started_at=now).execution_options(synchronize_session=False)).rowcount
    if taken:
        session.commit()
        return True
    if session.get(ScheduledJob, name) is not None:
        session.rollback()
        return False
    session.add(ScheduledJob(name=name, started_at=now))
    try:
        session.commit()
    except IntegrityError:  # another worker's first run, at the same moment
        session.rollback()
        return False
    return True
