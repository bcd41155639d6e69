"""Canned replies: kept by supervisors, inserted by officers from the reply box."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.store.models import CannedReply, Officer


def all_replies(session: Session) -> list[CannedReply]:
    return list(session.scalars(select(CannedReply).order_by(CannedReply.title)))


def get(session: Session, *, reply_id: int) -> CannedReply | None:
    return session.get(CannedReply, reply_id)


def create(session: Session, *, title: str, text: str, officer: Officer) -> CannedReply:
    reply = CannedReply(title=title, text=text, created_by=officer.id)
    session.add(reply)
    session.flush()
    return reply


def remove(session: Session, *, reply: CannedReply) -> None:
    session.delete(reply)
    session.flush()
