"""What staff taught the assistant: citizens' questions attached to a label, and drafts of new guides."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.store.models import GuideDraft, Officer, TrainingQuestion


def add_question(session: Session, *, text: str, label: str, officer: Officer,
                 source_message_id: int | None = None) -> TrainingQuestion:
    question = TrainingQuestion(text=text, label=label, added_by=officer.id, source_message_id=source_message_id)
    session.add(question)
    session.flush()
    return question


def questions(session: Session) -> list[TrainingQuestion]:
    return list(session.scalars(select(TrainingQuestion).order_by(TrainingQuestion.id)))


def handled_message_ids(session: Session) -> set[int]:
    """Citizens' messages already turned into training questions: no longer gaps."""
    query = select(TrainingQuestion.source_message_id).where(TrainingQuestion.source_message_id.is_not(None))
    return set(session.scalars(query))


def save_draft(session: Session, *, service_id: str, data: dict[str, Any], officer: Officer) -> GuideDraft:
    """A new draft, or new content for the draft with this service id."""
    draft = draft_by_service(session, service_id=service_id)
    if draft is None:
        draft = GuideDraft(service_id=service_id, data=data, created_by=officer.id)
        session.add(draft)
    else:
        draft.data = data  # a new dict, so the JSON column knows it changed
    session.flush()
    return draft


def draft(session: Session, *, draft_id: int) -> GuideDraft | None:
    return session.get(GuideDraft, draft_id)


def draft_by_service(session: Session, *, service_id: str) -> GuideDraft | None:
    return session.scalar(select(GuideDraft).where(GuideDraft.service_id == service_id))


def drafts(session: Session) -> list[GuideDraft]:
    return list(session.scalars(select(GuideDraft).order_by(GuideDraft.id)))
