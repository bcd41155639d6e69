"""Purging personal data older than a cut-off: the words and numbers go, the public figures and the audit trail stay
(the trail records which officers' words were cleared, and still verifies).

Three days ago six citizens asked (each giving a phone and an ID number); five were handed to a person, resolved,
asked for feedback, and one booked a callback. One of them still has a case open. Two hours ago another citizen
asked. The cut-off is one day ago; where a test sets the hard maximum (open cases too), it is the same day.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from assistant import audit, stats, views
from assistant.messages import Incoming, Text
from assistant.purge import FORGOTTEN, PURGED, purge
from assistant.store import cases as case_store
from assistant.store import pushes as push_store
from assistant.store.models import (
    Callback,
    Case,
    CaseEvent,
    ChannelIdentity,
    Citizen,
    Conversation,
    Message,
    PendingPush,
)
from bench.backlog import seed as seed_backlog
from tests.utils import records
from tests.utils.factories import make_officer

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=BEIJING)
OLD = NOW - dt.timedelta(days=3)
RECENT = NOW - dt.timedelta(hours=2)
CUT_OFF = NOW - dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)
ID_NUMBER = "11010519491231002X"


def mobile(n: int) -> str:
    return f"1391234567{n}"


def citizen_asks(session, text: str, *, at: dt.datetime, phone: str | None = None) -> Conversation:
    conversation = records.conversation(session, at=at)
    conversation.updated_at = conversation.citizen.created_at = at
    conversation.citizen.phone = phone
    conversation.state = {"last": [{"text": f"您的电话是{phone}", "kind": "system"}]}
    records.asked(session, conversation, text, at=at, action="answer", label="id-card-renewal", confidence=0.9)
    return conversation


@pytest.fixture
def history(session):
    officer = make_officer(session)
    old = [citizen_asks(session, f"我电话{mobile(n)}，身份证{ID_NUMBER}过期了咋换", at=OLD + n * MINUTE,
                        phone=mobile(n)) for n in range(6)]
    for n, conversation in enumerate(old[:5]):
        opened = OLD + dt.timedelta(hours=1, minutes=n)
        case = records.case_opened(session, conversation, at=opened)
        case.summary = {"service_id": "id-card-renewal", "service_title": "身份证换领", "reason": "asked",
                        "channel": "web", "phone": mobile(n), "said": [f"我电话{mobile(n)}"], "earlier": []}
        records.event(session, case, "claimed", at=opened + (n + 1) * MINUTE, officer=officer)
        records.event(session, case, "resolved", at=opened + 30 * MINUTE, officer=officer)
        records.event(session, case, "feedback", at=opened + 31 * MINUTE, solved=n != 0)
        case.status, case.resolved_at = "resolved", opened + 30 * MINUTE
        if n == 0:
            records.callback(session, case, due=opened + 2 * MINUTE, status="done", done=opened + 5 * MINUTE,
                             officer=officer)
    still_open = records.case_opened(session, old[5], at=OLD + dt.timedelta(hours=2))
    recent = citizen_asks(session, "养老金怎么领，电话13900001111", at=RECENT, phone="13900001111")
    session.commit()
    return {"old": old, "still_open": still_open, "recent": recent}


def figures(session, kb) -> dict:
    titles = {gid: g.title for gid, g in kb.guides.items()}
    # Every day counted from its rows (rollup=False): whether the purge kept what the figures count.
    return stats.compute(session, now=NOW.astimezone(dt.UTC), zone=BEIJING, titles=titles, rollup=False)


def events(session) -> list[tuple]:
    return [(e.id, e.case_id, e.kind, e.actor, e.detail, e.created_at) for e in session.scalars(select(CaseEvent))]


def test_the_public_figures_are_the_same_before_and_after(session, kb, history):
    before = figures(session, kb)
    old_day = before["days"].index(OLD.date().isoformat())
    series = before["series"]
    assert (series["questions"][old_day], series["cases_opened"][old_day]) == (6, 6)  # the purged day has figures
    assert series["reach_p50"][old_day] is not None and series["solved_share"][old_day] == 0.8
    purge(session, before=CUT_OFF.astimezone(dt.UTC))
    session.commit()
    assert figures(session, kb) == before


def test_old_words_and_numbers_are_gone(session, history):
    purged = purge(session, before=CUT_OFF.astimezone(dt.UTC))
    session.commit()
    old_ids = [c.id for c in history["old"][:5]]
    texts = session.scalars(select(Message.text).where(Message.conversation_id.in_(old_ids))).all()
    assert texts == [PURGED] * 5
    cases = session.scalars(select(Case).where(Case.conversation_id.in_(old_ids))).all()
    assert all(c.summary == {"service_id": "id-card-renewal", "service_title": "身份证换领", "reason": "asked",
                             "channel": "web"} for c in cases)
    assert session.scalars(select(Callback.phone)).all() == [""]
    quiet_citizens = [c.citizen_id for c in history["old"][:5]]
    assert session.scalars(select(Citizen.phone).where(Citizen.id.in_(quiet_citizens))).all() == [None] * 5
    forgotten = session.scalars(select(ChannelIdentity.external_id)
                                .where(ChannelIdentity.citizen_id.in_(quiet_citizens))).all()
    assert forgotten and all(e.startswith(FORGOTTEN) for e in forgotten)  # no chat id or number left
    assert all(session.get(Conversation, i).state == {} for i in old_ids)
    assert (purged.messages, purged.cases, purged.callbacks, purged.citizens, purged.identities) == (5, 5, 1, 5, 5)


def test_recent_data_and_an_open_case_are_kept(session, history):
    purge(session, before=CUT_OFF.astimezone(dt.UTC))
    session.commit()
    for conversation in (history["recent"], history["old"][5]):
        [text] = session.scalars(select(Message.text).where(Message.conversation_id == conversation.id)).all()
        assert text != PURGED
        assert session.get(Citizen, conversation.citizen_id).phone is not None
        identities = select(ChannelIdentity).where(ChannelIdentity.citizen_id == conversation.citizen_id)
        assert session.scalars(identities).all()
        assert conversation.state != {}


def test_the_audit_trail_is_neither_changed_nor_deleted(session, history):
    trail = events(session)
    purge(session, before=CUT_OFF.astimezone(dt.UTC))
    session.commit()
    assert events(session) == trail


def test_purging_twice_changes_nothing_more(session, history):
    purge(session, before=CUT_OFF.astimezone(dt.UTC))
    again = purge(session, before=CUT_OFF.astimezone(dt.UTC))
    assert (again.messages, again.cases, again.callbacks, again.citizens, again.identities) == (0, 0, 0, 0, 0)


def test_old_messages_still_waiting_for_a_chat_are_not_sent_after_all(session, history):
    def said(conversation: Conversation) -> Message:
        return session.scalars(select(Message).where(Message.conversation_id == conversation.id)).one()

    old, recent = said(history["old"][0]), said(history["recent"])
    for message in (old, recent):
        push_store.add(session, message=message, channel="telegram")
    purged = purge(session, before=CUT_OFF.astimezone(dt.UTC))
    session.commit()
    assert purged.pushes == 1
    assert session.scalars(select(PendingPush.message_id)).all() == [recent.id]


# --- officers' words, the hard maximum, batches ---

def note(session, case: Case, words: str, *, at: dt.datetime) -> None:
    case_store.add_event(session, case=case, kind="note", actor="officer:wangfang", words=words, at=at)


def words_of_notes(session) -> list[str]:
    return [views.case_event(e)["detail"]["text"] for e in session.scalars(select(CaseEvent).order_by(CaseEvent.id))
            if e.kind == "note"]


def test_notes_of_closed_cases_go_and_the_trail_records_it(session, history):
    resolved, still_open = history["old"][0], history["still_open"]
    note(session, case_store.last_resolved(session, conversation_id=resolved.id), "儿子电话139****5678", at=OLD)
    note(session, still_open, "老人耳背", at=OLD)
    session.commit()
    purged = purge(session, before=CUT_OFF.astimezone(dt.UTC), by="test")
    assert purged.notes == 1
    assert words_of_notes(session) == [views.CLEARED, "老人耳背"]  # the open case's note stays below the maximum
    [redacted] = session.scalars(select(CaseEvent).where(CaseEvent.kind == "redacted")).all()
    assert (redacted.actor, redacted.detail["by"], len(redacted.detail["texts"])) == ("purge", "test", 1)
    assert audit.verify(session).broken is None


def test_past_the_maximum_an_open_case_keeps_nothing_personal(session, history):
    still_open, conversation = history["still_open"], history["old"][5]
    still_open.summary = {"service_id": None, "reason": "asked", "phone": mobile(5), "said": ["我电话"]}
    note(session, still_open, "老人耳背", at=OLD)
    records.callback(session, still_open, due=OLD + dt.timedelta(hours=3))
    session.commit()
    purged = purge(session, before=CUT_OFF.astimezone(dt.UTC), hard_before=CUT_OFF.astimezone(dt.UTC))
    assert session.scalars(select(Message.text).where(Message.conversation_id == conversation.id)).all() == [PURGED]
    assert session.get(Case, still_open.id).summary == {"service_id": None, "reason": "asked"}
    assert words_of_notes(session) == [views.CLEARED]
    assert session.get(Citizen, conversation.citizen_id).phone is None
    assert session.get(Conversation, conversation.id).state == {}
    assert [(c.phone, c.status) for c in session.scalars(select(Callback).order_by(Callback.id))] == \
        [("", "done"), ("", "expired")]
    assert (purged.expired, session.get(Case, still_open.id).status) == (1, "waiting")
    assert audit.verify(session).broken is None


def test_recent_data_stays_past_the_maximum_too(session, history):
    purge(session, before=CUT_OFF.astimezone(dt.UTC), hard_before=CUT_OFF.astimezone(dt.UTC))
    recent = history["recent"]
    assert session.scalars(select(Message.text).where(Message.conversation_id == recent.id)).all() != [PURGED]
    assert session.get(Citizen, recent.citizen_id).phone == "13900001111"


@pytest.mark.parametrize("hard", [False, True], ids=["cut-off", "maximum"])
def test_the_public_figures_survive_a_purge_of_everything(session, kb, history, hard):
    before = figures(session, kb)
    everything = NOW.astimezone(dt.UTC) + MINUTE
    purge(session, before=everything, hard_before=everything if hard else None)
    assert figures(session, kb) == before


def test_small_batches_clear_the_same_as_one_big_one(session, history):
    """Each batch is committed on its own: here two rows at a time."""
    note(session, history["still_open"], "老人耳背", at=OLD)
    session.commit()
    cut_off = CUT_OFF.astimezone(dt.UTC)
    counted = purge(session, before=cut_off, hard_before=cut_off, dry_run=True)
    purged = purge(session, before=cut_off, hard_before=cut_off, batch_size=2)
    assert purged.batches > 10 and 0 < purged.longest_batch < 5
    assert purged.summary() == counted.summary() and purged.rows() > 20
    assert purge(session, before=cut_off, hard_before=cut_off).rows() == 0
    assert audit.verify(session).broken is None


def test_a_dry_run_counts_what_would_go_and_changes_nothing(session, history):
    trail, said = events(session), session.scalars(select(Message.text).order_by(Message.id)).all()
    counted = purge(session, before=CUT_OFF.astimezone(dt.UTC), dry_run=True)
    assert (counted.messages, counted.cases, counted.callbacks, counted.citizens) == (5, 5, 1, 5)
    assert events(session) == trail and session.scalars(select(Message.text).order_by(Message.id)).all() == said


def test_the_maximum_is_never_more_recent_than_the_cut_off(session):
    with pytest.raises(ValueError):
        purge(session, before=OLD.astimezone(dt.UTC), hard_before=CUT_OFF.astimezone(dt.UTC))


def test_citizens_go_on_talking_while_a_purge_runs(runtime, session):
    """A year-old backlog of some 8,700 rows purged in batches of 500 while a citizen chats through the engine:
    every turn succeeds, and turns complete between the purge's batches, not only after it."""
    seed_backlog(runtime.sessions, 6000, at=NOW.astimezone(dt.UTC) - dt.timedelta(days=400))
    turns, failures, started = [], [], threading.Event()
    finished = threading.Event()

    def citizen() -> None:
        with runtime.sessions() as own:
            while not finished.is_set():
                try:
                    runtime.assistant.handle(own, Incoming("web", "talker", Text("养老金怎么领")))
                    turns.append(time.perf_counter())
                except Exception as exc:  # what the citizen would have seen fail
                    failures.append(exc)
                    own.rollback()
                started.set()

    talking = threading.Thread(target=citizen)
    talking.start()
    assert started.wait(30)
    began = time.perf_counter()
    purged = purge(session, before=NOW.astimezone(dt.UTC), hard_before=NOW.astimezone(dt.UTC), batch_size=500)
    ended = time.perf_counter()
    finished.set()
    talking.join()
    assert failures == []
    assert purged.rows() > 8000 and purged.batches > 15
    assert sum(began < t < ended for t in turns) >= 3, (len(turns), ended - began)
