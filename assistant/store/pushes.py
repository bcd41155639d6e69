"""Messages waiting to reach a chat that shows only what is pushed to it (PendingPush rows). A conversation's
messages go in the order written: only the earliest pending one of a conversation is sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased, joinedload

from assistant.store.db import changed
from assistant.store.models import Message, PendingPush

LONGEST_PAUSE = dt.timedelta(minutes=30)

_WITH_MESSAGE = joinedload(PendingPush.message).joinedload(Message.officer)


def add(session: Session, *, message: Message, channel: str) -> PendingPush:
    """Kept from the message's own transaction until a delivery succeeds."""
    pending = PendingPush(message_id=message.id, conversation_id=message.conversation_id, channel=channel,
                          due_at=message.created_at, created_at=message.created_at)
    session.add(pending)
    session.flush()
    return pending


def earliest(session: Session, *, conversation_id: str) -> PendingPush | None:
    """The conversation's pending message to send next, if any."""
    return session.scalar(select(PendingPush).where(PendingPush.conversation_id == conversation_id)
                          .order_by(PendingPush.message_id).limit(1).options(_WITH_MESSAGE))


def due(session: Session, *, channel: str, now: dt.datetime, grace: dt.timedelta,
        limit: int = 100) -> list[PendingPush]:
    """The earliest pending message of each conversation, if due: one never tried is left `grace` for its live
    delivery, a failed one waits its pause. Oldest first."""
    untried = and_(PendingPush.attempts == 0, PendingPush.due_at <= now - grace)
    retry = and_(PendingPush.attempts > 0, PendingPush.due_at <= now)
    other = aliased(PendingPush)
    first = (select(func.min(other.message_id)).where(other.conversation_id == PendingPush.conversation_id)
             .scalar_subquery())
    query = (select(PendingPush)
             .where(PendingPush.channel == channel, or_(untried, retry), PendingPush.message_id == first)
             .order_by(PendingPush.message_id).limit(limit).options(_WITH_MESSAGE))
    return list(session.scalars(query))


def failing(session: Session, *, message_ids: Collection[int]) -> set[int]:
    """Those of the messages whose delivery failed and is being tried again: for the officer's view."""
    if not message_ids:
        return set()
    return set(session.scalars(select(PendingPush.message_id)
                               .where(PendingPush.message_id.in_(message_ids), PendingPush.attempts > 0)))


def take(session: Session, *, message_id: int, seen_due_at: dt.datetime, until: dt.datetime) -> bool:
    """For one sender only: true if the pending push was still as seen (due at `seen_due_at`), and is now held by
    the caller until `until`. Two processes sweeping at once cannot both take it."""
    held = session.execute(update(PendingPush).where(PendingPush.message_id == message_id,
                                                     PendingPush.due_at == seen_due_at)
                           .values(due_at=until).execution_options(synchronize_session=False))
    return changed(held) == 1


def remove(session: Session, *, message_id: int) -> int | None:
    """Delivered, or never deliverable. Returns how many tries had failed before (None: it was not pending)."""
    return session.execute(delete(PendingPush).where(PendingPush.message_id == message_id)
                           .returning(PendingPush.attempts)).scalar_one_or_none()


def failed(session: Session, *, message_id: int, error: str, now: dt.datetime,
           first_pause: dt.timedelta) -> PendingPush | None:
    """Try again after first_pause, then twice as long each time, at most LONGEST_PAUSE."""
    pending = session.scalar(select(PendingPush).where(PendingPush.message_id == message_id))
    if pending is None:
        return None
    pending.attempts += 1
    pending.due_at = now + min(first_pause * 2 ** (pending.attempts - 1), LONGEST_PAUSE)
    pending.last_error = error[:255]
    session.flush()
    return pending


def older_than(session: Session, *, before: dt.datetime) -> list[int]:
    """The message ids of those written before `before`."""
    return list(session.scalars(select(PendingPush.message_id).where(PendingPush.created_at < before)
                                .order_by(PendingPush.message_id)))


def forget(session: Session, *, before: dt.datetime) -> int:
    """Drops those written before `before` (given up on; or purged, their words being cleared)."""
    return changed(session.execute(delete(PendingPush).where(PendingPush.created_at < before)
                                   .execution_options(synchronize_session=False)))
