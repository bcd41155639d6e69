"""Rows at chosen times, for the figures and the knowledge gaps: what the engine would have written, written
directly, so a test can say "on Monday at 10:00 a citizen asked X and the matcher decided Y"."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from assistant.store import callbacks as callback_store
from assistant.store import cases as case_store
from assistant.store import citizens as citizen_store
from assistant.store import conversations as conversation_store
from assistant.store.models import Callback, Case, Conversation, Message, Officer

_senders = count(1)


def conversation(session: Session, *, channel: str = "web", at: dt.datetime) -> Conversation:
    identity = citizen_store.identify(session, channel=channel, external_id=f"sender-{next(_senders)}")
    started = conversation_store.start(session, identity=identity)
    started.created_at = at
    return started


def asked(session: Session, conversation: Conversation, text: str, *, at: dt.datetime, action: str,
          label: str | None = None, confidence: float | None = None) -> Message:
    """A citizen's message and the matcher's decision on it, as the engine records them."""
    meta: dict[str, Any] = {"action": action, "label": label, "confidence": confidence}
    message = conversation_store.add_message(session, conversation=conversation, role="citizen", text=text,
                                             meta=meta)
    message.created_at = at
    session.flush()
    return message


def case_opened(session: Session, conversation: Conversation, *, at: dt.datetime, reason: str = "asked") -> Case:
    case = case_store.create(session, conversation=conversation, reason=reason, priority=0, service_id=None,
                             summary={})
    case.created_at = at
    case_store.add_event(session, case=case, kind="opened", actor="citizen", at=at)
    return case


def event(session: Session, case: Case, kind: str, *, at: dt.datetime, officer: Officer | None = None,
          **detail: Any) -> None:
    actor = f"officer:{officer.username}" if officer else "citizen"
    case_store.add_event(session, case=case, kind=kind, actor=actor, officer=officer, detail=detail, at=at)


def callback(session: Session, case: Case, *, due: dt.datetime, status: str = "pending",
             done: dt.datetime | None = None, officer: Officer | None = None) -> Callback:
    made = callback_store.create(session, case=case, phone="13812345678", due_at=due)
    if status != "pending":
        assert officer is not None and done is not None
        callback_store.close(session, callback=made, status=status, officer=officer, at=done)
    return made
