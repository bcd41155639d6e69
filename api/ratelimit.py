"""Failed logins slow down the one who fails, without locking anyone else out. Failures are counted per (name,
address) and per address, never per name alone, so a stranger failing on purpose from elsewhere changes nothing for
the officer. After `max_failures` within the window, that name from that address waits, twice as long after each
further failure (up to a cap); an address failing across many names waits as a whole after four times as many.
Public requests (questions, chat messages) are counted per address within a sliding window.

Counted in this process's memory; with several workers (REDIS_URL set) api/shared_limits.py counts the same way in
Redis, so that the workers share one count.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

_MAX_KEYS = 10_000
ADDRESS_FACTOR = 4  # an address gets more tries than a name from it: several officers may share an office's address


@dataclass(frozen=True)
class Attempt:
    """A login attempt let through (wait 0) or refused (wait: seconds until one may be tried). One let through is
    counted as a failure at once, until it succeeds: parallel guesses cannot all pass before any is counted."""

    username: str
    address: str
    wait: int
    ticket: str = ""


def login_keys(username: str, address: str) -> tuple[str, str]:
    """What failed logins are counted by: the name as meant (not as typed) from this address, and the address."""
    return f"pair:{address}:{username.strip().lower()}", f"addr:{address}"


def backoff(failures: int, free: int, base: float, cap: float) -> float:
    """How long after the latest failure the next try may come: at once for the first `free` failures, then `base`,
    doubling with each further failure, at most `cap`."""
    return 0.0 if failures < free else min(cap, base * 2 ** min(failures - free, 30))


class LoginLimiter:
    def __init__(self, max_failures: int, window_seconds: float, backoff_seconds: float = 60,
                 backoff_max_seconds: float = 900, clock: Callable[[], float] = time.monotonic):
        self.max_failures = max_failures
        self.window = window_seconds
        self.base, self.cap = backoff_seconds, backoff_max_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, deque[tuple[float, str]]] = {}

    def _recent(self, key: str, now: float) -> deque[tuple[float, str]]:
        failures = self._failures.get(key, deque())
        while failures and failures[0][0] <= now - self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures

    def _wait(self, failures: deque[tuple[float, str]], free: int, now: float) -> float:
        if not failures:
            return 0.0
        return failures[-1][0] + backoff(len(failures), free, self.base, self.cap) - now

    def begin(self, username: str, address: str) -> Attempt:
        now = self.clock()
        keys = login_keys(username, address)
        with self._lock:
            if len(self._failures) > _MAX_KEYS:  # many names tried once each: forget the ones out of the window
                for key in list(self._failures):
                    self._recent(key, now)
            pair, by_address = (self._recent(key, now) for key in keys)
            wait = max(self._wait(pair, self.max_failures, now),
                       self._wait(by_address, self.max_failures * ADDRESS_FACTOR, now))
            if wait > 0:
                return Attempt(username, address, wait=math.ceil(wait))
            ticket = uuid.uuid4().hex
            for key in keys:
                self._failures.setdefault(key, deque()).append((now, ticket))
        return Attempt(username, address, wait=0, ticket=ticket)

    def succeeded(self, attempt: Attempt) -> None:
        """The name's failures from this address are forgotten; the address keeps its others (a colleague's
        success does not wipe a guesser's count)."""
        pair_key, address_key = login_keys(attempt.username, attempt.address)
        with self._lock:
            self._failures.pop(pair_key, None)
            failures = self._failures.get(address_key)
            if failures is not None:
                kept = deque(f for f in failures if f[1] != attempt.ticket)
                if kept:
                    self._failures[address_key] = kept
                else:
                    del self._failures[address_key]

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
