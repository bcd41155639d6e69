"""Rows the tests need, made in one line."""

from __future__ import annotations

from functools import cache
from itertools import count

from sqlalchemy.orm import Session

from assistant import auth, views
from assistant.store import conversations as conversation_store
from assistant.store import officers as officer_store
from assistant.store import pushes as push_store
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


def officer_reply_event(session: Session, *, conversation_id: str, text: str, officer: Officer | None = None) -> dict:
    """An officer's words stored for a Telegram citizen with their pending push, as the desk writes them, and the
    live event that announces them, for the test to publish or deliver when it wants."""
    conversation = conversation_store.get(session, conversation_id=conversation_id)
    assert conversation is not None
    message = conversation_store.add_message(session, conversation=conversation, role="officer", text=text,
                                             meta={"kind": "officer"}, officer=officer)
    push_store.add(session, message=message, channel=conversation.channel)
    session.commit()
    return {"type": "message", "conversation_id": conversation_id, "message": views.message(message)}
