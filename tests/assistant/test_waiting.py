"""The place in the queue and the wait estimate: honest, from recent handling times and who is on duty."""

from __future__ import annotations

import pytest

from assistant import texts
from tests.utils.chat import Chat
from tests.utils.factories import make_officer


@pytest.fixture
def citizen(runtime, session):
    def make(name: str) -> Chat:
        return Chat(runtime, session, sender=name)
    return make


def status(chat: Chat):
    return chat.runtime.desk.status(chat.session, case=chat.case)


def handle_cases(runtime, session, clock, officer, citizen, minutes: int, count: int) -> None:
    """count cases, each claimed and resolved after `minutes`: the recent history an estimate rests on."""
    for n in range(count):
        chat = citizen(f"earlier-{n}")
        chat.say("找人工")
        runtime.desk.claim(session, case=chat.case, officer=officer)
        clock.advance(minutes=minutes)
        runtime.desk.resolve(session, case=chat.case, officer=officer)
        session.commit()


def test_nobody_on_duty_is_said_plainly(citizen):
    chat = citizen("a")
    chat.say("找人工")
    queued = status(chat)
    assert (queued.position, queued.minutes, queued.on_duty) == (1, None, 0)
    assert "现在没有工作人员值班" in queued.text


def test_a_free_officer_means_soon(citizen, on_duty):
    chat = citizen("a")
    chat.say("找人工")
    assert status(chat).minutes == 1
    assert "大约1分钟" in status(chat).text


def test_without_recent_history_the_configured_handling_time_is_told(runtime, session, citizen, on_duty):
    busy, waiting, later = citizen("a"), citizen("b"), citizen("c")
    busy.say("找人工")
    runtime.desk.claim(session, case=busy.case, officer=on_duty)
    session.commit()
    waiting.say("找人工")
    later.say("我要找工作人员")
    default = runtime.settings.queue_default_handling_minutes
    assert (status(waiting).minutes, status(later).minutes) == (default, 2 * default)
    assert f"大约要等{default}分钟" in status(waiting).text


@pytest.mark.parametrize("handled", [0, 1, 2])
def test_someone_on_duty_always_means_a_number(runtime, session, clock, citizen, on_duty, handled):
    handle_cases(runtime, session, clock, on_duty, citizen, minutes=4, count=handled)
    busy, waiting = citizen("a"), citizen("b")
    busy.say("找人工")
    runtime.desk.claim(session, case=busy.case, officer=on_duty)
    session.commit()
    waiting.say("找人工")
    assert status(waiting).minutes is not None
    assert "大约" in status(waiting).text


def test_the_estimate_follows_recent_handling_times(runtime, session, clock, citizen, on_duty):
    handle_cases(runtime, session, clock, on_duty, citizen, minutes=10, count=3)
    busy, next_, after = citizen("a"), citizen("b"), citizen("c")
    for chat in (busy, next_, after):
        chat.say("找人工")
    runtime.desk.claim(session, case=busy.case, officer=on_duty)
    session.commit()

    assert (status(next_).position, status(next_).minutes) == (1, 10)
    assert (status(after).position, status(after).minutes) == (2, 20)
    assert status(after).text == texts.queue_line(2, 20, 1)


def test_more_officers_on_duty_shorten_the_wait(runtime, session, clock, citizen, on_duty):
    handle_cases(runtime, session, clock, on_duty, citizen, minutes=10, count=3)
    make_officer(session)
    first, second, third = citizen("a"), citizen("b"), citizen("c")
    for chat in (first, second, third):
        chat.say("找人工")
    assert [status(c).minutes for c in (first, second, third)] == [1, 1, 10]


def test_an_emergency_goes_before_everyone(citizen, on_duty):
    early = citizen("early")
    early.say("找人工")
    urgent = citizen("urgent")
    urgent.say("我家着火了")
    assert status(urgent).position == 1
    assert status(early).position == 2
