"""When a callback can honestly be promised: within service hours, on working days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from assistant.settings import Settings


def callback_time(now: dt.datetime, settings: Settings) -> dt.datetime:
    """An hour from now (on the half hour) when that is within today's service hours, else the next opening."""
    zone = ZoneInfo(settings.timezone)
    local = now.astimezone(zone)
    start = dt.time(settings.service_start_hour)
    soon = (local + dt.timedelta(hours=1, minutes=29)).replace(second=0, microsecond=0)
    soon = soon.replace(minute=0 if soon.minute < 30 else 30)
    if _is_working_day(local, settings) and local.time() >= start and soon.hour < settings.service_end_hour \
            and soon.date() == local.date():
        return soon.astimezone(dt.UTC)
    day = local.date() if local.time() < start else local.date() + dt.timedelta(days=1)
    while not _is_working_day(day, settings):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, start, zone).astimezone(dt.UTC)


def _is_working_day(day: dt.date | dt.datetime, settings: Settings) -> bool:
    return day.isoweekday() in settings.service_days


def local(when: dt.datetime, settings: Settings) -> dt.datetime:
    return when.astimezone(ZoneInfo(settings.timezone))
