"""Callbacks promised to citizens when nobody was on duty."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.store.models import Callback, Case, Officer


def create(session: Session, *, case: Case, phone: str, due_at: dt.datetime) -> Callback:
    callback = Callback(case_id=case.id, phone=phone, due_at=due_at, status="pending")
    session.add(callback)
    session.flush()
    return callback


def get(session: Session, *, callback_id: int) -> Callback | None:
    return session.get(Callback, callback_id)


def listed(session: Session, *, status: str | None = "pending") -> list[Callback]:
    query = select(Callback).order_by(Callback.due_at, Callback.id)
    if status is not None:
        query = query.where(Callback.status == status)
    return list(session.scalars(query))


def for_case(session: Session, *, case_id: int) -> list[Callback]:
    return list(session.scalars(select(Callback).where(Callback.case_id == case_id).order_by(Callback.id)))


def close(session: Session, *, callback: Callback, status: str, officer: Officer, at: dt.datetime) -> None:
    """status: done (the citizen was reached) or missed (no answer)."""
    callback.status, callback.done_by, callback.done_at = status, officer.id, at
    session.flush()
