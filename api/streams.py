"""Live event streams are bounded: each holds a connection (a file descriptor, and with Redis a second one) for as
long as it is open, so without a bound ~1,000 idle streams used up the process's descriptors and every citizen's
next request failed. A stream is refused beyond a cap per client (429) and a cap for the whole process (503), with
Retry-After; ordinary requests are never counted. A stream with nothing to send for a while ends, and the page
reconnects by itself. The caps are per process: with several workers each has its own."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import AsyncIterator
from typing import TypeVar

from fastapi import HTTPException, status

RETRY_AFTER_SECONDS = 30
TOO_MANY = "这台设备打开的实时连接太多了，请关掉几个页面再试。"
FULL = "现在连接的人太多，实时消息稍后自动恢复；发消息不受影响。"
T = TypeVar("T")


class StreamLimit:
    """Open streams counted per key (an address, an officer) and in all."""

    def __init__(self, *, per_key: int, total: int) -> None:
        self.per_key = per_key
        self.total = total
        self.open = 0
        self._by_key: Counter[str] = Counter()
        self._lock = threading.Lock()

    def take(self, key: str) -> None:
        """A slot for one more stream, or an HTTPException saying why not."""
        with self._lock:
            if self._by_key[key] >= self.per_key:
                raise _refusal(status.HTTP_429_TOO_MANY_REQUESTS, TOO_MANY)
            if self.open >= self.total:
                raise _refusal(status.HTTP_503_SERVICE_UNAVAILABLE, FULL)
            self._by_key[key] += 1
            self.open += 1

    def give_back(self, key: str) -> None:
        with self._lock:
            self.open -= 1
            self._by_key[key] -= 1
            if self._by_key[key] <= 0:
                del self._by_key[key]


def _refusal(code: int, detail: str) -> HTTPException:
    # Connection: close gives the descriptor back at once, rather than after uvicorn's keep-alive timeout.
    return HTTPException(code, detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Connection": "close"})


async def until_idle(events: AsyncIterator[T], idle_seconds: float) -> AsyncIterator[T]:
    """The events, ending once none has come for idle_seconds."""
    while True:
        try:
            yield await asyncio.wait_for(anext(events), idle_seconds)
        except (TimeoutError, StopAsyncIteration):
            return
