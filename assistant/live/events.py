"""Live events (a reply for a citizen, a queue change for officers) through one small publish/subscribe interface.

Publishing is synchronous and thread-safe, so the engine can publish from a worker thread right after it commits.
Subscribing is asynchronous, for Server-Sent Events and other push channels. The in-process bus serves one
process; a Redis bus behind the same interface serves several workers (assistant/live/buses.py chooses).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

Event = dict[str, Any]

log = logging.getLogger("citizen_help.events")


def conversation_topic(conversation_id: str) -> str:
    return f"conversation:{conversation_id}"


def channel_topic(channel: str) -> str:
    """Everything a push channel (Telegram, say) must deliver to its citizens."""
    return f"channel:{channel}"


OFFICERS_TOPIC = "officers"  # new cases and queue changes, for the staff console
QUEUE_TOPIC = "queue"  # the queue changed: every waiting citizen's place and wait, in one event
MODEL_TOPIC = "matcher"  # a retrained model is ready: every worker should serve it


class EventBus(Protocol):
    def publish(self, topic: str, event: Event) -> None: ...

    def subscribe(self, topic: str, *more: str) -> AbstractAsyncContextManager[AsyncIterator[Event]]:
        """The events of these topics, in the order published."""
        ...


class _Subscriber:
    def __init__(self, loop: asyncio.AbstractEventLoop, size: int):
        self.loop = loop
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=size)

    def offer(self, event: Event) -> None:
        if self.queue.full():  # a stalled reader loses its oldest event, never blocks the publisher
            self.queue.get_nowait()
        self.queue.put_nowait(event)


class InProcessBus:
    """Fan-out to every subscriber of a topic in this process."""

    def __init__(self, queue_size: int = 100):
        self._queue_size = queue_size
        self._lock = threading.Lock()
        self._topics: dict[str, set[_Subscriber]] = {}

    def publish(self, topic: str, event: Event) -> None:
        with self._lock:
            subscribers = list(self._topics.get(topic, ()))
        for subscriber in subscribers:
            try:
                subscriber.loop.call_soon_threadsafe(subscriber.offer, event)
            except RuntimeError:  # its event loop has closed: it is going away
                continue

    def subscriber_count(self, topic: str) -> int:
        with self._lock:
            return len(self._topics.get(topic, ()))

    @asynccontextmanager
    async def subscribe(self, topic: str, *more: str) -> AsyncIterator[AsyncIterator[Event]]:
        subscriber = _Subscriber(asyncio.get_running_loop(), self._queue_size)
        topics = (topic, *more)
        with self._lock:
            for name in topics:
                self._topics.setdefault(name, set()).add(subscriber)
        try:
            yield _drain(subscriber.queue)
        finally:
            with self._lock:
                for name in topics:
                    self._topics[name].discard(subscriber)
                    if not self._topics[name]:
                        del self._topics[name]


async def follow(bus: EventBus, topic: str, handle: Callable[[Event], Awaitable[None]], *, what: str,
                 subscribed: Callable[[bool], None] = lambda on: None, first_pause: float = 1.0,
                 max_pause: float = 30.0, also: tuple[str, ...] = ()) -> None:
    """Handle every event of a topic (and of the topics `also`) until cancelled. A lost subscription (Redis
    restarting, say) is logged and renewed, waiting longer after each failure in a row. subscribed(True/False)
    tells when events are flowing."""
    pause = first_pause
    while True:
        try:
            async with bus.subscribe(topic, *also) as events:
                subscribed(True)
                pause = first_pause
                async for event in events:
                    await handle(event)
        except Exception as exc:
            subscribed(False)
            log.error("%s stopped (%s); subscribing again in %.0f s", what, exc, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, max_pause)


async def _drain(queue: asyncio.Queue[Event]) -> AsyncIterator[Event]:
    while True:
        yield await queue.get()
