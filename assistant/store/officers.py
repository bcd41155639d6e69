"""Officers: the people citizens are handed to."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.store.models import Officer

ROLES = ("officer", "supervisor", "admin")


def create(session: Session, *, username: str, name: str, role: str, password_hash: str,
           on_duty: bool = False) -> Officer:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    officer = Officer(username=username, name=name, role=role, password_hash=password_hash, on_duty=on_duty)
    session.add(officer)
    session.flush()
    return officer


def get(session: Session, *, officer_id: int) -> Officer | None:
    return session.get(Officer, officer_id)


def by_username(session: Session, *, username: str) -> Officer | None:
    return session.scalar(select(Officer).where(Officer.username == username))


def all_officers(session: Session) -> list[Officer]:
    return list(session.scalars(select(Officer).order_by(Officer.id)))


def set_on_duty(session: Session, *, officer: Officer, on_duty: bool) -> None:
    officer.on_duty = on_duty
    session.flush()


def set_password_hash(session: Session, *, officer: Officer, password_hash: str) -> None:
    officer.password_hash = password_hash
    session.flush()


def set_disabled(session: Session, *, officer: Officer, at: dt.datetime | None) -> None:
    """Disabled at `at` (and off duty: citizens must not wait for them), or enabled again with None."""
    officer.disabled_at = at
    if at is not None:
        officer.on_duty = False
    session.flush()


def logged_in(session: Session, *, officer: Officer, at: dt.datetime) -> None:
    officer.last_login_at = at
    session.flush()


def count_on_duty(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Officer).where(Officer.on_duty.is_(True))) or 0
