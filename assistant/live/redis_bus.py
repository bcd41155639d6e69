"""Live events across worker processes: the EventBus interface over Redis publish/subscribe.

Publishing uses one thread-safe connection pool, so the engine can publish from any worker thread right after it
commits. Each subscription (an open chat page, a staff console) holds its own Redis connection for as long as it
is open and closes it when it leaves: simple, and Redis serves 10,000 clients by default. A live event is a
notice, not the record: the data is already committed, so when Redis is down a publish is logged and dropped, and a
subscription fails (the page reconnects and reads what it missed).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis
import redis.asyncio as aioredis
from redis.asyncio.client import PubSub

from assistant.live.events import Event

log = logging.getLogger("citizen_help.events")

CONNECT_TIMEOUT = 3.0  # seconds; a publish must not hold a citizen's request for long when Redis is away


class RedisBus:
    """Every subscriber of a topic, in any process connected to the same Redis, gets every event published to it."""

    def __init__(self, url: str, *, prefix: str = "citizen-help:"):
        self._url = url
        # Redis channels are shared by every database number of a server: the prefix keeps deployments apart.
        self._prefix = prefix
        self._publisher = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT,
                                               socket_timeout=CONNECT_TIMEOUT)

    def _channel(self, topic: str) -> str:
        return self._prefix + topic

    def publish(self, topic: str, event: Event) -> None:
        try:
            self._publisher.publish(self._channel(topic), json.dumps(event, ensure_ascii=False))
        except redis.RedisError as exc:
            log.warning("live event on %s not sent, Redis error: %s", topic, exc)

    @asynccontextmanager
    async def subscribe(self, topic: str, *more: str) -> AsyncIterator[AsyncIterator[Event]]:
        """Subscribed once entered: whatever is published after that arrives (to any of the topics, on one
        connection)."""
        client = aioredis.Redis.from_url(self._url, socket_connect_timeout=CONNECT_TIMEOUT)
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(*(self._channel(t) for t in (topic, *more)))
            for _ in (topic, *more):
                await _confirmed(pubsub)
            yield _events(pubsub)
        finally:
            await pubsub.aclose()
            await client.aclose()

    def subscriber_count(self, topic: str) -> int:
        """Subscribers of a topic in every process on this Redis (PUBSUB NUMSUB): the staff console's presence."""
        counts = self._publisher.pubsub_numsub(self._channel(topic))
        return int(counts[0][1]) if counts else 0

    def close(self) -> None:
        self._publisher.close()


async def _confirmed(pubsub: PubSub) -> None:
    # Redis answers SUBSCRIBE once the subscription is in place; until then a publish would pass us by.
    reply = await pubsub.get_message(timeout=CONNECT_TIMEOUT)
    if reply is None or reply["type"] != "subscribe":
        raise redis.ConnectionError(f"Redis did not confirm the subscription (got {reply!r})")


async def _events(pubsub: PubSub) -> AsyncIterator[Event]:
    async for message in pubsub.listen():
        if message["type"] == "message":
            yield json.loads(message["data"])

