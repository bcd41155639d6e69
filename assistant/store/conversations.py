"""Conversations and their messages."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, select
from sqlalchemy.orm import Session, joinedload

from assistant.store.models import Case, ChannelIdentity, Conversation, Message, Officer
from assistant.store.types import OPEN_STATUSES, Role

_ID = re.compile(r"[0-9a-f]{32}")  # how assistant/store/models.py makes them


def start(session: Session, *, identity: ChannelIdentity) -> Conversation:
    """A new conversation with this chat or caller, on their channel, for the citizen they are."""
    conversation = Conversation(citizen_id=identity.citizen_id, identity=identity, channel=identity.channel, state={})
    session.add(conversation)
    session.flush()
    return conversation


def get(session: Session, *, conversation_id: str, for_update: bool = False) -> Conversation | None:
    """for_update locks the row (PostgreSQL) so two messages of one conversation are handled one after the other.
    Something that cannot be an id (a web page's own key, say, with a NUL PostgreSQL would refuse) is not looked up."""
    if not _ID.fullmatch(conversation_id):
        return None
    return session.get(Conversation, conversation_id, with_for_update=for_update or None)


def _for_turn(where: ColumnElement[bool]) -> Select[Conversation, Case]:
    open_case = and_(Case.conversation_id == Conversation.id, Case.status.in_(OPEN_STATUSES))
    return (select(Conversation, Case).outerjoin(Case, open_case).options(joinedload(Conversation.citizen))
            .where(where).order_by(Conversation.created_at.desc(), Conversation.id.desc(), Case.id.desc()).limit(1)
            .with_for_update(of=Conversation).execution_options(populate_existing=True))


# Built once: every citizen message runs one of them, and building the statement costs as much as running it.
_TURN_BY_ID = _for_turn(Conversation.id == bindparam("conversation_id"))
_TURN_BY_IDENTITY = _for_turn(Conversation.identity_id == bindparam("identity_id"))


def for_turn(session: Session, *, conversation_id: str | None = None,
             identity_id: int | None = None) -> tuple[Conversation, Case | None] | None:
    """The conversation a citizen's message belongs to (by id, else the identity's newest), with its citizen and its
    open case, in one statement, read afresh and locked (PostgreSQL) until the turn commits: a second message of
    the conversation waits, and its words get ids after this turn's replies."""
    if conversation_id is not None:
        if not _ID.fullmatch(conversation_id):
            return None
        row = session.execute(_TURN_BY_ID, {"conversation_id": conversation_id}).first()
    else:
        row = session.execute(_TURN_BY_IDENTITY, {"identity_id": identity_id}).first()
    return (row[0], row[1]) if row is not None else None


def latest(session: Session, *, identity_id: int) -> Conversation | None:
    """The newest conversation with this chat or caller."""
    return session.scalar(select(Conversation).where(Conversation.identity_id == identity_id)
                          .order_by(Conversation.created_at.desc(), Conversation.id.desc()).limit(1))


def save_state(session: Session, *, conversation: Conversation, state: dict[str, Any]) -> None:
    conversation.state = state  # a new dict, so the JSON column knows it changed
    session.flush()


def add_message(session: Session, *, conversation: Conversation, role: str, text: str,
                meta: dict[str, Any] | None = None, case_id: int | None = None,
                officer: Officer | None = None) -> Message:
    message = Message(conversation_id=conversation.id, role=role, text=text, meta=meta or {}, case_id=case_id,
                      officer=officer)
    session.add(message)
    session.flush()
    return message


def citizen_message(*, conversation: Conversation, text: str, meta: dict[str, Any]) -> Message:
    """The citizen's words, not yet added: save_replies writes them with the replies, in one statement."""
    return Message(conversation_id=conversation.id, role=Role.CITIZEN, text=text, meta=meta, case_id=None)


def save_replies(session: Session, *, conversation: Conversation, said: list[tuple[str, dict[str, Any]]],
                 state: dict[str, Any], first: Message | None = None) -> list[Message]:
    """The assistant's replies (text, meta) in order and the conversation's new state, in one flush; first: the
    citizen's message the replies answer, written just before them (if it is not written yet)."""
    rows = [Message(conversation_id=conversation.id, role=Role.ASSISTANT, text=text, meta=meta, case_id=None)
            for text, meta in said]
    if first is not None:
        session.add(first)
    session.add_all(rows)
    conversation.state = state
    session.flush()
    return rows


def message(session: Session, *, conversation_id: str, message_id: int) -> Message | None:
    """One message, only if it belongs to this conversation."""
    found = session.get(Message, message_id)
    return found if found is not None and found.conversation_id == conversation_id else None


def by_ids(session: Session, *, conversation_id: str, ids: list[int]) -> list[Message]:
    """These messages of the conversation, in the order of `ids` (those gone are left out)."""
    found = {m.id: m for m in session.scalars(select(Message).where(Message.conversation_id == conversation_id,
                                                                  Message.id.in_(ids)))} if ids else {}
    return [found[i] for i in ids if i in found]


def messages(session: Session, *, conversation_id: str, after_id: int = 0, limit: int = 500) -> list[Message]:
    query = (select(Message).where(Message.conversation_id == conversation_id, Message.id > after_id)
             .order_by(Message.id).limit(limit))
    return list(session.scalars(query))


def citizen_texts(session: Session, *, conversation_id: str, limit: int = 10) -> list[str]:
    """The citizen's last words, oldest first: what they already said."""
    query = (select(Message.text).where(Message.conversation_id == conversation_id, Message.role == "citizen")
             .order_by(Message.id.desc()).limit(limit))
    return list(reversed(session.scalars(query).all()))


def last_said_to_citizen(session: Session, *, conversation_id: str, limit: int = 20) -> list[Message]:
    """The latest run of assistant and officer messages (those after the citizen's previous message), oldest
    first: what "read it to me" reads. A run that answered something that could not be read (a photo, a voice note,
    empty or garbled text) is passed over: its "that cannot reach the officer" is not the answer the citizen wants
    to hear again."""
    recent = session.scalars(select(Message).where(Message.conversation_id == conversation_id)
                             .order_by(Message.id.desc()).limit(200))
    run: list[Message] = []
    for message in recent:  # newest first
        if message.role != "citizen":
            run.append(message)
        elif _unread(message):
            run = []
        elif run:
            break
    return list(reversed(run[:limit]))


def _unread(message: Message) -> bool:
    meta = message.meta or {}
    return bool(meta.get("unreadable") or meta.get("problem"))
