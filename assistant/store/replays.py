"""Records of requests that must take effect once: the same key again finds what the first one did.

A record is written in the same transaction as the effect it stands for, so a crash leaves either both or neither,
and the unique (scope, key) lets only one of two requests racing with one key commit. Records older than RETENTION
are removed as new ones are written: by then no carrier, Telegram or page is still retrying."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.store.db import changed
from assistant.store.models import Replay
from assistant.store.types import utcnow

RETENTION = dt.timedelta(days=2)  # Telegram retries an update for a day; a call lasts at most 4 hours
SWEEP_EVERY_SECONDS = 600.0
_next_sweep = 0.0  # per process: when records past RETENTION are next removed


class AlreadyDone(Exception):
    """Another request with this key committed first."""


class KeyReused(ValueError):
    """The key was used before for a different request."""


def earlier(session: Session, *, scope: str, key: str, digest: str | None = None) -> Replay | None:
    """The record of this key, if any; KeyReused when it was made for a request with another digest."""
    row = session.scalar(select(Replay).where(Replay.scope == scope, Replay.key == key))
    if row is not None and digest is not None and row.digest not in (None, digest):
        raise KeyReused(key)
    return row


def record(session: Session, *, scope: str, key: str, digest: str | None = None, conversation_id: str | None = None,
           message_ids: Sequence[int] = (), done: bool = True) -> Replay:
    """Add the record to the session's transaction (the caller commits it with the effect); AlreadyDone when a
    request with the same key got there first: the transaction is then spoilt and must be rolled back."""
    _sweep(session)
    row = Replay(scope=scope, key=key, digest=digest, conversation_id=conversation_id,
                 message_ids=list(message_ids), done=done)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise AlreadyDone(key) from exc
    return row


def keep_answer(session: Session, *, scope: str, key: str, answer: str) -> None:
    """What the channel answered, for a repeat of the request; the first answer kept stays."""
    session.execute(update(Replay).where(Replay.scope == scope, Replay.key == key, Replay.answer.is_(None))
                    .values(answer=answer))


def finish(session: Session, *, scope: str, key: str) -> None:
    session.execute(update(Replay).where(Replay.scope == scope, Replay.key == key).values(done=True))


def take_over(session: Session, *, row: Replay, stale_before: dt.datetime) -> bool:
    """Claim a record, as read, left unfinished since before `stale_before` (its handler died); False when another
    request took it over first, or it was finished meanwhile."""
    taken = session.execute(update(Replay).where(Replay.id == row.id, Replay.done.is_(False),
                                                 Replay.claimed_at == row.claimed_at,
                                                 Replay.claimed_at < stale_before)
                            .values(claimed_at=utcnow()).execution_options(synchronize_session=False))
    return changed(taken) == 1


def forget_older_than(session: Session, *, before: dt.datetime) -> int:
    return changed(session.execute(delete(Replay).where(Replay.created_at < before)))


def _sweep(session: Session) -> None:
    global _next_sweep
    if time.monotonic() < _next_sweep:
        return
    _next_sweep = time.monotonic() + SWEEP_EVERY_SECONDS
    forget_older_than(session, before=utcnow() - RETENTION)
