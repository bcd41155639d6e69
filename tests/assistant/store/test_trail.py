"""The audit trail's hash chain: events are chained when their transaction commits, in order, under one lock;
transactions committing at once never fork it, and an officer and a citizen acting on one case at once do not
deadlock over it (its lock is the last one a transaction takes)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from assistant import audit, migrate
from assistant.messages import Incoming, Text
from assistant.runtime import build
from assistant.settings import Settings
from assistant.store import cases, citizens, conversations, trail
from assistant.store.db import make_session_factory
from assistant.store.models import Case, CaseEvent, Officer
from tests.utils.db import database_url
from tests.utils.factories import make_officer

THREADS, ROUNDS = 6, 15


def open_cases(engine: Engine, n: int) -> list[int]:
    with make_session_factory(engine)() as session:
        made = []
        for i in range(n):
            identity = citizens.identify(session, channel="web", external_id=f"c{i}")
            conversation = conversations.start(session, identity=identity)
            made.append(cases.create(session, conversation=conversation, reason="asked", priority=0,
                                     service_id=None, summary={}))
        session.commit()
        return [case.id for case in made]


def test_an_event_is_written_and_chained_when_its_transaction_commits(engine):
    [case_id] = open_cases(engine, 1)
    with make_session_factory(engine)() as session:
        case = session.get(Case, case_id)
        first = cases.add_event(session, case=case, kind="opened", actor="citizen")
        second = cases.add_event(session, case=case, kind="note", actor="officer:wangfang", words="老人耳背")
        assert session.scalar(select(func.count()).select_from(CaseEvent)) == 0
        assert cases.events(session, case_id=case_id) == [first, second]  # this transaction sees its own
        session.commit()
        assert (first.prev_hash, second.prev_hash) == (trail.GENESIS, first.event_hash)
        assert second.event_hash == trail.content_hash(second, prev_hash=first.event_hash)


def test_events_of_a_transaction_rolled_back_are_never_written(engine):
    [case_id] = open_cases(engine, 1)
    with make_session_factory(engine)() as session:
        cases.add_event(session, case=session.get(Case, case_id), kind="opened", actor="citizen")
        session.rollback()
        session.commit()
        assert session.scalar(select(func.count()).select_from(CaseEvent)) == 0


def test_the_database_refuses_a_fork(engine):
    """Two events after the same one: the unique prev_hash stops it, whatever wrote them."""
    [case_id] = open_cases(engine, 1)
    sessions = make_session_factory(engine)
    with sessions() as session:
        cases.add_event(session, case=session.get(Case, case_id), kind="opened", actor="citizen")
        session.commit()
        fork = CaseEvent(case_id=case_id, kind="claimed", actor="officer:x", detail={}, prev_hash=trail.GENESIS,
                         event_hash="f" * 64)
        session.add(fork)
        with pytest.raises(IntegrityError):
            session.commit()


def test_transactions_committing_at_once_never_fork_the_chain(engine):
    """Each thread adds two events to its own case per transaction; all commit at the same moment."""
    case_ids = open_cases(engine, THREADS)
    sessions = make_session_factory(engine)
    barrier, failures = threading.Barrier(THREADS), []

    def officer(case_id: int) -> None:
        with sessions() as session:
            case = session.get(Case, case_id)
            session.commit()
            for n in range(ROUNDS):
                cases.add_event(session, case=case, kind="note", actor="officer:x", words=f"第{n}次")
                cases.add_event(session, case=case, kind="revealed", actor="officer:x", detail={"what": "case"})
                barrier.wait(timeout=60)
                try:
                    session.commit()
                except Exception as exc:  # collected, the test fails on any
                    failures.append(exc)
                    session.rollback()

    threads = [threading.Thread(target=officer, args=(case_id,)) for case_id in case_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with sessions() as session:
        verdict = audit.verify(session)
        assert (verdict.broken, verdict.events) == (None, THREADS * ROUNDS * 2)
        hashes = session.execute(select(CaseEvent.prev_hash, CaseEvent.event_hash).order_by(CaseEvent.id)).all()
        assert [prev for prev, _ in hashes[1:]] == [own for _, own in hashes[:-1]]  # one line, no branch


@pytest.mark.postgres
def test_an_officer_and_the_citizen_acting_on_one_case_at_once_never_deadlock(tmp_path: Path, matcher):
    """The citizen's turn locks the conversation, then records an event; a supervisor handing the case over records
    an event, then tells the citizen (writing into that conversation). Were the trail's lock taken when an event is
    added, each would wait for the other and PostgreSQL would abort one; taken last, at commit, it never waits for
    a row."""
    with database_url("postgresql", tmp_path) as url:
        migrate.upgrade(url)
        runtime = build(Settings(_env_file=None, data_dir=tmp_path, database_url=url), matcher)  # type: ignore[call-arg]
        try:
            with runtime.sessions() as session:
                officers = [make_officer(session, name="王芳"), make_officer(session, name="李明")]
                supervisor = make_officer(session, role="supervisor")
                turn = runtime.assistant.handle(session, Incoming("test", "c1", Text("找人工")))
                case = cases.open_for_conversation(session, conversation_id=turn.conversation.id)
                runtime.desk.claim(session, case=case, officer=officers[0])
                session.commit()
            ids = (case.id, supervisor.id, [o.id for o in officers])
            assert _both_at_once(runtime, *ids, rounds=ROUNDS) == []
            with runtime.sessions() as session:
                assert audit.verify(session).broken is None
                assert [e.kind for e in cases.events(session, case_id=case.id)].count("handed_over") == ROUNDS
        finally:
            runtime.close()


def _both_at_once(runtime, case_id: int, supervisor_id: int, officer_ids: list[int], rounds: int) -> list[Exception]:
    barrier, failures = threading.Barrier(2), []

    def citizen() -> None:
        with runtime.sessions() as session:
            for n in range(rounds):
                barrier.wait(timeout=60)
                try:
                    runtime.assistant.handle(session, Incoming("test", "c1", Text(f"还有个问题{n}")))
                except Exception as exc:  # collected, the test fails on any
                    failures.append(exc)
                    session.rollback()

    def supervisor() -> None:
        with runtime.sessions() as session:
            for n in range(rounds):
                barrier.wait(timeout=60)
                try:
                    case, by = session.get(Case, case_id), session.get(Officer, supervisor_id)
                    to = session.get(Officer, officer_ids[(n + 1) % 2])
                    runtime.desk.hand_over(session, case=case, officer=by, to=to, note=f"第{n}次")
                    session.commit()
                except Exception as exc:
                    failures.append(exc)
                    session.rollback()

    threads = [threading.Thread(target=citizen), threading.Thread(target=supervisor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures
