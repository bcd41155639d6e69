"""Officer passwords (argon2) and login checks."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from assistant.store import officers as officer_store
from assistant.store.models import Officer

_hasher = PasswordHasher()
# Checked when the username is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def authenticate(session: Session, *, username: str, password: str) -> Officer | None:
    officer = officer_store.by_username(session, username=username)
    try:
        _hasher.verify(officer.password_hash if officer else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if officer is None:
        return None
    if _hasher.check_needs_rehash(officer.password_hash):
        officer_store.set_password_hash(session, officer=officer, password_hash=_hasher.hash(password))
    return officer
