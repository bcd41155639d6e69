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

How: each figure is a count in SQL over one local day's rows, on indexes (migration 0008), never a month of rows
turned into objects. What a day's rows say does not change once it has ended (no row is written in the past; the
purge keeps what is counted), so an ended day is counted once and kept in stats_days; a request counts only today,
plus the time to reach a person (a case opened one day may be taken the next), which comes from one small query.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.gaps import LOW_CONFIDENCE, MISSED
from assistant.store.models import Callback, Case, CaseEvent, Message, StatsDay

DAYS = 30
SUPPRESS_BELOW = 5
SUPPRESSED = f"<{SUPPRESS_BELOW}"
TOP_TOPICS = 8
ASKED = {"answer", "clarify", "not_understood", "out_of_scope", "offer_person", "need_topic", "emergency"}
TOPIC_NAMES = {"out_of_scope": "不在服务范围内的事", None: "没听懂的话"}
FORMAT = 1  # of a stored day's figures: a day stored in another format is counted again
# A day is stored only this long after it ended: a message stamped at 23:59:59 may commit a moment after midnight.
SETTLED_AFTER = dt.timedelta(minutes=15)

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


_COUNTS = ("questions", "answered", "asked", "alone", "opened", "resolved", "promised", "kept", "feedback",
           "solved")


@dataclass
class _Day:
    questions: int = 0
    answered: int = 0
    asked: int = 0  # conversations with a question
    alone: int = 0  # of those, answered with no case opened that day
    opened: int = 0
    resolved: int = 0
    promised: int = 0
    kept: int = 0
    feedback: int = 0
    solved: int = 0
    topics: Counter[str | None] = field(default_factory=Counter)
    reach: list[float] = field(default_factory=list)
    # The reach of a day's cases is final once none of them is still waiting (one may be taken days later).
    reach_final: bool = False

    def stored(self) -> dict[str, Any]:
        return {"format": FORMAT, **{name: getattr(self, name) for name in _COUNTS},
                "topics": [[label, n] for label, n in self.topics.items()],
                "reach": self.reach if self.reach_final else None}

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> _Day:
        reach = data.get("reach")
        return cls(**{name: int(data[name]) for name in _COUNTS},
                   topics=Counter({label: int(n) for label, n in data["topics"]}),
                   reach=[float(s) for s in reach or ()], reach_final=reach is not None)


class _Window:
    def __init__(self, now: dt.datetime, zone: ZoneInfo, days: int):
        self.now, self.zone = now, zone
        today = now.astimezone(zone).date()
        self.dates = [today - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]
        self.since = self.start(self.dates[0])

    def start(self, date: dt.date) -> dt.datetime:
        return dt.datetime.combine(date, dt.time(), self.zone).astimezone(dt.UTC)

    def end(self, date: dt.date) -> dt.datetime:
        return self.start(date + dt.timedelta(days=1))

    def date_of(self, when: dt.datetime) -> dt.date:
        return when.astimezone(self.zone).date()


def compute(session: Session, *, now: dt.datetime, zone: ZoneInfo, titles: Mapping[str, str],
            days: int = DAYS, rollup: bool = True) -> dict[str, Any]:
    """titles: guide id -> title, to name the topics of unanswered questions. rollup=False counts every day from
    its rows (and stores nothing): what a check of the stored days compares with."""
    window = _Window(now, zone, days)
    stored = _stored_days(session, window) if rollup else {}
    by_date = {date: stored.get(date) or count_day(session, window, date) for date in window.dates}
    live = [date for date in window.dates if not by_date[date].reach_final]
    if live:
        _reach(session, window, by_date, live)
    if rollup:
        _store_final_reach(session, window, by_date, [d for d in live if d in stored])
    return _publish(window, [by_date[d] for d in window.dates], titles)


def _ended(window: _Window) -> list[dt.date]:
    return [d for d in window.dates if window.end(d) + SETTLED_AFTER <= window.now]


