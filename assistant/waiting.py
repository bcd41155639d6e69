"""The citizen's place in the queue and an honest wait estimate, from recent handling times and who is on duty."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from assistant import texts
from assistant.store import cases as case_store
from assistant.store.cases import Waiting
from assistant.store.models import Case, Officer
from assistant.store.types import CaseStatus

RECENT = dt.timedelta(days=7)
URGENT = 10  # a case's priority from this up is an emergency: taken first
MIN_SAMPLES = 3  # fewer handled cases than this: the configured typical handling time stands in
_KEY = "citizen_help.queue"
_EPOCH = dt.datetime.fromtimestamp(0, dt.UTC)


@dataclass(frozen=True)
class QueueStatus:
    case_id: int
    status: str  # waiting | claimed | resolved
    position: int | None = None  # 1 = next
    minutes: int | None = None  # None: no honest estimate
    on_duty: int = 0
    officer_name: str | None = None
    urgent: bool = False  # an emergency: its place counts only earlier emergencies

    @property
    def text(self) -> str:
        if self.status == "claimed":
            return texts.OFFICER_HELPING.format(name=self.officer_name or "")
        if self.status == "resolved":
            return texts.CASE_RESOLVED
        return texts.queue_line(self.position or 1, self.minutes, self.on_duty, urgent=self.urgent)

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "status": self.status, "position": self.position, "minutes": self.minutes,
                "on_duty": self.on_duty, "text": self.text}


@dataclass(frozen=True)
class QueueSnapshot:
    order: list[Waiting]  # waiting, in the order they will be taken
    on_duty: int
    busy: int  # cases being handled right now
    typical_seconds: float | None  # median handling time of recent cases

    def status_of(self, case: Case) -> QueueStatus:
        if case.status != CaseStatus.WAITING:
            name = case.officer.name if case.officer else None
            return QueueStatus(case.id, case.status, officer_name=name, on_duty=self.on_duty)
        return self.waiting_status(case.id)

    def status_for(self, conversation_id: str) -> QueueStatus | None:
        """The place and wait of this conversation's case, if it waits."""
        case_id = self._by_conversation.get(conversation_id)
        return self.waiting_status(case_id) if case_id is not None else None

    def to_event(self) -> dict[str, Any]:
        """For the one "queue changed" event: every channel works out its own citizens' places from it."""
        return {"order": [[w.case_id, w.conversation_id, w.channel, w.priority] for w in self.order],
                "on_duty": self.on_duty,
                "busy": self.busy, "typical_seconds": self.typical_seconds}

    @classmethod
    def from_event(cls, data: dict[str, Any]) -> QueueSnapshot:
        order = [Waiting(row[0], row[1], row[2], row[3] if len(row) > 3 else 0, _EPOCH) for row in data["order"]]
        return cls(order, data["on_duty"], data["busy"], data["typical_seconds"])

    def waiting_status(self, case_id: int) -> QueueStatus:
        ahead = self._places.get(case_id, len(self.order))
        urgent = ahead < len(self.order) and self.order[ahead].priority >= URGENT
        return QueueStatus(case_id, CaseStatus.WAITING, ahead + 1, self._minutes(ahead), self.on_duty, urgent=urgent)

    @cached_property
    def _places(self) -> dict[int, int]:
        """Case id -> how many are ahead: every waiting citizen is told their place after each change."""
        return {w.case_id: i for i, w in enumerate(self.order)}

    @cached_property
    def _by_conversation(self) -> dict[str, int]:
        return {w.conversation_id: w.case_id for w in self.order}

    def _minutes(self, ahead: int) -> int | None:
        if self.on_duty == 0:
            return None
        free = max(self.on_duty - self.busy, 0)
        if ahead < free:
            return 1
        if self.typical_seconds is None:
            return None
        rounds = (ahead - free) // self.on_duty + 1  # each round every officer on duty finishes one case
        return max(1, math.ceil(rounds * self.typical_seconds / 60))


def places(event: dict[str, Any], *, channel: str) -> list[tuple[str, QueueStatus]]:
    """From a "queue changed" event: each waiting citizen of this channel, by conversation, and their place."""
    queue = QueueSnapshot.from_event(event["queue"])
    return [(w.conversation_id, queue.waiting_status(w.case_id)) for w in queue.order if w.channel == channel]


def snapshot(session: Session, *, now: dt.datetime, default_seconds: float | None = None) -> QueueSnapshot:
    """The queue as this transaction sees it, read once: kept until a case or an officer changes in the session,
    or the transaction ends (one request asks for it several times: the reply, the live event, the case view).
    default_seconds: the typical handling time until enough recent cases were handled to measure it."""
    kept: QueueSnapshot | None = session.info.get(_KEY)
    if kept is not None and not any(isinstance(row, Case | Officer) for row in (*session.new, *session.dirty)):
        return kept
    queue = case_store.queue(session, since=now - RECENT)
    typical = statistics.median(queue.handled) if len(queue.handled) >= MIN_SAMPLES else default_seconds
    found = QueueSnapshot(queue.waiting, queue.on_duty, queue.busy, typical)
    session.info[_KEY] = found
    return found


@event.listens_for(Session, "after_flush")
def _changed(session: Session, context: object) -> None:
    if any(isinstance(row, Case | Officer) for row in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop(_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_KEY, None)
