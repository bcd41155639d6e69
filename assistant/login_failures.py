"""Failed staff logins as supervisors see them: bursts per name and per address over the last hour and day. A name
is kept as typed, so a guess at "admin" shows as such, with ID and phone numbers masked and control characters
dropped (someone may type their phone number, or a forged line, into the name field)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from sqlalchemy.orm import Session

from assistant.privacy import mask_text
from assistant.store import login_failures as failure_store
from assistant.store import officers as officer_store

PERIODS = {"hour": dt.timedelta(hours=1), "day": dt.timedelta(days=1)}
NAME_LENGTH = 64


def _visible(text: str) -> str:
    """Without control, format (bidi overrides) and other invisible characters, and NUL, which PostgreSQL refuses."""
    return "".join(c for c in text if unicodedata.category(c)[0] != "C")


def shown_name(username: str) -> str:
    """The name as a supervisor may read it: numbers masked, nothing invisible."""
    return mask_text(_visible(username))[:NAME_LENGTH]


def shown_address(address: str) -> str:
    return _visible(address)[:NAME_LENGTH]


def record(session: Session, *, username: str, address: str, at: dt.datetime) -> None:
    known = officer_store.by_username(session, username=username) is not None
    failure_store.add(session, username=shown_name(username), known=known, address=shown_address(address), at=at)


def summary(session: Session, *, now: dt.datetime) -> dict[str, Any]:
    """For each period: how many failures, and per name and per address the count and the latest, newest first."""
    def tallies(rows: list[failure_store.Tally]) -> list[dict[str, Any]]:
        return [{"key": t.key, "count": t.count, "last_at": t.last_at.isoformat(),
                 **({} if t.known is None else {"known": t.known})} for t in rows]

    return {name: {"total": failure_store.count(session, since=now - span),
                   "by_name": tallies(failure_store.by_name(session, since=now - span)),
                   "by_address": tallies(failure_store.by_address(session, since=now - span))}
            for name, span in PERIODS.items()}
