"""The Redis bus: the same publish/subscribe behaviour as the in-process bus, across bus instances and processes.
Needs TEST_REDIS_URL (skipped, saying so, without it); the failure tests need no Redis at all."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator

import pytest
import redis

from assistant.live.buses import make_bus
from assistant.live.events import InProcessBus
from assistant.live.redis_bus import RedisBus

# Nothing listens on port 1: every connection is refused, like a Redis server that is down.
UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def prefix() -> str:
    """Redis channels are server-wide: each test talks on channels of its own."""
    return f"test-{uuid.uuid4().hex[:8]}:"


@pytest.fixture
def bus(redis_url: str, prefix: str) -> Iterator[RedisBus]:
    bus = RedisBus(redis_url, prefix=prefix)
    yield bus
    bus.close()


async def _next(stream, timeout: float = 2.0):
    return await asyncio.wait_for(anext(stream), timeout)


@pytest.mark.redis
async def test_an_event_published_from_another_thread_reaches_the_subscriber(bus):
    async with bus.subscribe("conversation:a") as events:
        threading.Thread(target=bus.publish, args=("conversation:a", {"type": "message", "text": "您好"})).start()
        assert await _next(events) == {"type": "message", "text": "您好"}


@pytest.mark.redis
async def test_topics_are_separate_and_every_subscriber_gets_its_copy(bus):
    async with bus.subscribe("conversation:a") as first, bus.subscribe("conversation:a") as second, \
            bus.subscribe("conversation:b") as other:
        bus.publish("conversation:a", {"type": "queue"})
        assert await _next(first) == await _next(second) == {"type": "queue"}
        bus.publish("conversation:b", {"type": "other"})
        assert await _next(other) == {"type": "other"}


@pytest.mark.redis
async def test_events_keep_their_order(bus):
    async with bus.subscribe("officers") as events:
        for n in range(20):
            bus.publish("officers", {"n": n})
        assert [(await _next(events))["n"] for _ in range(20)] == list(range(20))


@pytest.mark.redis
async def test_an_event_published_on_one_bus_reaches_the_subscriber_of_another(redis_url, prefix):
    worker_a, worker_b = RedisBus(redis_url, prefix=prefix), RedisBus(redis_url, prefix=prefix)
    async with worker_b.subscribe("officers") as events:
        worker_a.publish("officers", {"type": "case_opened", "case": {"id": 7}})
        assert await _next(events) == {"type": "case_opened", "case": {"id": 7}}
    worker_a.close()
    worker_b.close()


@pytest.mark.redis
async def test_an_event_published_by_another_process_arrives(bus, redis_url, prefix):
    script = (f"from assistant.live.redis_bus import RedisBus; "
              f"RedisBus({redis_url!r}, prefix={prefix!r}).publish('officers', {{'type': 'from another process'}})")
    async with bus.subscribe("officers") as events:
        await asyncio.to_thread(subprocess.run, [sys.executable, "-c", script], check=True, timeout=30)
        assert await _next(events) == {"type": "from another process"}


@pytest.mark.redis
async def test_deployments_with_another_prefix_do_not_hear_each_other(bus, redis_url):
    other = RedisBus(redis_url, prefix=f"other-{uuid.uuid4().hex[:8]}:")
    async with bus.subscribe("officers") as events:
        other.publish("officers", {"type": "not for us"})
        bus.publish("officers", {"type": "for us"})
        assert await _next(events) == {"type": "for us"}
    other.close()


@pytest.mark.redis
async def test_leaving_closes_the_subscription(bus, redis_url, prefix):
    async with bus.subscribe("officers"):
        assert _subscribers(redis_url, f"{prefix}officers") == 1
    assert _subscribers(redis_url, f"{prefix}officers") == 0


def _subscribers(url: str, channel: str) -> int:
    client = redis.Redis.from_url(url)
    try:
        return dict(client.pubsub_numsub(channel))[channel.encode()]
    finally:
        client.close()


def test_with_redis_down_a_publish_is_logged_and_dropped(caplog):
    """The data is committed already; a live event is only a notice."""
    bus = RedisBus(UNREACHABLE)
    with caplog.at_level(logging.WARNING, logger="citizen_help.events"):
        bus.publish("officers", {"type": "case_opened"})
    assert "live event on officers not sent" in caplog.text
    bus.close()


async def test_with_redis_down_a_subscription_fails_at_once():
    with pytest.raises(redis.ConnectionError):
        async with RedisBus(UNREACHABLE).subscribe("officers"):
            pass  # pragma: no cover - never entered


def test_the_redis_bus_is_chosen_when_redis_url_is_set():
    assert isinstance(make_bus(None), InProcessBus)
    bus = make_bus("redis://localhost:6379/0")  # connects lazily: nothing is sent here
    assert isinstance(bus, RedisBus)
    bus.close()
