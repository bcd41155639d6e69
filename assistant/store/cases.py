"""Cases and their append-only events. Status changes go through here; the rules about them live in
assistant/cases.py."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import Label, func, literal_column, null, select, union_all
from sqlalchemy.orm import Session, joinedload

from assistant.store import trail
from assistant.store.models import Case, CaseEvent, Conversation, Officer
from assistant.store.types import OPEN_STATUSES, CaseStatus, utcnow

OPEN = OPEN_STATUSES


def create(session: Session, *, conversation: Conversation, reason: str, priority: int, service_id: str | None,
           summary: dict[str, Any]) -> Case:
    case = Case(conversation_id=conversation.id, citizen_id=conversation.citizen_id, status="waiting",
                priority=priority, reason=reason, service_id=service_id, summary=summary)
    session.add(case)
    session.flush()
    return case


def get(session: Session, *, case_id: int) -> Case | None:
    return session.get(Case, case_id)


def open_for_conversation(session: Session, *, conversation_id: str) -> Case | None:
    return session.scalar(select(Case).where(Case.conversation_id == conversation_id, Case.status.in_(OPEN))
                          .order_by(Case.id.desc()).limit(1))


def waiting(session: Session) -> list[Case]:
    """The queue, in the order officers should take it: most urgent first, then first come."""
    query = (select(Case).where(Case.status == "waiting").order_by(Case.priority.desc(), Case.created_at, Case.id)
             .options(joinedload(Case.conversation)))  # read for every waiting citizen's update: one query, not n
    return list(session.scalars(query))


class Waiting(NamedTuple):
    """A waiting case, as far as the queue needs it."""

    case_id: int
    conversation_id: str
    channel: str
    priority: int
    created_at: dt.datetime


class Queue(NamedTuple):
    waiting: list[Waiting]  # in the order officers should take them: most urgent first, then first come
    handled: list[float]  # seconds from claim to resolution, of the most recently resolved cases
    on_duty: int
    busy: int  # cases claimed right now


def queue(session: Session, *, since: dt.datetime, handled_limit: int = 20) -> Queue:
    """Everything the queue's places and waits rest on, in one statement: the waiting cases' few columns (through
    the status index), recent handling times, and how many officers are on duty and busy."""
    def kind(name: str) -> Label[str]:
        return literal_column(f"'{name}'").label("kind")

    waiting = (select(kind("waiting"), Case.id.label("case_id"), Case.conversation_id, Conversation.channel,
                      Case.priority.label("n"), Case.created_at.label("t1"), Case.resolved_at.label("t2"))
               .join(Conversation, Conversation.id == Case.conversation_id).where(Case.status == CaseStatus.WAITING))
    recent = (select(Case.claimed_at, Case.resolved_at)
              .where(Case.status == CaseStatus.RESOLVED, Case.resolved_at >= since, Case.claimed_at.is_not(None))
              .order_by(Case.resolved_at.desc()).limit(handled_limit).subquery())
    handled = select(kind("handled"), null(), null(), null(), null(), recent.c.claimed_at, recent.c.resolved_at)
    on_duty = (select(kind("on_duty"), null(), null(), null(), func.count(), null(), null())
               .select_from(Officer).where(Officer.on_duty.is_(True)))
    busy = (select(kind("busy"), null(), null(), null(), func.count(), null(), null())
            .select_from(Case).where(Case.status == CaseStatus.CLAIMED))
    rows = session.execute(union_all(waiting, handled, on_duty, busy)).all()
    found = Queue([], [], 0, 0)
    for row in rows:
        if row.kind == "waiting":
            found.waiting.append(Waiting(row.case_id, row.conversation_id, row.channel, row.n, row.t1))
        elif row.kind == "handled":
            found.handled.append((row.t2 - row.t1).total_seconds())
    counts = {row.kind: row.n or 0 for row in rows if row.kind in ("on_duty", "busy")}
    found.waiting.sort(key=lambda w: (-w.priority, w.created_at, w.case_id))
    return found._replace(on_duty=counts.get("on_duty", 0), busy=counts.get("busy", 0))


def listed(session: Session, *, status: str | None = None, limit: int = 200) -> list[Case]:
    query = select(Case).order_by(Case.priority.desc(), Case.created_at, Case.id).limit(limit)
    if status == "open":
        query = query.where(Case.status.in_(OPEN))
    elif status is not None:
        query = query.where(Case.status == status)
    return list(session.scalars(query))


def count_claimed(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Case).where(Case.status == "claimed")) or 0


def set_status(session: Session, *, case: Case, status: str, officer: Officer | None = None,
               at: dt.datetime | None = None) -> None:
    """waiting (officer cleared), claimed (by officer, at), resolved (at)."""
    case.status = status
    if status == "waiting":
        case.claimed_by, case.claimed_at, case.resolved_at = None, None, None
    elif status == "claimed":
        case.claimed_by, case.claimed_at = (officer.id if officer else None), at
    elif status == "resolved":
        case.resolved_at = at
    session.flush()


def set_priority(session: Session, *, case: Case, priority: int) -> None:
    case.priority = priority
    session.flush()


def mark_feedback_asked(session: Session, *, case: Case) -> None:
    case.feedback_asked = True
    session.flush()


def add_event(session: Session, *, case: Case, kind: str, actor: str, officer: Officer | None = None,
              detail: dict[str, Any] | None = None, at: dt.datetime | None = None,
              words: str | None = None) -> CaseEvent:
    """Append one line to the case's audit trail, chained to the trail when the session commits. There is
    deliberately no way to change or remove one. `words` (an officer's note) are kept beside the event, so that
    a purge can clear them (kinds in trail.TEXT_FIELDS)."""
    event = CaseEvent(case_id=case.id, kind=kind, actor=actor, officer_id=officer.id if officer else None,
                      detail=trail.plain(detail or {}), created_at=at or utcnow())
    if words is not None:
        trail.keep_text(event, words)
    trail.append(session, event)
    return event


def events(session: Session, *, case_id: int) -> list[CaseEvent]:
    """In order; those this session added and has not yet committed (so not yet chained) come last."""
    stored = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id))
    return [*stored, *(e for e in trail.pending(session) if e.case_id == case_id)]


def handling_seconds(session: Session, *, since: dt.datetime, limit: int = 20) -> list[float]:
    """How long officers took with recently resolved cases, from claim to resolution, newest first."""
    query = (select(Case.claimed_at, Case.resolved_at)
             .where(Case.status == "resolved", Case.resolved_at >= since, Case.claimed_at.is_not(None))
             .order_by(Case.resolved_at.desc()).limit(limit))
    return [(resolved - claimed).total_seconds() for claimed, resolved in session.execute(query)
            if claimed is not None and resolved is not None]  # the query leaves none out: for the type checker


def last_resolved(session: Session, *, conversation_id: str) -> Case | None:
    return session.scalar(select(Case).where(Case.conversation_id == conversation_id, Case.status == "resolved")
                          .order_by(Case.resolved_at.desc(), Case.id.desc()).limit(1))
