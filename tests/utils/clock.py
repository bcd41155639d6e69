"""A clock the tests move by hand."""

from __future__ import annotations

import datetime as dt


class FakeClock:
    def __init__(self, start: dt.datetime | None = None):
        # A Tuesday at 10:00 in Beijing: inside service hours unless a test says otherwise.
        self.now = start or dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)
