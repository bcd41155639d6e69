"""Officer passwords (argon2), login checks, and the stamp that ties a session to the password it was opened with."""

from __future__ import annotations

import hashlib
import hmac

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
    """The officer, if the password is theirs and they are not disabled; None otherwise, whatever the reason, after
    the same work (a disabled officer learns nothing a wrong password would not tell)."""
    officer = officer_store.by_username(session, username=username)
    try:
        _hasher.verify(officer.password_hash if officer else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if officer is None or officer.disabled_at is not None:
        return None
    if _hasher.check_needs_rehash(officer.password_hash):
        officer_store.set_password_hash(session, officer=officer, password_hash=_hasher.hash(password))
    return officer


def set_password(session: Session, *, officer: Officer, password: str) -> None:
    """A new password: every session opened with the old one no longer passes session_matches."""
    officer_store.set_password_hash(session, officer=officer, password_hash=hash_password(password))


def session_stamp(officer: Officer) -> str:
    """Kept with a session at login (like Django's session auth hash): a new password, by whatever path, makes every
    earlier session's stamp stale. Derived from the hash, which the database holds anyway; reveals no password."""
    return hashlib.sha256(f"staff-session:{officer.password_hash}".encode()).hexdigest()


def session_matches(officer: Officer | None, stamp: str) -> bool:
    """Whether a session opened with this stamp may still act for the officer."""
    return officer is not None and officer.disabled_at is None and hmac.compare_digest(session_stamp(officer), stamp)
