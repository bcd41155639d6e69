"""Column types shared by the models, and the names stored in their string columns."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in and out, on every database (SQLite forgets the zone, PostgreSQL keeps it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one (UTC)")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class CaseStatus(StrEnum):
    WAITING = "waiting"  # in the queue
    CLAIMED = "claimed"  # an officer is on it
    RESOLVED = "resolved"


OPEN_STATUSES = (CaseStatus.WAITING, CaseStatus.CLAIMED)


class Role(StrEnum):
    """Who wrote a message."""

    CITIZEN = "citizen"
    ASSISTANT = "assistant"
    OFFICER = "officer"


class StaffRole(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class ChannelName(StrEnum):
    """The channels this service speaks on (assistant/channels.py says what each can do)."""

    WEB = "web"
    TELEGRAM = "telegram"
    PHONE = "phone"
