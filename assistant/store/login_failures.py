"""Failed staff logins, kept a short while so supervisors see bursts; old rows go as new ones come."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from assistant.store.models import LoginFailure

KEEP = dt.timedelta(days=30)
# A flood of failures from many addresses must not fill the disk: only the newest this many are kept.
KEEP_ROWS = 100_000


@dataclass(frozen=True)
class Tally:
    key: str  # a name as typed (masked), or an address
    count: int
    last_at: dt.datetime
    known: bool | None = None  # for a name: whether an officer has it


def add(session: Session, *, username: str, known: bool, address: str, at: dt.datetime) -> None:
    row = LoginFailure(username=username, known=known, address=address, created_at=at)
    session.add(row)
    session.flush()
    session.execute(delete(LoginFailure).where(or_(LoginFailure.created_at < at - KEEP,
                                                   LoginFailure.id <= row.id - KEEP_ROWS)))


def by_name(session: Session, *, since: dt.datetime, limit: int = 50) -> list[Tally]:
    """Per name as typed, the most recently failing first."""
    last = func.max(LoginFailure.created_at)
    rows = session.execute(select(LoginFailure.username, LoginFailure.known, func.count(), last)
                           .where(LoginFailure.created_at >= since).group_by(LoginFailure.username, LoginFailure.known)
                           .order_by(last.desc(), LoginFailure.username).limit(limit))
    return [Tally(name, n, at, known) for name, known, n, at in rows]


def by_address(session: Session, *, since: dt.datetime, limit: int = 50) -> list[Tally]:
    last = func.max(LoginFailure.created_at)
    rows = session.execute(select(LoginFailure.address, func.count(), last).where(LoginFailure.created_at >= since)
                           .group_by(LoginFailure.address).order_by(last.desc(), LoginFailure.address).limit(limit))
    return [Tally(address, n, at) for address, n, at in rows]


def count(session: Session, *, since: dt.datetime) -> int:
    return session.scalar(select(func.count()).select_from(LoginFailure)
                          .where(LoginFailure.created_at >= since)) or 0
