"""Rows the tests need, made in one line."""

from __future__ import annotations

from itertools import count

from sqlalchemy.orm import Session

from assistant import auth
from assistant.store import officers as officer_store
from assistant.store.models import Officer

PASSWORD = "correct horse battery"
_numbers = count(1)


def make_officer(session: Session, *, role: str = "officer", on_duty: bool = True, name: str | None = None,
                 username: str | None = None) -> Officer:
    n = next(_numbers)
    officer = officer_store.create(session, username=username or f"officer{n}", name=name or f"工作人员{n}号",
                                   role=role, password_hash=auth.hash_password(PASSWORD), on_duty=on_duty)
    session.commit()
    return officer