def _stored_days(session: Session, window: _Window) -> dict[dt.date, _Day]:
    """The ended days of the window from stats_days, counting (and storing) those not yet there."""
    ended = _ended(window)
    if not ended:
        return {}
    zone = window.zone.key
    rows = session.scalars(select(StatsDay).where(StatsDay.zone == zone, StatsDay.day.in_(ended)))
    found = {row.day: row for row in rows}
    days: dict[dt.date, _Day] = {}
    added = False
    for date in ended:
        row = found.get(date)
        if row is not None and row.figures.get("format") == FORMAT:
            days[date] = _Day.from_stored(row.figures)
            continue
        days[date] = day = count_day(session, window, date)
        added = _store(session, window, date, day, row) or added
    if added:
        session.commit()
    return days


def _store(session: Session, window: _Window, date: dt.date, day: _Day, row: StatsDay | None) -> bool:
    try:
        with session.begin_nested():  # another worker may store the same day at the same moment
            if row is None:
                row = StatsDay(zone=window.zone.key, day=date, figures=day.stored(), computed_at=window.now)
                session.add(row)
            else:
                row.figures, row.computed_at = day.stored(), window.now
        return True
    except IntegrityError:
        return False  # theirs counts the same rows


def _store_final_reach(session: Session, window: _Window, by_date: Mapping[dt.date, _Day],
                       dates: list[dt.date]) -> None:
    """Stored days whose cases are no longer waiting keep their reach from now on."""
    if not dates:
        return
    waiting = {n for (n,) in session.execute(select(_day_of(Case.created_at, window, dates)).distinct()
                                             .where(Case.status == "waiting",
                                                    Case.created_at >= window.start(dates[0]),
                                                    Case.created_at < window.end(dates[-1])))}
    final = [date for n, date in enumerate(dates) if n not in waiting]
    rows = {row.day: row for row in session.scalars(select(StatsDay).where(StatsDay.zone == window.zone.key,
                                                                           StatsDay.day.in_(final)))}
    for date in final:
        by_date[date].reach_final = True
        _store(session, window, date, by_date[date], rows.get(date))
    if final:
        session.commit()


def _day_of(column: Any, window: _Window, dates: list[dt.date]) -> ColumnElement[int | None]:
    """Which of these local days (its index) a timestamp falls on, in SQL; None for any other day."""
    return case(*[(and_(column >= window.start(d), column < window.end(d)), n) for n, d in enumerate(dates)],
                else_=None)


def _action() -> ColumnElement[str]:
    action: ColumnElement[str] = Message.meta["action"].as_string()
    return action


def _is_question(action: ColumnElement[str]) -> ColumnElement[bool]:
    return or_(action.in_(ASKED), action.like("detail:%"))


def _is_answer(action: ColumnElement[str]) -> ColumnElement[bool]:
    return or_(action == "answer", action.like("detail:%"))


def _is_gap(action: ColumnElement[str]) -> ColumnElement[bool]:
    """assistant.gaps.is_gap, in SQL."""
    low = and_(action == "answer", Message.meta["confidence"].as_float() < LOW_CONFIDENCE)
    return or_(action.in_(MISSED), low)


def count_day(session: Session, window: _Window, date: dt.date) -> _Day:
    """One local day's figures (all but the time to reach a person), counted in SQL from that day's rows."""
    start, end = window.start(date), window.end(date)
    day = _Day()
    action = _action()
    asked = and_(Message.role == "citizen", Message.created_at >= start, Message.created_at < end)
    per_conversation = (select(Message.conversation_id, func.count().label("questions"),
                               func.sum(case((_is_answer(action), 1), else_=0)).label("answered"))
                        .where(asked, _is_question(action)).group_by(Message.conversation_id).subquery())
    escalated = select(Case.conversation_id).where(Case.created_at >= start, Case.created_at < end)
    alone = and_(per_conversation.c.answered > 0, per_conversation.c.conversation_id.not_in(escalated))
    row = session.execute(select(func.count(), func.sum(per_conversation.c.questions),
                                 func.sum(per_conversation.c.answered), func.sum(case((alone, 1), else_=0)))).one()
    day.asked, day.questions, day.answered, day.alone = (int(v or 0) for v in row)
    label = Message.meta["label"].as_string()
    for topic, n in session.execute(select(label, func.count()).where(asked, _is_gap(action)).group_by(label)):
        day.topics[topic] += n
    day.opened = session.scalar(select(func.count()).select_from(Case)
                                .where(Case.created_at >= start, Case.created_at < end)) or 0
    solved = func.sum(case((CaseEvent.detail["solved"].as_boolean(), 1), else_=0))
    for kind, n, yes in session.execute(
            select(CaseEvent.kind, func.count(), solved)
            .where(CaseEvent.kind.in_(("resolved", "feedback")), CaseEvent.created_at >= start,
                   CaseEvent.created_at < end).group_by(CaseEvent.kind)):
        if kind == "resolved":
            day.resolved = n
        else:
            day.feedback, day.solved = n, int(yes or 0)
    # "No answer" counts as kept: the promised call was made, by the end of the day it was due.
    kept = and_(Callback.status.in_(("done", "missed")), Callback.done_at.is_not(None), Callback.done_at < end)
    promised, kept_n = session.execute(
        select(func.count(), func.sum(case((kept, 1), else_=0)))
        .where(Callback.due_at >= start, Callback.due_at < end, Callback.due_at <= window.now)).one()
    day.promised, day.kept = int(promised or 0), int(kept_n or 0)
    return day


