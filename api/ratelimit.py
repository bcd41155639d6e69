"""Failed logins are counted per user name and per address; too many within the window and logins wait.
Public requests (questions, chat messages) are counted per address the same way.

Counted in this process's memory; with several workers (REDIS_URL set) api/shared_limits.py counts the same way in
Redis, so that the workers share one count.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

_MAX_KEYS = 10_000


def login_keys(username: str, address: str) -> tuple[str, str]:
    """What failed logins are counted by: the name as meant (not as typed) and the address."""
    return f"user:{username.strip().lower()}", f"addr:{address}"


class LoginLimiter:
    def __init__(self, max_failures: int, window_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.max_failures = max_failures
        self.window = window_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures

    def wait_seconds(self, username: str, address: str) -> int:
        """0 when a login may be tried now, else how long until it may."""
        now = self.clock()
        user_key, address_key = login_keys(username, address)
        with self._lock:
            waits = [self._recent(user_key, now), self._recent(address_key, now)]
        # An address gets more tries than a name: several officers may share one office's address.
        limits = (self.max_failures, self.max_failures * 4)
        blocked = [f[-limit] + self.window - now for f, limit in zip(waits, limits, strict=True) if len(f) >= limit]
        return math.ceil(max(blocked)) if blocked else 0

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) > _MAX_KEYS:  # many names tried once each: forget the ones out of the window
                for key in list(self._failures):
                    self._recent(key, now)
            for key in login_keys(username, address):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop(login_keys(username, address)[0], None)

    def close(self) -> None:  # like SharedLoginLimiter.close; nothing is held here
        return None


class RequestLimiter:
    """At most `max_requests` per key (a client address) within a sliding window; 0 turns the limit off."""

    def __init__(self, max_requests: int, window_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.max_requests = max_requests
        self.window = window_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        seen = self._seen.get(key, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if not seen:
            self._seen.pop(key, None)
        return seen

    async def take(self, key: str) -> int:  # async like SharedRequestLimiter.take; here it never waits
        """Counts one request: 0 when it may go ahead, else how many seconds until the next one may."""
        if self.max_requests <= 0:
            return 0
        now = self.clock()
        with self._lock:
            if len(self._seen) > _MAX_KEYS:  # many addresses seen once each: forget the ones out of the window
                for old in list(self._seen):
                    self._recent(old, now)
            seen = self._recent(key, now)
            if len(seen) >= self.max_requests:
                return max(1, math.ceil(seen[0] + self.window - now))
            self._seen.setdefault(key, seen).append(now)
            return 0

    async def close(self) -> None:  # like SharedRequestLimiter.close; nothing is held here
        return None
