"""The officers' search: one box for words, case numbers and phone endings; tabs, filters, pages and the tabs'
counts; the words' index kept in step with the messages; every statement through an index (SQLite's plans)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import pytest
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from assistant.store import case_search
from assistant.store.case_search import CaseQuery, Context
from assistant.store.models import Callback, Case, Citizen, Conversation, Message
from assistant.store.types import utcnow
from tests.utils.factories import make_officer

NOW = utcnow()
_ids = itertools.count(1)


def make_case(session: Session, *said: str, channel: str = "web", status: str = "waiting", priority: int = 0,
              phone: str | None = None, claimed_by: int | None = None, minutes_ago: float = 10,
              resolved_minutes_ago: float | None = None) -> Case:
    n = next(_ids)
    at = NOW - dt.timedelta(minutes=minutes_ago)
    citizen = Citizen(phone=phone, created_at=at)
    conversation = Conversation(id=f"conv{n:06d}", citizen=citizen, channel=channel, created_at=at, updated_at=at)
    session.add_all([citizen, conversation])
    session.flush()
    for k, text in enumerate(said):
        session.add(Message(conversation_id=conversation.id, role="citizen" if k % 2 == 0 else "assistant",
                            text=text, created_at=at + dt.timedelta(seconds=k)))
    resolved = NOW - dt.timedelta(minutes=resolved_minutes_ago) if resolved_minutes_ago is not None else None
    case = Case(conversation_id=conversation.id, citizen_id=citizen.id, status=status, priority=priority,
                reason="asked", summary={}, claimed_by=claimed_by, created_at=at, resolved_at=resolved,
                claimed_at=at if claimed_by else None)
    session.add(case)
    session.commit()
    return case


@pytest.fixture
def me(db: Session) -> int:
    return make_officer(db).id


@pytest.fixture
def context(me: int) -> Context:
    return Context(officer_id=me, now=NOW, day_start=NOW - dt.timedelta(hours=2), late_minutes=15)


def found(db: Session, context: Context, **query: Any) -> list[int]:
    return [c.id for c in case_search.search(db, query=CaseQuery(**query), context=context).cases]


def test_words_said_anywhere_in_the_conversation_find_its_case(db, context):
    lost = make_case(db, "我的身份证丢了怎么办", "请带户口本去派出所", "要带照片吗")
    pension = make_case(db, "退休了养老金怎么领", "带上社保卡")
    make_case(db, "公交卡怎么充值")
    assert found(db, context, tab="all", q="身份证") == [lost.id]
    assert found(db, context, tab="all", q="户口本去") == [lost.id]  # the assistant's words too
    assert found(db, context, tab="all", q="社保") == [pension.id]  # two characters: no trigram, still found
    assert found(db, context, tab="all", q="身份证 照片") == []  # every term in one message
    assert found(db, context, tab="all", q="身份证 丢了") == [lost.id]
    assert found(db, context, tab="all", q="驾驶证") == []


def test_words_with_quotes_and_like_wildcards_are_only_words(db, context):
    make_case(db, "100%报销吗")
    odd = make_case(db, 'he said "hi" 50_50')
    assert found(db, context, tab="all", q='"hi"') == [odd.id]
    assert found(db, context, tab="all", q="0_5") == [odd.id]
    assert found(db, context, tab="all", q="%") == [next(iter(found(db, context, tab="all", q="100%")))]
    assert found(db, context, tab="all", q="_") == [odd.id]


def test_a_case_number_or_a_phones_last_four_digits(db, context):
    first = make_case(db, "你好", phone="13912345678")
    by_callback = make_case(db, "回电吧")
    db.add(Callback(case_id=by_callback.id, phone="13800005678", due_at=NOW))
    db.commit()
    make_case(db, "别的", phone="13900001111")
    assert found(db, context, tab="all", q=f"#{first.id}") == [first.id]
    assert found(db, context, tab="all", q=str(by_callback.id)) == [by_callback.id]
    assert sorted(found(db, context, tab="all", q="5678")) == sorted([first.id, by_callback.id])
    assert found(db, context, tab="all", q="13912345678") == [first.id]


def test_four_digits_are_a_case_number_as_well(db, context):
    ids = [make_case(db, "问题").id for _ in range(3)]
    db.execute(update(Case).where(Case.id == ids[0]).values(id=1234))
    db.commit()
    assert found(db, context, tab="all", q="1234") == [1234]


def test_tabs_and_their_counts_under_the_same_search(db, context, me):
    colleague = make_officer(db).id
    make_case(db, "身份证换领", status="waiting")
    make_case(db, "身份证补办", status="claimed", claimed_by=me)
    make_case(db, "身份证过期", status="claimed", claimed_by=colleague)
    make_case(db, "身份证丢失", status="resolved", claimed_by=me, resolved_minutes_ago=1)
    make_case(db, "养老金", status="waiting")
    counts = case_search.counts(db, query=CaseQuery(q="身份证"), context=context)
    assert counts.tabs == {"waiting": 1, "mine": 1, "others": 1, "resolved": 1, "cancelled": 0}
    assert case_search.counts(db, query=CaseQuery(), context=context).tabs["waiting"] == 2
    short = case_search.counts(db, query=CaseQuery(q="身份"), context=context)  # read case by case, capped
    assert short.capped and short.tabs == counts.tabs
    mine = case_search.search(db, query=CaseQuery(tab="mine"), context=context).cases
    assert [c.claimed_by for c in mine] == [me]
    others = case_search.search(db, query=CaseQuery(tab="others"), context=context).cases
    assert [c.claimed_by for c in others] == [colleague]


def test_emergencies_come_first_and_filters_narrow(db, context):
    old = make_case(db, "办证", minutes_ago=30, channel="phone")
    urgent = make_case(db, "着火了", priority=10, minutes_ago=1, channel="telegram")
    new = make_case(db, "办证", minutes_ago=5, channel="phone")
    ancient = make_case(db, "办证", minutes_ago=60 * 24 * 10, channel="web")
    assert found(db, context, tab="waiting") == [urgent.id, ancient.id, old.id, new.id]
    assert found(db, context, tab="waiting", emergency=True) == [urgent.id]
    assert found(db, context, tab="waiting", emergency=False, channel="phone") == [old.id, new.id]
    assert found(db, context, tab="waiting", age="late") == [ancient.id, old.id]
    assert found(db, context, tab="waiting", age="today") == [urgent.id, old.id, new.id]
    assert found(db, context, tab="waiting", age="7d") == [urgent.id, old.id, new.id]


def test_the_resolved_history_pages_newest_first(db, context):
    cases = [make_case(db, f"第{n}个问题", status="resolved", resolved_minutes_ago=100 - n) for n in range(30)]
    newest_first = [c.id for c in reversed(cases)]
    first = case_search.search(db, query=CaseQuery(tab="resolved"), context=context, page_size=25)
    second = case_search.search(db, query=CaseQuery(tab="resolved", page=2), context=context, page_size=25)
    assert [c.id for c in first.cases] == newest_first[:25] and first.has_more
    assert [c.id for c in second.cases] == newest_first[25:] and not second.has_more


def test_the_words_index_follows_changed_and_removed_messages(db, context):
    case = make_case(db, "我家住在幸福小区三号楼", "好的")
    assert found(db, context, tab="all", q="幸福小区") == [case.id]
    db.execute(update(Message).where(Message.conversation_id == case.conversation_id, Message.role == "citizen")
               .values(text="（已清除）"))  # what the purge does to old words
    db.commit()
    assert found(db, context, tab="all", q="幸福小区") == []
    assert found(db, context, tab="all", q="已清除") == [case.id]


def test_when_the_citizen_last_wrote(db, context):
    case = make_case(db, "第一句", "回答", "第二句")
    [(case_id, at)] = case_search.last_citizen_at(db, [case]).items()
    assert case_id == case.id and at == case.created_at + dt.timedelta(seconds=2)


# --- the plans (SQLite) ---

BIG = ("messages", "case_events", "cases", "callbacks", "conversations", "citizens")
FULL_SCAN = re.compile(rf"^SCAN ({'|'.join(BIG)})\b")


def _plans(db: Session, run: Any) -> list[str]:
    statements: list[tuple[str, Any]] = []

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    with engine.connect() as connection:  # type: ignore[union-attr]
        return [row[3] for statement, parameters in statements
                for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]


@pytest.mark.parametrize("query", [
    CaseQuery(tab="all", q="身份证"), CaseQuery(tab="resolved", q="身份证 丢了"), CaseQuery(tab="all", q="#12"),
    CaseQuery(tab="all", q="5678"), CaseQuery(tab="waiting"), CaseQuery(tab="resolved"), CaseQuery(tab="open"),
    CaseQuery(tab="mine", channel="phone", emergency=True), CaseQuery(tab="waiting", age="today"),
], ids=repr)
def test_searches_read_through_indexes(db, context, query, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's plans")
    make_case(db, "身份证丢了", phone="13912345678")
    steps = _plans(db, lambda: case_search.search(db, query=query, context=context))
    assert [s for s in steps if FULL_SCAN.match(s)] == []
    if query.q and all(len(term) >= 3 for term in query.q.split()) and query.q[0] not in "#0123456789":
        assert any("message_words VIRTUAL TABLE" in s for s in steps)
    elif query.q and query.q[0] not in "#0123456789":  # a short word: each case's messages, by conversation
        assert any("ix_messages_conversation_id_id" in s for s in steps)
