"""Callbacks are promised within service hours, on working days (Beijing time in these tests)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.schedule import callback_time
from assistant.settings import Settings
from assistant.texts import spoken_time

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A time in November 2026: the 24th is a Tuesday, the 27th a Friday."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=BEIJING)


@pytest.mark.parametrize(("now", "promised"), [
    (at(24, 10, 0), at(24, 11, 0)),  # within hours: an hour from now
    (at(24, 10, 10), at(24, 11, 30)),  # rounded up to the half hour
    (at(24, 7, 0), at(24, 9, 0)),  # before opening: at opening
    (at(24, 16, 30), at(25, 9, 0)),  # too late today: tomorrow at opening
    (at(27, 18, 0), at(30, 9, 0)),  # Friday evening: Monday
])
def test_callback_time(now, promised):
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert callback_time(now.astimezone(dt.UTC), settings) == promised


@pytest.mark.parametrize(("when", "said"), [
    (at(24, 11, 0), "今天上午11点"),
    (at(24, 12, 30), "今天中午12点半"),
    (at(25, 9, 0), "明天上午9点"),
    (at(24, 15, 15), "今天下午3点15分"),
    (at(30, 9, 0), "周一上午9点"),
])
def test_spoken_time(when, said):
    assert spoken_time(when, at(24, 10, 0)) == said
