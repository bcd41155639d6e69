"""Live events: the in-process bus, and the outbox that sends them only after a commit."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from assistant import outbox
from assistant.live.events import InProcessBus


async def _next(stream, timeout: float = 1.0):
    return await asyncio.wait_for(anext(stream), timeout)


async def test_an_event_published_from_another_thread_reaches_the_subscriber():
    bus = InProcessBus()
    async with bus.subscribe("conversation:a") as events:
        threading.Thread(target=bus.publish, args=("conversation:a", {"type": "message", "n": 1})).start()
        assert await _next(events) == {"type": "message", "n": 1}


async def test_topics_are_separate_and_every_subscriber_gets_its_copy():
    bus = InProcessBus()
    async with bus.subscribe("conversation:a") as first, bus.subscribe("conversation:a") as second, \
            bus.subscribe("conversation:b") as other:
        bus.publish("conversation:a", {"type": "queue"})
        assert await _next(first) == await _next(second) == {"type": "queue"}
        bus.publish("conversation:b", {"type": "other"})
        assert await _next(other) == {"type": "other"}


async def test_leaving_unsubscribes():
    bus = InProcessBus()
    async with bus.subscribe("officers"):
        assert bus.subscriber_count("officers") == 1
    assert bus.subscriber_count("officers") == 0
    bus.publish("officers", {"type": "nobody listens"})  # and nothing breaks


async def test_a_slow_reader_loses_its_oldest_events_not_the_publisher_its_time():
    bus = InProcessBus(queue_size=2)
    async with bus.subscribe("t") as events:
        for n in range(5):
            bus.publish("t", {"n": n})
        await asyncio.sleep(0)
        assert [(await _next(events))["n"] for _ in range(2)] == [3, 4]


class RecordingBus:
    def __init__(self):
        self.sent: list[tuple[str, dict]] = []

    def publish(self, topic, event):
        self.sent.append((topic, event))

    def subscribe(self, topic, *more):  # pragma: no cover - not used here
        raise NotImplementedError


def test_the_outbox_sends_after_commit_and_forgets_on_rollback():
    bus = RecordingBus()
    factory = sessionmaker(create_engine("sqlite://"))
    outbox.attach(factory, bus)
    with factory() as session:
        outbox.publish_after_commit(session, "t", {"n": 1})
        assert bus.sent == []
        session.commit()
        assert bus.sent == [("t", {"n": 1})]
        outbox.publish_after_commit(session, "t", {"n": 2})
        session.rollback()
        session.commit()
    assert bus.sent == [("t", {"n": 1})]
