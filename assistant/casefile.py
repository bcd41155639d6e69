"""A case as the staff console shows it: everything the citizen said on every channel, and what did not reach them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from assistant import views
from assistant.store import casework
from assistant.store import pushes as push_store
from assistant.store.models import Case
from assistant.store.types import Role


def transcript(session: Session, *, case: Case) -> list[dict[str, Any]]:
    """Every message of the citizen's conversations, on every channel, masked for staff; `undelivered`: a push still
    failing, or words their channel cannot carry at all (a call that has ended); `this_case`: said in the case's
    own conversation."""
    said = casework.messages_across_channels(session, citizen_id=case.citizen_id)
    failing = push_store.failing(session, message_ids=[m.id for m, _ in said if m.role != Role.CITIZEN])
    return [{**views.message(m, masked=True), "channel": channel,
             "undelivered": m.id in failing or bool((m.meta or {}).get("unreachable")),
             "this_case": m.conversation_id == case.conversation_id} for m, channel in said]
