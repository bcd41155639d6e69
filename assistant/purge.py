"""Deleting citizens' personal data older than a cut-off while the anonymous statistics stay as they were.

Two cut-offs. Data older than `before` goes unless an officer may still need it: conversations with a case open,
pending callbacks, citizens seen since. Data older than `hard_before`, the hard maximum (PERSONAL_DATA_MAX_DAYS),
goes whatever the case status: a case nobody closed in a year is no reason to keep a citizen's words for ever.

What goes: the words of every message (the row stays, with its time, role and the assistant's decision, which is
what /stats counts), the dialogue memory, what a case's summary quotes (words, phone, earlier visits), officers'
words on a case (notes, hand-over and resolve notes, kept beside the chained events: the trail records a `redacted`
event naming them and still verifies), callback numbers (a pending callback past the maximum is given up, recorded as
`callback_expired`), messages still waiting to be pushed to a chat, and for citizens with no newer activity their
phone and their channel identities (Telegram chat ids, callers' numbers, web page ids).

Case events themselves are the append-only trail: ids, kinds, times, reasons, priorities, who; never changed.

In batches of `batch_size` rows (fewer where each row adds a case event), each committed on its own, walking each
table by id: a purge never holds the database (SQLite's one write lock) for longer than one batch, and on SQLite it
pauses between batches, so citizens' messages go on being written meanwhile.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, delete, exists, false, func, or_, select, update
from sqlalchemy.orm import Session

from assistant.store import cases as case_store
from assistant.store.db import changed
from assistant.store.models import (
    Callback,
    Case,
    CaseEvent,
    CaseEventText,
    ChannelIdentity,
    Citizen,
    Conversation,
    LinkCode,
    Message,
    PendingPush,
)
from assistant.texts import CLEARED

PURGED = CLEARED  # what a message says once its words are gone
FORGOTTEN = "forgotten:"  # a purged identity's external id: the prefix and its row id
SUMMARY_KEPT = ("service_id", "service_title", "reason", "channel")  # what the case was about, nobody's words
BATCH = 2000  # rows per transaction: a few tens of milliseconds of SQLite's write lock
EVENT_COST = 10  # a row that adds a chained case event costs about as much as ten that do not: smaller batches
ACTOR = "purge"  # who the trail says cleared words or gave up a callback


@dataclass
class Purged:
    messages: int = 0
    conversations: int = 0
    cases: int = 0
    notes: int = 0  # officers' words on cases
    callbacks: int = 0
    expired: int = 0  # pending callbacks given up (their numbers are among `callbacks`)
    citizens: int = 0
    identities: int = 0
    pushes: int = 0  # messages still waiting for a push channel, no longer sent
    batches: int = 0
    longest_batch: float = 0.0  # seconds, reading the batch to its commit

    def rows(self) -> int:
        """Rows cleared, each counted once (a pending callback given up is among `callbacks`)."""
        return sum(getattr(self, name) for name in _ROWS)

    def summary(self) -> str:
        return (f"{self.messages} messages, {self.conversations} conversations' memory, {self.cases} case "
                f"summaries, {self.notes} officers' notes, {self.callbacks} callback numbers ({self.expired} pending "
                f"callbacks given up), {self.citizens} citizens' phones, {self.identities} channel identities, "
                f"{self.pushes} undelivered pushes")


_ROWS = ("messages", "conversations", "cases", "notes", "callbacks", "citizens", "identities", "pushes")


@dataclass(frozen=True)
class _Cutoffs:
    before: dt.datetime
    hard_before: dt.datetime | None
    by: str

    def hard(self, column: Any) -> ColumnElement[bool]:
        return column < self.hard_before if self.hard_before is not None else false()


# A rule: the next batch of candidate rows after a key (first column: the key), and what to do with them.
_Select = Callable[[Session, _Cutoffs, Any, int], Sequence[Any]]
_Act = Callable[[Session, _Cutoffs, Sequence[Any]], dict[str, int]]


def purge(session: Session, *, before: dt.datetime, hard_before: dt.datetime | None = None,
          by: str = "citizen-help purge", batch_size: int = BATCH, dry_run: bool = False,
          stop: Callable[[], bool] = lambda: False) -> Purged:
    """Clears personal data from before `before` (and everything from before `hard_before`), one committed batch
    at a time, until done or `stop()` says so between batches. dry_run: counts what would go, changes nothing."""
    if hard_before is not None and hard_before > before:
        raise ValueError("the hard maximum cannot be more recent than the cut-off")
    cutoffs, result = _Cutoffs(before, hard_before, by), Purged()
    session.commit()  # each batch is a transaction of its own: what the caller had pending goes first
    for rule in _RULES:
        _run(session, cutoffs, rule, batch_size, dry_run, result, stop)
    session.expire_all()  # the bulk statements went past the objects already loaded
    return result


def _run(session: Session, cutoffs: _Cutoffs, rule: _Rule, batch_size: int, dry_run: bool, result: Purged,
         stop: Callable[[], bool]) -> None:
    size = max(1, batch_size // EVENT_COST) if rule.writes_events else batch_size
    give_way = session.get_bind().dialect.name == "sqlite"
    after = None
    while not stop():
        started = time.perf_counter()
        rows = rule.select(session, cutoffs, after, size)
        if not rows:
            session.rollback()  # ends the read, so SQLite's snapshot is not kept open
            return
        counts = rule.count(session, rows) if dry_run else rule.act(session, cutoffs, rows)
        session.rollback() if dry_run else session.commit()
        took = time.perf_counter() - started
        for name, n in counts.items():
            setattr(result, name, getattr(result, name) + n)
        result.batches += 1
        result.longest_batch = max(result.longest_batch, took)
        if len(rows) < size:
            return
        after = rows[-1][0]
        if give_way and not dry_run:
            # SQLite's waiting writers poll for the lock (every 25 ms, later every 100 ms), they do not queue: a
            # pause as long as the batch lets them in, instead of the next batch taking the lock again at once.
            time.sleep(took)


def _after(column: Any, key: Any) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = column > key if key is not None else column.is_not(None)
    return condition


def _open_case_conversations() -> Select[str]:  # used inside other statements
    return select(Case.conversation_id).where(Case.status != "resolved")


# --- messages: the words go, the row (time, role, decision) stays ---

def _messages(session: Session, cutoffs: _Cutoffs, after: Any, limit: int) -> Sequence[Any]:
    old = or_(cutoffs.hard(Message.created_at), and_(Message.created_at < cutoffs.before,
                                                     Message.conversation_id.not_in(_open_case_conversations())))
    return session.execute(select(Message.id).where(_after(Message.id, after), Message.text != PURGED, old)
                           .order_by(Message.id).limit(limit)).all()


def _clear_messages(session: Session, cutoffs: _Cutoffs, rows: Sequence[Any]) -> dict[str, int]:
    session.execute(update(Message).where(Message.id.in_([r.id for r in rows])).values(text=PURGED)
                    .execution_options(synchronize_session=False))
    return {"messages": len(rows)}


# --- the dialogue's memory of quiet conversations ---

def _conversations(session: Session, cutoffs: _Cutoffs, after: Any, limit: int) -> Sequence[Any]:
    quiet = or_(cutoffs.hard(Conversation.updated_at),
                and_(Conversation.updated_at < cutoffs.before, Conversation.id.not_in(_open_case_conversations())))
    return session.execute(select(Conversation.id, Conversation.state).where(_after(Conversation.id, after), quiet)
                           .order_by(Conversation.id).limit(limit)).all()


def _remembering(rows: Sequence[Any]) -> list[str]:
    return [r.id for r in rows if r.state]


def _clear_conversations(session: Session, cutoffs: _Cutoffs, rows: Sequence[Any]) -> dict[str, int]:
    ids = _remembering(rows)
    if ids:  # updated_at is set again explicitly: clearing the memory is not activity (its onupdate would say so)
        session.execute(update(Conversation).where(Conversation.id.in_(ids))
                        .values(state={}, updated_at=Conversation.updated_at)
                        .execution_options(synchronize_session=False))
    return {"conversations": len(ids)}


# --- what case summaries quote ---

def _cases(session: Session, cutoffs: _Cutoffs, after: Any, limit: int) -> Sequence[Any]:
    old = or_(cutoffs.hard(Case.created_at), and_(Case.status == "resolved", Case.resolved_at < cutoffs.before))
    return session.execute(select(Case.id, Case.summary).where(_after(Case.id, after), old)
                           .order_by(Case.id).limit(limit)).all()


def _quoting(rows: Sequence[Any]) -> list[dict[str, Any]]:
    kept = [(r.id, {k: v for k, v in (r.summary or {}).items() if k in SUMMARY_KEPT}) for r in rows]
    return [{"id": case_id, "summary": summary} for (case_id, summary), r in zip(kept, rows, strict=True)
            if summary != (r.summary or {})]


def _clear_cases(session: Session, cutoffs: _Cutoffs, rows: Sequence[Any]) -> dict[str, int]:
    changes = _quoting(rows)
    if changes:
        session.execute(update(Case), changes)  # by primary key, each its own summary
    return {"cases": len(changes)}


# --- officers' words on cases: deleted beside the trail, the redaction recorded in it ---

def _notes(session: Session, cutoffs: _Cutoffs, after: Any, limit: int) -> Sequence[Any]:
    resolved = exists().where(Case.id == CaseEvent.case_id, Case.status == "resolved")
    old = or_(cutoffs.hard(CaseEvent.created_at), and_(CaseEvent.created_at < cutoffs.before, resolved))
    return session.execute(select(CaseEventText.event_id, CaseEvent.case_id)
                           .join(CaseEvent, CaseEvent.id == CaseEventText.event_id)
                           .where(_after(CaseEventText.event_id, after), old)
                           .order_by(CaseEventText.event_id).limit(limit)).all()


def _clear_notes(session: Session, cutoffs: _Cutoffs, rows: Sequence[Any]) -> dict[str, int]:
    session.execute(delete(CaseEventText).where(CaseEventText.event_id.in_([r.event_id for r in rows]))
                    .execution_options(synchronize_session=False))
    by_case: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_case[row.case_id].append(row.event_id)
    for case in session.scalars(select(Case).where(Case.id.in_(by_case))):
        case_store.add_event(session, case=case, kind="redacted", actor=ACTOR,
                             detail={"texts": by_case[case.id], **_why(cutoffs)})
    return {"notes": len(rows)}


def _why(cutoffs: _Cutoffs) -> dict[str, str]:
    return {"by": cutoffs.by, "before": cutoffs.before.isoformat()}


# --- callback numbers; a pending callback past the maximum is given up ---

def _callbacks(session: Session, cutoffs: _Cutoffs, after: Any, limit: int) -> Sequence[Any]:
    old = or_(cutoffs.hard(Callback.due_at), and_(Callback.due_at < cutoffs.before, Callback.status != "pending"))
    return session.execute(select(Callback.id, Callback.case_id, Callback.status)
                           .where(_after(Callback.id, after), Callback.phone != "", old)
                           .order_by(Callback.id).limit(limit)).all()


def _clear_callbacks(session: Session, cutoffs: _Cutoffs, rows: Sequence[Any]) -> dict[str, int]:
    session.execute(update(Callback).where(Callback.id.in_([r.id for r in rows])).values(phone="")
                    .execution_options(synchronize_session=False))
    pending = [r for r in rows if r.status == "pending"]
    if pending:
        session.execute(update(Callback).where(Callback.id.in_([r.id for r in pending])).values(status="expired")
                        .execution_options(synchronize_session=False))
        cases = {case.id: case for case in session.scalars(select(Case).where(Case.id.in_({r.case_id
                                                                                            for r in pending})))}
        for row in pending:
            case_store.add_event(session, case=cases[row.case_id], kind="callback_expired", actor=ACTOR,
                                 detail={"callback_id": row.id, **_why(cutoffs)})
    return {"callbacks": len(rows), "expired": len(pending)}


# --- citizens with no newer activity: their phone and channel identities ---

def _citizens(session: Session, cutoffs: _Cutoffs, after: Any, limit: int) -> Sequence[Any]:
    def seen_since(when: Any) -> ColumnElement[bool]:
        return exists().where(Conversation.citizen_id == Citizen.id, Conversation.updated_at >= when)

    still_open = exists().where(Case.citizen_id == Citizen.id, Case.status != "resolved")
    soft = and_(Citizen.created_at < cutoffs.before, ~seen_since(cutoffs.before), ~still_open)
    hard = and_(Citizen.created_at < cutoffs.hard_before, ~seen_since(cutoffs.hard_before)) \
        if cutoffs.hard_before is not None else false()
    known = or_(Citizen.phone.is_not(None), exists().where(ChannelIdentity.citizen_id == Citizen.id, _remembered()))
    return session.execute(select(Citizen.id, Citizen.phone).where(_after(Citizen.id, after), known, or_(hard, soft))
                           .order_by(Citizen.id).limit(limit)).all()


def _remembered() -> ColumnElement[bool]:
    return ChannelIdentity.external_id.not_like(f"{FORGOTTEN}%")


def _forget_citizens(session: Session, cutoffs: _Cutoffs, rows: Sequence[Any]) -> dict[str, int]:
    ids = [r.id for r in rows]
    # The identity row stays (conversations and recorded links point at it); the chat id or number it held goes.
    identities = changed(session.execute(
        update(ChannelIdentity).where(ChannelIdentity.citizen_id.in_(ids), _remembered())
        .values(external_id=FORGOTTEN + cast(ChannelIdentity.id, String))
        .execution_options(synchronize_session=False)))
    session.execute(delete(LinkCode).where(LinkCode.identity_id.in_(
        select(ChannelIdentity.id).where(ChannelIdentity.citizen_id.in_(ids)))).execution_options(
        synchronize_session=False))
    phones = [r.id for r in rows if r.phone is not None]
    if phones:
        session.execute(update(Citizen).where(Citizen.id.in_(phones)).values(phone=None)
                        .execution_options(synchronize_session=False))
    return {"citizens": len(phones), "identities": identities}


# --- messages still waiting for a push channel: their words are gone, they are not sent after all ---

def _pushes(session: Session, cutoffs: _Cutoffs, after: Any, limit: int) -> Sequence[Any]:
    return session.execute(select(PendingPush.id).where(_after(PendingPush.id, after),
                                                        PendingPush.created_at < cutoffs.before)
                           .order_by(PendingPush.id).limit(limit)).all()


def _forget_pushes(session: Session, cutoffs: _Cutoffs, rows: Sequence[Any]) -> dict[str, int]:
    session.execute(delete(PendingPush).where(PendingPush.id.in_([r.id for r in rows]))
                    .execution_options(synchronize_session=False))
    return {"pushes": len(rows)}


def _count_citizens(session: Session, rows: Sequence[Any]) -> dict[str, int]:
    identities = session.scalar(select(func.count()).select_from(ChannelIdentity)
                                .where(ChannelIdentity.citizen_id.in_([r.id for r in rows]), _remembered()))
    return {"citizens": sum(r.phone is not None for r in rows), "identities": identities or 0}


@dataclass(frozen=True)
class _Rule:
    select: _Select
    act: _Act
    count: Callable[[Session, Sequence[Any]], dict[str, int]]  # what act would clear: for a dry run
    writes_events: bool = False


_RULES = (
    _Rule(_messages, _clear_messages, lambda s, rows: {"messages": len(rows)}),
    _Rule(_conversations, _clear_conversations, lambda s, rows: {"conversations": len(_remembering(rows))}),
    _Rule(_cases, _clear_cases, lambda s, rows: {"cases": len(_quoting(rows))}),
    _Rule(_notes, _clear_notes, lambda s, rows: {"notes": len(rows)}, writes_events=True),
    _Rule(_callbacks, _clear_callbacks,
          lambda s, rows: {"callbacks": len(rows), "expired": sum(r.status == "pending" for r in rows)},
          writes_events=True),
    _Rule(_citizens, _forget_citizens, _count_citizens),
    _Rule(_pushes, _forget_pushes, lambda s, rows: {"pushes": len(rows)}),
)