def _reach(session: Session, window: _Window, by_date: Mapping[dt.date, _Day], dates: list[dt.date]) -> None:
    """From handing over to the first claim, for the cases opened on these days: a case's first claim is the
    earliest claimed event (by id) since the window began. The day and the seconds come out of SQL: ten thousand
    rows of two timestamps each cost more to turn into datetimes than the query itself."""
    first = (select(CaseEvent.case_id, func.min(CaseEvent.id).label("event_id"))
             .where(CaseEvent.kind == "claimed", CaseEvent.created_at >= max(window.since, window.start(dates[0])))
             .group_by(CaseEvent.case_id).subquery())
    opened = Case.created_at
    rows = session.execute(select(_day_of(opened, window, dates), _seconds(session, opened, CaseEvent.created_at))
                           .join(first, first.c.case_id == Case.id).join(CaseEvent, CaseEvent.id == first.c.event_id)
                           .where(opened >= window.start(dates[0])))
    for n, seconds in rows:
        if n is not None:
            by_date[dates[n]].reach.append(float(seconds))


def _seconds(session: Session, start: Any, end: Any) -> ColumnElement[float]:
    """end - start in seconds, in SQL (to the millisecond on SQLite, whose julianday() is a float of days)."""
    if session.get_bind().dialect.name == "sqlite":
        return func.round((func.julianday(end) - func.julianday(start)) * 86400.0, 3)
    return cast(ColumnElement[float], func.extract("epoch", end - start))


def _figures(days: Iterable[_Day]) -> dict[str, Any]:
    days = list(days)
    reach = [s for d in days for s in d.reach]

    def total(name: str) -> int:
        return sum(getattr(d, name) for d in days)

    return {
        "questions": count(total("questions")),
        "answered": count(total("answered")),
        "without_person": share(total("alone"), total("asked")),
        "cases_opened": count(total("opened")),
        "cases_resolved": count(total("resolved")),
        "reach_p50": percentile(reach, 50),
        "reach_p90": percentile(reach, 90),
        "callbacks_promised": count(total("promised")),
        "callbacks_kept": count(total("kept")),
        "solved_share": share(total("solved"), total("feedback")),
    }


def _publish(window: _Window, days: list[_Day], titles: Mapping[str, str]) -> dict[str, Any]:
    per_day = [_figures([day]) for day in days]
    series = {key: [figures[key] for figures in per_day] for key in per_day[0]}
    topics: Counter[str | None] = sum((d.topics for d in days), Counter())
    top = [{"topic": titles.get(label or "") or TOPIC_NAMES.get(label, "其他"), "count": count(n),
            "per_day": [count(day.topics[label]) for day in days]}
           for label, n in topics.most_common(TOP_TOPICS)]
    return {"days": [d.isoformat() for d in window.dates], "suppressed_below": SUPPRESS_BELOW,
            "generated_at": window.now.isoformat(), "series": series,
            "totals": _figures(days), "top_unanswered": top}
