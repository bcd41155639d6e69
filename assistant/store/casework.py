"""What the staff console reads: a citizen's messages on every channel, their earlier cases, the day's callbacks,
citizens' messages by id (for the knowledge gaps)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from assistant.store.models import Callback, Case, Conversation, Message


def messages_across_channels(session: Session, *, citizen_id: int, limit: int = 300) -> list[tuple[Message, str]]:
    """The citizen's latest messages on every channel, oldest first, each with its channel."""
    query = (select(Message, Conversation.channel).join(Conversation, Message.conversation_id == Conversation.id)
             .where(Conversation.citizen_id == citizen_id).order_by(Message.id.desc()).limit(limit))
    return [(message, channel) for message, channel in reversed(session.execute(query).all())]


def earlier_cases(session: Session, *, case: Case, limit: int = 20) -> list[Case]:
    """The same citizen's other cases, newest first."""
    query = (select(Case).where(Case.citizen_id == case.citizen_id, Case.id != case.id)
             .order_by(Case.created_at.desc(), Case.id.desc()).limit(limit))
    return list(session.scalars(query))


def callbacks_of_the_day(session: Session, *, day_start: dt.datetime, day_end: dt.datetime) -> list[Callback]:
    """Pending callbacks due before the day ends (overdue ones too), and those closed during the day."""
    query = (select(Callback).where(or_(
        (Callback.status == "pending") & (Callback.due_at < day_end),
        (Callback.status != "pending") & (Callback.done_at >= day_start) & (Callback.done_at < day_end)))
        .order_by(Callback.due_at, Callback.id))
    return list(session.scalars(query))


def citizen_messages(session: Session, *, ids: list[int]) -> list[Message]:
    """Those of these messages that citizens wrote."""
    return list(session.scalars(select(Message).where(Message.id.in_(ids), Message.role == "citizen")
                                .order_by(Message.id)))
