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


@pytest.mark.parametrize("second", ["厨房里一股煤气味", "我老伴突然叫不醒了", "有人在撬我家的门"])
def test_an_emergency_counts_only_the_emergencies_before_it(citizen, on_duty, second):
    for n in range(3):
        citizen(f"normal-{n}").say("找人工")
    first = citizen("first")
    first.say("电梯卡住了，我被关在里面出不来")
    later = citizen("later")
    later.say(second)
    assert (status(first).position, status(later).position) == (1, 2)
    assert status(later).urgent and "前面还有1位" in status(later).text


@pytest.mark.parametrize("said", ["我家着火了", "快叫救护车，我爸倒下了", "对方让我马上转账到安全账户",
                                  "我胸口疼得喘不上气"])
def test_an_emergency_is_never_told_to_wait_its_turn(runtime, session, citizen, on_duty, said):
    busy = citizen("busy")
    busy.say("找人工")
    runtime.desk.claim(session, case=busy.case, officer=on_duty)
    session.commit()
    for n in range(2):
        citizen(f"normal-{n}").say("找人工")
    replies = citizen("urgent").say(said)
    told = "".join(r.text for r in replies)
    assert "优先" in told and "按顺序" not in told and "排在最前面" in told, told


@pytest.mark.parametrize("said", ["我家着火了", "老伴摔倒了起不来", "我儿子说要自杀"])
def test_an_emergency_with_nobody_on_duty_is_told_to_call_now_not_offered_a_callback(citizen, said):
    replies = citizen("alone").say(said)
    told = "".join(r.text for r in replies)
    assert [r.kind for r in replies] == ["emergency", "queue"]
    assert texts.EMERGENCY_NOBODY_ON_DUTY in told and "一上班" not in told and "回电" not in told, told


def test_a_place_told_live_stays_urgent(citizen, on_duty):
    """The one queue event every channel reads carries each case's priority, so the refreshed line is the same."""
    from assistant.waiting import QueueSnapshot, snapshot

    citizen("normal").say("找人工")
    urgent = citizen("urgent")
    urgent.say("我家着火了")
    live = QueueSnapshot.from_event(snapshot(urgent.session, now=urgent.runtime.desk.clock()).to_event())
    assert live.status_for(urgent.conversation_id).text == status(urgent).text


@pytest.mark.parametrize(("said", "kind"), [("我家着火了", "fire"), ("煤气味好大", "gas"),
                                            ("电梯卡住了我出不来", "lift"), ("我不想活了", "self_harm")])
def test_the_officer_sees_which_kind_of_emergency(citizen, on_duty, said, kind):
    chat = citizen("urgent")
    chat.say(said)
    assert chat.case.summary["emergency"] == kind and chat.case.reason == "emergency"
