"""A citizen's contacts across channels: their other conversations and the cases opened in them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.store.models import Case, Conversation


def other_conversations(session: Session, *, citizen_id: int, exclude_id: str, limit: int = 5) -> list[Conversation]:
    """The citizen's other conversations, on any channel, newest first."""
    query = (select(Conversation).where(Conversation.citizen_id == citizen_id, Conversation.id != exclude_id)
             .order_by(Conversation.created_at.desc(), Conversation.id.desc()).limit(limit))
    return list(session.scalars(query))


def cases_in(session: Session, *, conversation_ids: list[str]) -> list[Case]:
    if not conversation_ids:
        return []
    return list(session.scalars(select(Case).where(Case.conversation_id.in_(conversation_ids)).order_by(Case.id)))


def latest_per_channel(session: Session, *, citizen_id: int, exclude_channel: str) -> list[Conversation]:
    """The citizen's most recent conversation on each channel other than this one: their chats."""
    query = (select(Conversation).where(Conversation.citizen_id == citizen_id, Conversation.channel != exclude_channel)
             .order_by(Conversation.created_at.desc(), Conversation.id.desc()))
    latest: dict[str, Conversation] = {}
    for conversation in session.scalars(query):
        latest.setdefault(conversation.channel, conversation)
    return list(latest.values())
