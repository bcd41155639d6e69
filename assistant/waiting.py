"""The citizen's place in the queue and an honest wait estimate, from recent handling times and who is on duty."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy.orm import Session

from assistant import texts
from assistant.store import cases as case_store
from assistant.store import officers as officer_store
from assistant.store.models import Case

RECENT = dt.timedelta(days=7)
MIN_SAMPLES = 3  # fewer handled cases than this: no number is better than a made-up one


@dataclass(frozen=True)
class QueueStatus:
    case_id: int
    status: str  # waiting | claimed | resolved
    position: int | None = None  # 1 = next
    minutes: int | None = None  # None: no honest estimate
    on_duty: int = 0
    officer_name: str | None = None

    @property
    def text(self) -> str:
        if self.status == "claimed":
            return texts.OFFICER_HELPING.format(name=self.officer_name or "")
        if self.status == "resolved":
            return texts.CASE_RESOLVED
        return texts.queue_line(self.position or 1, self.minutes, self.on_duty)

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "status": self.status, "position": self.position, "minutes": self.minutes,
                "on_duty": self.on_duty, "text": self.text}


@dataclass(frozen=True)
class QueueSnapshot:
    order: list[Case]  # waiting, in the order they will be taken
    on_duty: int
    busy: int  # cases being handled right now
    typical_seconds: float | None  # median handling time of recent cases

    def status_of(self, case: Case) -> QueueStatus:
        if case.status != "waiting":
            name = case.officer.name if case.officer else None
            return QueueStatus(case.id, case.status, officer_name=name, on_duty=self.on_duty)
        ahead = self._places.get(case.id, len(self.order))
        return QueueStatus(case.id, "waiting", ahead + 1, self._minutes(ahead), self.on_duty)

    @cached_property
    def _places(self) -> dict[int, int]:
        """Case id -> how many are ahead: every waiting citizen is told their place after each change."""
        return {c.id: i for i, c in enumerate(self.order)}

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


def snapshot(session: Session, *, now: dt.datetime) -> QueueSnapshot:
    handled = case_store.handling_seconds(session, since=now - RECENT)
    typical = statistics.median(handled) if len(handled) >= MIN_SAMPLES else None
    return QueueSnapshot(case_store.waiting(session), officer_store.count_on_duty(session),
                         case_store.count_claimed(session), typical)
