"""Deleting citizens' personal data older than a cut-off while the anonymous statistics stay as they were.

What goes: the words of every message (the row stays, with its time, role and the assistant's decision, which is
what /stats counts), the dialogue memory of quiet conversations, what a case's summary quotes (words, phone, earlier
visits), callback numbers, messages still waiting to be pushed to a chat, and for citizens with no newer activity
their phone and their channel identities (Telegram chat ids, callers' numbers, web page ids). Conversations with a
case still open are left alone: an officer is working on them.

Case events are the append-only audit trail and are neither changed nor deleted. They hold ids, kinds, times,
reasons, priorities and officers' notes; the notes are officers' own words, masked when written (assistant/cases.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, and_, cast, delete, exists, select, update
from sqlalchemy.orm import Session

from assistant.store import pushes as push_store
from assistant.store.models import Callback, Case, ChannelIdentity, Citizen, Conversation, LinkCode, Message

PURGED = "（已清除）"
FORGOTTEN = "forgotten:"  # a purged identity's external id: the prefix and its row id
SUMMARY_KEPT = ("service_id", "service_title", "reason", "channel")  # what the case was about, nobody's words


@dataclass(frozen=True)
class Purged:
    messages: int
    conversations: int
    cases: int
    callbacks: int
    citizens: int
    identities: int
    pushes: int  # messages still waiting for a push channel, no longer sent


def _open_case_conversations():  # noqa: ANN202 - a select, used inside other statements
    return select(Case.conversation_id).where(Case.status != "resolved")


def purge(session: Session, *, before: dt.datetime) -> Purged:
    """Clears personal data from before `before`; run in one transaction, so a failure changes nothing."""
    open_conversations = _open_case_conversations()
    messages = session.execute(
        update(Message).where(Message.created_at < before, Message.text != PURGED,
                              Message.conversation_id.not_in(open_conversations))
        .values(text=PURGED).execution_options(synchronize_session=False)).rowcount
    quiet = and_(Conversation.updated_at < before, Conversation.id.not_in(open_conversations))
    # updated_at is set again explicitly: clearing the memory is not activity (its onupdate would say it was).
    conversations = session.execute(
        update(Conversation).where(quiet).values(state={}, updated_at=Conversation.updated_at)
        .execution_options(synchronize_session=False)).rowcount
    cases = _purge_case_summaries(session, before)
    callbacks = session.execute(
        update(Callback).where(Callback.due_at < before, Callback.status != "pending", Callback.phone != "")
        .values(phone="").execution_options(synchronize_session=False)).rowcount
    citizens, identities = _forget_quiet_citizens(session, before)
    pushes = push_store.forget(session, before=before)
    session.flush()
    session.expire_all()  # the bulk statements went past the objects already loaded
    return Purged(messages, conversations, cases, callbacks, citizens, identities, pushes)


def _purge_case_summaries(session: Session, before: dt.datetime) -> int:
    cases = session.scalars(select(Case).where(Case.status == "resolved", Case.resolved_at < before)).all()
    purged = 0
    for case in cases:
        kept = {k: v for k, v in case.summary.items() if k in SUMMARY_KEPT}
        if kept != case.summary:
            case.summary = kept
            purged += 1
    return purged


def _forget_quiet_citizens(session: Session, before: dt.datetime) -> tuple[int, int]:
    """Citizens first seen before the cut-off with no conversation since and no case open."""
    recent = exists().where(Conversation.citizen_id == Citizen.id, Conversation.updated_at >= before)
    still_open = exists().where(Case.citizen_id == Citizen.id, Case.status != "resolved")
    quiet = select(Citizen.id).where(Citizen.created_at < before, ~recent, ~still_open)
    # The row stays (conversations and recorded links point at it); the chat id or number it held goes.
    identities = session.execute(
        update(ChannelIdentity).where(ChannelIdentity.citizen_id.in_(quiet),
                                      ChannelIdentity.external_id.not_like(f"{FORGOTTEN}%"))
        .values(external_id=FORGOTTEN + cast(ChannelIdentity.id, String))
        .execution_options(synchronize_session=False)).rowcount
    session.execute(delete(LinkCode).where(LinkCode.identity_id.in_(
        select(ChannelIdentity.id).where(ChannelIdentity.citizen_id.in_(quiet)))))
    citizens = session.execute(
        update(Citizen).where(Citizen.id.in_(quiet), Citizen.phone.is_not(None)).values(phone=None)
        .execution_options(synchronize_session=False)).rowcount
    return citizens, identities
