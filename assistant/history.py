"""What an officer should know of a citizen's earlier contacts, on every channel, so nobody asks twice."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from assistant.privacy import mask_text
from assistant.store import conversations as conversation_store
from assistant.store import history as history_store
from assistant.store.models import Conversation

SAID_PER_CONVERSATION = 3


def earlier(session: Session, *, conversation: Conversation) -> list[dict[str, Any]]:
    """The citizen's other conversations, newest first: channel, when, their last words (masked), their cases."""
    others = history_store.other_conversations(session, citizen_id=conversation.citizen_id,
                                               exclude_id=conversation.id)
    cases = history_store.cases_in(session, conversation_ids=[c.id for c in others])
    return [{
        "channel": other.channel,
        "created_at": other.created_at.isoformat(),
        "said": [mask_text(text) for text in conversation_store.citizen_texts(
            session, conversation_id=other.id, limit=SAID_PER_CONVERSATION) if text],
        "cases": [{"id": case.id, "status": case.status, "reason": case.reason, "service_id": case.service_id,
                   "created_at": case.created_at.isoformat()} for case in cases if case.conversation_id == other.id],
    } for other in others]
