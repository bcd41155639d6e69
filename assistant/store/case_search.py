"""Finding cases for the officer console: one search box (words of the conversation, a case number, a phone's last
4 digits), filters by tab (waiting, mine, claimed by others, resolved, cancelled), channel, emergency and age,
pages, and the count of every tab under the same search. Every statement reads through an index
(assistant/store/search_index.py, migration 0009; tests/assistant/store/test_case_search.py checks the plans)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, literal_column, or_, select, text
from sqlalchemy.orm import Session, joinedload

from assistant.store.models import Callback, Case, Citizen, Conversation, Message
from assistant.store.search_index import TAIL, TRIGRAM, WORDS_TABLE

Tab = Literal["open", "waiting", "claimed", "mine", "others", "resolved", "cancelled", "all"]
TABS: tuple[Tab, ...] = ("waiting", "mine", "others", "resolved", "cancelled")
Age = Literal["late", "today", "7d", "30d"]
PAGE_SIZE = 25
MAX_TERMS = 5
COMMON_MESSAGES = 1_000  # messages holding the words: more, and a page reads the cases in order instead
COUNT_MESSAGES = 50_000  # more, and the tabs are counted that way too, up to COUNT_CAP
COUNT_CAP = 200
CLOSED = ("resolved", "cancelled")  # "cancelled": a case the citizen withdrew, newest first like the resolved ones


@dataclass(frozen=True)
class CaseQuery:
    tab: Tab = "open"
    q: str = ""
    channel: str | None = None
    emergency: bool | None = None
    age: Age | None = None
    page: int = 1


@dataclass(frozen=True)
class Context:
    """What the filters are relative to: who asks, now, the start of the local day, when a wait is late."""

    officer_id: int
    now: dt.datetime
    day_start: dt.datetime
    late_minutes: int


@dataclass(frozen=True)
class Found:
    cases: list[Case]
    page: int
    has_more: bool
    last_citizen_at: dict[int, dt.datetime]  # case id -> when its citizen last wrote


def clean(q: str) -> str:
    """What was typed into the box, without control and invisible characters (category C), trimmed."""
    return "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in q).strip()


def _tab(tab: Tab, officer_id: int) -> ColumnElement[bool] | None:
    if tab == "open":
        return Case.status.in_(("waiting", "claimed"))
    if tab == "mine":
        return (Case.status == "claimed") & (Case.claimed_by == officer_id)
    if tab == "others":
        return (Case.status == "claimed") & (Case.claimed_by != officer_id)
    if tab == "all":
        return None
    return Case.status == tab


def _escape_like(term: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", term)


def _match(terms: list[str]) -> str:
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _fts_ids(long: list[str]) -> Select[Any]:
    return select(literal_column("rowid")).select_from(text(WORDS_TABLE)).where(
        text(f"{WORDS_TABLE} MATCH :match").bindparams(match=_match(long)))


def common(session: Session, q: str, *, at_least: int = 1_000) -> bool:
    """Words found in at least that many messages (or too short for the index): the cases are then read in the
    page's order, each checked for a message holding the words, and a page fills within its first cases. Fewer,
    and their messages are collected through the index (each costs a lookup of its conversation)."""
    terms = _terms(q)
    if not terms:
        return False
    long = [t for t in terms if len(t) >= TRIGRAM]
    if len(long) < len(terms):
        return True
    if session.get_bind().dialect.name != "sqlite":  # pg_trgm's index: how many match is not known cheaply
        return False
    found = session.scalar(select(func.count()).select_from(_fts_ids(long).limit(at_least).subquery()))
    return (found or 0) >= at_least


def _terms(q: str) -> list[str]:
    if re.fullmatch(r"#\s*\d{1,9}|\d+", q.strip()):
        return []
    return [t for t in re.split(r"\s+", q.strip()) if t][:MAX_TERMS]


def _words(session: Session, terms: list[str], *, row_by_row: bool) -> ColumnElement[bool]:
    """Cases whose conversation has a message holding every term."""
    if row_by_row:  # per case, its conversation's messages (ix_messages_conversation_id_id)
        held = select(Message.id).where(Message.conversation_id == Case.conversation_id)
        for term in terms:
            held = held.where(Message.text.like(f"%{_escape_like(term)}%", escape="\\"))
        return held.exists()
    query = select(Message.conversation_id)
    if session.get_bind().dialect.name == "sqlite":  # a phrase per term, all of them: FTS5's trigram index
        query = query.where(Message.id.in_(_fts_ids(terms)))
    else:
        for term in terms:  # pg_trgm's GIN index serves ILIKE for terms of 3 characters and more
            query = query.where(Message.text.ilike(f"%{_escape_like(term)}%", escape="\\"))
    return Case.conversation_id.in_(query)


def _phone_tail(session: Session, digits: str) -> ColumnElement[bool]:
    """Cases of a citizen whose verified number ends with these digits, or with a callback to such a number: the
    index finds the numbers of the same last 4, the rest is checked on those few."""
    tail = digits[-TAIL:]
    sqlite = session.get_bind().dialect.name == "sqlite"

    def ending(column: Any) -> Any:  # the very expression of the index, or it is not used
        return func.substr(column, literal_column(f"-{TAIL}")) if sqlite else func.right(column, literal_column(
            str(TAIL)))

    citizens = select(Citizen.id).where(ending(Citizen.phone) == tail)
    callbacks = select(Callback.case_id).where(ending(Callback.phone) == tail)
    if len(digits) > TAIL:
        citizens = citizens.where(Citizen.phone.like(f"%{digits}"))
        callbacks = callbacks.where(Callback.phone.like(f"%{digits}"))
    return or_(Case.citizen_id.in_(citizens), Case.id.in_(callbacks))


def _search(session: Session, q: str, row_by_row: bool) -> ColumnElement[bool] | None:
    """What the box understands: "#123" a case; 4 digits a case number or a phone's ending; other digits a case
    number (11 digits: a whole phone number, by its ending); anything else words, all of them."""
    q = q.strip()
    if not q:
        return None
    number = re.fullmatch(r"#\s*(\d{1,9})|(\d+)", q)
    if number and number.group(1):
        return Case.id == int(number.group(1))
    if number:
        digits = number.group(2)
        if len(digits) == TAIL:
            return or_(Case.id == int(digits), _phone_tail(session, digits))
        if len(digits) >= 7:
            return _phone_tail(session, digits)
        return Case.id == int(digits)
    return _words(session, _terms(q), row_by_row=row_by_row)


def _filters(session: Session, query: CaseQuery, context: Context,
             row_by_row: bool = False) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if (searched := _search(session, query.q, row_by_row)) is not None:
        found.append(searched)
    if query.channel:
        found.append(Conversation.channel == query.channel)
    if query.emergency is not None:
        found.append(Case.priority > 0 if query.emergency else Case.priority <= 0)
    if query.age == "late":
        found.append(Case.created_at <= context.now - dt.timedelta(minutes=context.late_minutes))
    elif query.age == "today":
        found.append(Case.created_at >= context.day_start)
    elif query.age in ("7d", "30d"):
        found.append(Case.created_at >= context.now - dt.timedelta(days=int(query.age[:-1])))
    return found


def _base(session: Session, query: CaseQuery, context: Context) -> Select[Any]:
    statement = select(Case).join(Conversation, Conversation.id == Case.conversation_id)
    for condition in _filters(session, query, context, common(session, query.q, at_least=COMMON_MESSAGES)):
        statement = statement.where(condition)
    return statement


def search(session: Session, *, query: CaseQuery, context: Context, page_size: int = PAGE_SIZE) -> Found:
    """One page: open tabs most urgent first, then first come; closed ones and "all" newest first."""
    statement = _base(session, query, context)
    if (tab := _tab(query.tab, context.officer_id)) is not None:
        statement = statement.where(tab)
    if query.tab in CLOSED:
        statement = statement.order_by(Case.resolved_at.desc(), Case.id.desc())
    elif query.tab == "all":
        statement = statement.order_by(Case.created_at.desc(), Case.id.desc())
    else:
        statement = statement.order_by(Case.priority.desc(), Case.created_at, Case.id)
    page = max(1, query.page)
    statement = (statement.options(joinedload(Case.officer)).limit(page_size + 1)
                 .offset((page - 1) * page_size))
    rows = list(session.scalars(statement).unique())
    cases = rows[:page_size]
    return Found(cases, page, len(rows) > page_size, last_citizen_at(session, cases))


@dataclass(frozen=True)
class Counts:
    tabs: dict[str, int]
    capped: bool  # common words: each tab counted up to COUNT_CAP ("200+")


def counts(session: Session, *, query: CaseQuery, context: Context) -> Counts:
    """How many cases each tab holds under the same search and filters: one statement, a count per tab."""
    capped = common(session, query.q, at_least=COUNT_MESSAGES)
    filters = _filters(session, query, context, capped)
    if not capped:  # the matching set is built once, each tab counted from it
        columns = [func.count().filter(condition).label(tab) for tab in TABS
                   if (condition := _tab(tab, context.officer_id)) is not None]
        statement = select(*columns).select_from(Case).join(Conversation, Conversation.id == Case.conversation_id)
        one = session.execute(statement.where(*filters)).one()
        return Counts({tab: int(getattr(one, tab) or 0) for tab in TABS}, False)
    parts = []
    for tab in TABS:
        condition = _tab(tab, context.officer_id)
        inner = select(Case.id).join(Conversation, Conversation.id == Case.conversation_id).where(
            *filters, *([condition] if condition is not None else []))
        if capped:
            inner = inner.limit(COUNT_CAP)
        parts.append(select(func.count()).select_from(inner.subquery()).scalar_subquery().label(tab))
    row = session.execute(select(*parts)).one()
    return Counts({tab: int(getattr(row, tab) or 0) for tab in TABS}, capped)


def last_citizen_at(session: Session, cases: list[Case]) -> dict[int, dt.datetime]:
    """When each case's citizen last wrote (the timer of a claimed case runs from there)."""
    if not cases:
        return {}
    by_conversation = {c.conversation_id: c.id for c in cases}
    statement = (select(Message.conversation_id, func.max(Message.created_at))
                 .where(Message.conversation_id.in_(by_conversation), Message.role == "citizen")
                 .group_by(Message.conversation_id))
    found: dict[int, dt.datetime] = {}
    for conversation_id, at in session.execute(statement):
        if at is not None:
            found[by_conversation[conversation_id]] = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return found
