"""Retraining in the background on the guides plus what staff added, then serving with the new model at once.

The knowledge base here is a few guides of the real one, so a real training takes a fraction of a second.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from assistant.messages import Incoming, Text
from assistant.retrain_board import RedisBoard
from assistant.retraining import Retrainer, catch_up, follow_retraining
from assistant.runtime import build
from assistant.store import additions as addition_store
from tests.utils.factories import make_officer

BATH_QUESTIONS = [f"{who}{ask}" for who in ("", "俺家老人", "我妈", "我爸", "社区老人", "八十岁老人")
                  for ask in ("助浴补贴怎么申请", "洗澡补贴去哪领", "上门助浴怎么约", "助浴券能领吗", "洗澡有补助吗")]


@pytest.fixture
def taught(session, kb):
    """A supervisor attached one question and drafted one new guide."""
    supervisor = make_officer(session, role="supervisor", username="zuzhang")
    addition_store.add_question(session, text="身份证快到期了提前多久能换", label="id-card-renewal", officer=supervisor)
    bath = kb.guides["home-care-subsidy"].model_dump(mode="json") | {
        "id": "senior-bath-subsidy", "title": "老年人助浴补贴", "questions": BATH_QUESTIONS}
    addition_store.save_draft(session, service_id="senior-bath-subsidy", data=bath, officer=supervisor)
    session.commit()


def test_retraining_swaps_the_model_everywhere_without_a_restart(runtime, session, small_kb, taught):
    swapped = []
    retrainer = Retrainer(runtime, load_kb=lambda: small_kb, on_swap=swapped.append)
    assert retrainer.start(by="zuzhang")
    status = retrainer.wait()

    assert (status.state, status.percent, status.guides, status.started_by) == ("done", 100, 5, "zuzhang")
    assert swapped == [runtime.matcher]
    assert runtime.assistant.dialogue.matcher is runtime.matcher and runtime.desk.guides is runtime.matcher.kb.guides
    assert "身份证快到期了提前多久能换" in runtime.matcher.kb.guides["id-card-renewal"].questions
    turn = runtime.assistant.handle(session, Incoming("test", "citizen-1", Text("俺家老人助浴补贴怎么申请")))
    assert turn.replies[0].kind == "answer" and turn.replies[0].text.startswith(
        runtime.matcher.kb.guides["senior-bath-subsidy"].short_answer)


def test_one_retraining_at_a_time(runtime, small_kb):
    release = threading.Event()

    def slow_kb():
        release.wait()  # until the test has seen the retraining running
        return small_kb

    retrainer = Retrainer(runtime, load_kb=slow_kb, on_swap=lambda m: None)
    assert retrainer.start(by="a")
    assert retrainer.status().state == "running"
    assert not retrainer.start(by="b")
    release.set()
    assert retrainer.wait().state == "done"


def test_a_failed_retraining_keeps_the_old_model(runtime):
    def broken():
        raise OSError("guides folder unreadable")

    before = runtime.matcher
    retrainer = Retrainer(runtime, load_kb=broken, on_swap=lambda m: None)
    retrainer.start(by="a")
    status = retrainer.wait()
    assert status.state == "failed" and "guides folder unreadable" in status.error
    assert runtime.matcher is before



@pytest.fixture
def other_worker(settings, matcher, clock, runtime):
    """A second worker on the same database, model folder and event bus."""
    worker = build(settings, matcher, clock=clock, bus=runtime.bus)
    yield worker
    worker.close()


@pytest.fixture
def retrained(runtime, small_kb, taught):
    """The first worker has retrained on the few guides plus what the supervisor taught."""
    retrainer = Retrainer(runtime, load_kb=lambda: small_kb, on_swap=lambda m: None)
    retrainer.start(by="zuzhang")
    assert retrainer.wait().state == "done"
    return runtime.matcher


def test_another_worker_loads_the_retrained_model_without_training(other_worker, retrained, small_kb, no_training):
    swapped = []
    assert catch_up(other_worker, lambda: small_kb, swapped.append)
    assert other_worker.matcher is not retrained and swapped == [other_worker.matcher]
    assert other_worker.matcher.kb.guides.keys() == retrained.kb.guides.keys()
    question = "俺家老人助浴补贴怎么申请"
    assert other_worker.matcher.decide(question).label == retrained.decide(question).label == "senior-bath-subsidy"


def test_the_worker_that_retrained_does_not_load_it_again(runtime, retrained, small_kb, no_training):
    assert not catch_up(runtime, lambda: small_kb, lambda m: None)
    assert runtime.matcher is retrained


async def test_the_retraining_event_reaches_every_worker(runtime, other_worker, small_kb, taught):
    swapped, listening = asyncio.Event(), asyncio.Event()
    follower = asyncio.create_task(follow_retraining(other_worker, load_kb=lambda: small_kb,
                                                     on_swap=lambda m: swapped.set(),
                                                     subscribed=lambda on: listening.set() if on else None))
    await listening.wait()  # subscribed: the announcement cannot pass it by
    retrainer = Retrainer(runtime, load_kb=lambda: small_kb, on_swap=lambda m: None)
    retrainer.start(by="zuzhang")
    try:
        await swapped.wait()
    finally:
        follower.cancel()
    assert other_worker.matcher.kb.guides.keys() == runtime.matcher.kb.guides.keys()


@pytest.mark.redis
def test_with_several_workers_each_tells_the_console_the_same_and_one_trains(runtime, other_worker, small_kb,
                                                                            redis_url, redis_prefix):
    release = threading.Event()

    def slow_kb():
        release.wait()  # until the test has seen the retraining running
        return small_kb

    here, there = (Retrainer(worker, load_kb=slow_kb, on_swap=lambda m: None,
                             board=RedisBoard(redis_url, prefix=redis_prefix)) for worker in (runtime, other_worker))
    try:
        assert here.start(by="zuzhang")
        assert not there.start(by="fuzeren")  # the console's press reached the other worker
        assert (there.status().state, there.status().started_by) == ("running", "zuzhang")
        release.set()
        assert here.wait().state == "done"
        assert there.status().state == "done" and there.status().guides == len(small_kb.guides)
    finally:
        release.set()
        here.close()
        there.close()
