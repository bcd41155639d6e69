"""The audit trail's hash chain. Each case event stores the hash of its canonical content, which includes the
previous event's hash: a changed, removed or reordered event shows when the chain is walked (assistant/audit.py),
even to someone who went past the database's refusals (a superuser, someone editing the SQLite file).

One chain for the whole trail, so removing any event but the newest breaks it. Events are chained when their
transaction commits, under one lock for the trail (PostgreSQL: a transaction-level advisory lock; SQLite: the
database's write lock), so two transactions never chain onto the same event; a unique prev_hash refuses a fork
anyway. The lock is taken last, after every other change of the transaction has been flushed: its holder then only
inserts events and commits, never waiting for a row another transaction holds, so no deadlock can form around it
and it is held for about one commit.

Officers' words (notes, hand-over and resolve notes) are kept beside the event in case_event_texts with a random
salt; the event commits to sha256(salt + text). A purge deletes the text and the salt, and the chain still verifies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any, Protocol

from sqlalchemy import Connection, event, select, text
from sqlalchemy.orm import Session, SessionTransaction

from assistant.store.models import CaseEvent, CaseEventText

GENESIS = "0" * 64  # what the first event follows
FORMAT = 1  # of the canonical content; part of every hash
TEXT_FIELDS = {"note": "text", "handed_over": "note", "resolved": "note"}  # where an event's words are shown
_PENDING = "citizen_help.trail.pending"
# One advisory lock per case_events table: tests keep several schemas, each with its own trail, in one database.
_PG_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended("
                "'citizen-help case_events ' || CAST(CAST(CAST('case_events' AS regclass) AS oid) AS text), 0))")


class EventContent(Protocol):
    """What an event says: a CaseEvent, or a row of its columns."""

    case_id: int
    kind: str
    actor: str
    officer_id: int | None
    detail: dict[str, Any]
    created_at: dt.datetime
    text_hash: str | None


def plain(detail: dict[str, Any]) -> dict[str, Any]:
    """The detail as it comes back from the database's JSON column, so the hash is of what is stored."""
    stored: dict[str, Any] = json.loads(json.dumps(detail, ensure_ascii=False))
    return stored


def new_salt() -> str:
    return secrets.token_hex(16)


def text_hash(salt: str, words: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + words.encode("utf-8")).hexdigest()


def content_hash(row: EventContent, *, prev_hash: str) -> str:
    """sha256 of the event's canonical content: everything it says, and the hash of the event it follows."""
    created_at = row.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    content = {"format": FORMAT, "case_id": row.case_id, "kind": row.kind, "actor": row.actor,
               "officer_id": row.officer_id, "detail": row.detail, "created_at": created_at,
               "text_hash": row.text_hash, "prev_hash": prev_hash}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def keep_text(row: CaseEvent, words: str) -> None:
    """The words go beside the event; the event holds their salted hash."""
    salt = new_salt()
    row.text_hash = text_hash(salt, words)
    row.text_record = CaseEventText(salt=salt, text=words)


def append(session: Session, row: CaseEvent) -> None:
    """The event is written, chained, when the session commits (in the order appended)."""
    session.info.setdefault(_PENDING, []).append(row)


def pending(session: Session) -> list[CaseEvent]:
    return list(session.info.get(_PENDING, ()))


def head(session: Session) -> str:
    return session.scalar(select(CaseEvent.event_hash).order_by(CaseEvent.id.desc()).limit(1)) or GENESIS


def lock(session: Session) -> None:
    """Until this transaction ends, nobody else chains an event."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_LOCK)
    elif connection.dialect.name == "sqlite" and not _sqlite_in_transaction(connection):
        # The driver begins a transaction only at the first write; the head must be read under the write lock.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@event.listens_for(Session, "before_commit")
def _chain_pending(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if not rows:
        return
    session.flush()  # every other change first, so the trail's lock is the last one this transaction takes
    lock(session)
    prev = head(session)
    for row in rows:
        row.prev_hash = prev
        row.event_hash = prev = content_hash(row, prev_hash=prev)
        session.add(row)
    session.flush()


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back, or committed (then nothing is left)
        session.info.pop(_PENDING, None)


def _sqlite_in_transaction(connection: Connection) -> bool:
    driver = connection.connection.dbapi_connection
    return bool(driver is not None and driver.in_transaction)
