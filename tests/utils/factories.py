"""Rows the tests need, made in one line."""

from __future__ import annotations

from functools import cache
from itertools import count

from sqlalchemy.orm import Session

from assistant import auth
from assistant.store import officers as officer_store
from assistant.store.models import Officer

PASSWORD = "correct horse battery"
_numbers = count(1)


@cache
def _password_hash() -> str:
    return auth.hash_password(PASSWORD)  # argon2 is slow on purpose: once per test run is enough


def make_officer(session: Session, *, role: str = "officer", on_duty: bool = True, name: str | None = None,
                 username: str | None = None) -> Officer:
    n = next(_numbers)
    officer = officer_store.create(session, username=username or f"officer{n}", name=name or f"工作人员{n}号",
                                   role=role, password_hash=_password_hash(), on_duty=on_duty)
    session.commit()
    return officer
