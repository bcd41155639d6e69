"""Public service figures, per local day over the last 30 days: results, not traces (DESIGN rule 5).

Only counts, shares and durations leave this module, never a citizen's words or numbers. A count from 1 to 4 could
point at a person in a small office, so it is published as "<5"; a share or a duration computed from fewer than 5
people is not published at all (null).

Definitions (also shown on the /stats page):
- questions: citizen messages the assistant treated as a question (answered, asked back, or missed);
- answered: of those, the ones it answered from a guide (first answers and details such as "what to bring");
- without_person: of the conversations with a question that day, the share answered with no case opened that day;
- cases_opened / cases_resolved: handed to a person / closed by one, that day;
- reach_p50 / reach_p90 (seconds): from handing over to an officer taking the case, for cases opened that day;
- callbacks_promised: callbacks due that day (up to now); callbacks_kept: of those, called by the end of that day;
- solved_share: of the citizens who answered "问题解决了吗?", the share who said yes;
- top_unanswered: what the questions the assistant missed were probably about (the matcher's best guess).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.gaps import is_gap
from assistant.store.models import Callback, Case, CaseEvent, Message

DAYS = 30
SUPPRESS_BELOW = 5
SUPPRESSED = f"<{SUPPRESS_BELOW}"
TOP_TOPICS = 8
ASKED = {"answer", "clarify", "not_understood", "out_of_scope", "offer_person", "need_topic", "emergency"}
TOPIC_NAMES = {"out_of_scope": "不在服务范围内的事", None: "没听懂的话"}

Count = int | str


def count(n: int) -> Count:
    return SUPPRESSED if 0 < n < SUPPRESS_BELOW else n


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole >= SUPPRESS_BELOW else None


def percentile(values: list[float], p: float) -> int | None:
    """Nearest rank: p percent of the values are at most this. None for fewer than SUPPRESS_BELOW values."""
    if len(values) < SUPPRESS_BELOW:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)])


def _is_question(action: str | None) -> bool:
    return action in ASKED or (action or "").startswith("detail:")


def _is_answer(action: str | None) -> bool:
    return action == "answer" or (action or "").startswith("detail:")


@dataclass
class _Day:
    questions: int = 0
    answered: int = 0
    asked_in: set[str] = field(default_factory=set)  # conversations with a question
    answered_in: set[str] = field(default_factory=set)
    escalated_in: set[str] = field(default_factory=set)
    opened: int = 0
    resolved: int = 0
    reach: list[float] = field(default_factory=list)
    promised: int = 0
    kept: int = 0
    feedback: int = 0
    solved: int = 0
    topics: Counter[str | None] = field(default_factory=Counter)


class _Window:
    def __init__(self, now: dt.datetime, zone: ZoneInfo, days: int):
        self.now, self.zone = now, zone
        today = now.astimezone(zone).date()
        self.dates = [today - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]
        self.since = dt.datetime.combine(self.dates[0], dt.time(), zone).astimezone(dt.UTC)
        self.days = {d: _Day() for d in self.dates}

    def day(self, when: dt.datetime) -> _Day | None:
        return self.days.get(when.astimezone(self.zone).date())


def compute(session: Session, *, now: dt.datetime, zone: ZoneInfo, titles: Mapping[str, str],
            days: int = DAYS) -> dict[str, Any]:
    """titles: guide id -> title, to name the topics of unanswered questions."""
    window = _Window(now, zone, days)
    _messages(session, window)
    _cases(session, window)
    _callbacks(session, window)
    return _publish(window, titles)


def _messages(session: Session, window: _Window) -> None:
    rows = session.execute(select(Message.conversation_id, Message.created_at, Message.meta)
                           .where(Message.role == "citizen", Message.created_at >= window.since))
    for conversation_id, created_at, meta in rows:
        day, action = window.day(created_at), (meta or {}).get("action")
        if day is None or not _is_question(action):
            continue
        day.questions += 1
        day.asked_in.add(conversation_id)
        if _is_answer(action):
            day.answered += 1
            day.answered_in.add(conversation_id)
        if is_gap(meta):
            day.topics[meta.get("label")] += 1


def _cases(session: Session, window: _Window) -> None:
    opened: dict[int, dt.datetime] = {}
    for case_id, conversation_id, created_at in session.execute(
            select(Case.id, Case.conversation_id, Case.created_at).where(Case.created_at >= window.since)):
        if (day := window.day(created_at)) is not None:
            day.opened += 1
            day.escalated_in.add(conversation_id)
            opened[case_id] = created_at
    first_claim: dict[int, dt.datetime] = {}
    events = session.execute(select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.detail, CaseEvent.created_at)
                             .where(CaseEvent.created_at >= window.since,
                                    CaseEvent.kind.in_(("claimed", "resolved", "feedback")))
                             .order_by(CaseEvent.id))
    for case_id, kind, detail, created_at in events:
        day = window.day(created_at)
        if kind == "claimed":
            first_claim.setdefault(case_id, created_at)
        elif kind == "resolved" and day is not None:
            day.resolved += 1
        elif kind == "feedback" and day is not None:
            day.feedback += 1
            day.solved += bool((detail or {}).get("solved"))
    for case_id, claimed_at in first_claim.items():
        if case_id in opened and (day := window.day(opened[case_id])) is not None:
            day.reach.append((claimed_at - opened[case_id]).total_seconds())


def _callbacks(session: Session, window: _Window) -> None:
    rows = session.execute(select(Callback.due_at, Callback.status, Callback.done_at)
                           .where(Callback.due_at >= window.since, Callback.due_at <= window.now))
    for due_at, status, done_at in rows:
        if (day := window.day(due_at)) is None:
            continue
        day.promised += 1
        due_day = due_at.astimezone(window.zone).date()
        if status in ("done", "missed") and done_at is not None and done_at.astimezone(window.zone).date() <= due_day:
            day.kept += 1  # "no answer" counts: the promised call was made


def _figures(days: Iterable[_Day]) -> dict[str, Any]:
    days = list(days)
    alone = sum(len(d.answered_in - d.escalated_in) for d in days)
    reach = [s for d in days for s in d.reach]
    return {
        "questions": count(sum(d.questions for d in days)),
        "answered": count(sum(d.answered for d in days)),
        "without_person": share(alone, sum(len(d.asked_in) for d in days)),
        "cases_opened": count(sum(d.opened for d in days)),
        "cases_resolved": count(sum(d.resolved for d in days)),
        "reach_p50": percentile(reach, 50),
        "reach_p90": percentile(reach, 90),
        "callbacks_promised": count(sum(d.promised for d in days)),
        "callbacks_kept": count(sum(d.kept for d in days)),
        "solved_share": share(sum(d.solved for d in days), sum(d.feedback for d in days)),
    }


def _publish(window: _Window, titles: Mapping[str, str]) -> dict[str, Any]:
    per_day = [_figures([window.days[d]]) for d in window.dates]
    series = {key: [figures[key] for figures in per_day] for key in per_day[0]}
    topics: Counter[str | None] = sum((d.topics for d in window.days.values()), Counter())
    top = [{"topic": titles.get(label or "") or TOPIC_NAMES.get(label, "其他"), "count": count(n),
            "per_day": [count(window.days[d].topics[label]) for d in window.dates]}
           for label, n in topics.most_common(TOP_TOPICS)]
    return {"days": [d.isoformat() for d in window.dates], "suppressed_below": SUPPRESS_BELOW,
            "generated_at": window.now.isoformat(), "series": series,
            "totals": _figures(window.days.values()), "top_unanswered": top}
