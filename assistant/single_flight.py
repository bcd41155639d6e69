"""A value computed at most once per period, by one caller at a time: callers that come while it is being computed
wait for that computation and share its result, instead of each starting the same expensive work."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class FreshValue(Generic[T]):
    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.clock = seconds, clock
        self._value: tuple[float, T] | None = None  # (when computed, value): replaced whole, read without a lock
        self._computing = threading.Lock()

    def _fresh(self) -> tuple[float, T] | None:
        value = self._value
        return value if value is not None and self.clock() - value[0] < self.seconds else None

    def get(self, compute: Callable[[], T]) -> T:
        """The value if it is fresh; else computed by this caller, or by the one already computing it."""
        if (fresh := self._fresh()) is not None:
            return fresh[1]
        with self._computing:
            if (fresh := self._fresh()) is not None:  # computed while this caller waited
                return fresh[1]
            value = compute()
            self._value = (self.clock(), value)
            return value
