"""The supervisor's board: who is on duty and how many cases each holds, the citizens waiting longest, and the
callbacks at risk (overdue, or due soon). A few small statements, each through an index."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.store.models import Callback, Case, Officer

OLDEST_SHOWN = 5
AT_RISK_SHOWN = 20


@dataclass(frozen=True)
class OfficerLoad:
    officer: Officer
    claimed: int


@dataclass(frozen=True)
class Board:
    officers: list[OfficerLoad]  # on duty or holding cases; on duty first, busiest first
    waiting: int
    urgent_waiting: int
    oldest: list[Case]  # waiting longest first (emergencies are on top of the queue, but not here)
    at_risk: list[Callback]  # pending, due before `soon`, soonest first


def board(session: Session, *, soon: dt.datetime) -> Board:
    held: dict[int | None, int] = {officer_id: n for officer_id, n in session.execute(
        select(Case.claimed_by, func.count()).where(Case.status == "claimed").group_by(Case.claimed_by))}
    officers = [o for o in session.scalars(select(Officer).where(Officer.disabled_at.is_(None)))
                if o.on_duty or held.get(o.id)]
    loads = sorted((OfficerLoad(o, int(held.get(o.id, 0))) for o in officers),
                   key=lambda load: (not load.officer.on_duty, -load.claimed, load.officer.name))
    waiting = session.execute(select(func.count(), func.count().filter(Case.priority > 0))
                              .where(Case.status == "waiting")).one()
    oldest = list(session.scalars(select(Case).where(Case.status == "waiting")
                                  .order_by(Case.created_at, Case.id).limit(OLDEST_SHOWN)))
    at_risk = list(session.scalars(select(Callback).where(Callback.status == "pending", Callback.due_at <= soon)
                                   .order_by(Callback.due_at).limit(AT_RISK_SHOWN)))
    return Board(loads, int(waiting[0]), int(waiting[1] or 0), oldest, at_risk)
