"""Citizens, the channel identities that lead to them, and the recorded links that join identities to one citizen.

Identities join a citizen only through `join`, which records the link so a supervisor can undo it; the rules for
when a link is proven live in assistant/identity.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.store.models import Case, ChannelIdentity, Citizen, Conversation, IdentityLink, Officer


def identify(session: Session, *, channel: str, external_id: str) -> ChannelIdentity:
    """This channel identity; on first contact it is a new citizen of its own."""
    known = identity(session, channel=channel, external_id=external_id)
    if known is not None:
        return known
    found = ChannelIdentity(citizen=Citizen(), channel=channel, external_id=external_id, proof="first_contact")
    session.add(found)
    session.flush()
    return found


def identity(session: Session, *, channel: str, external_id: str) -> ChannelIdentity | None:
    """The channel identity, if it has been seen; never creates one."""
    return session.scalar(
        select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id))


def by_identity(session: Session, *, channel: str, external_id: str) -> Citizen | None:
    """The citizen behind this channel identity, if it has been seen; never creates one."""
    found = identity(session, channel=channel, external_id=external_id)
    return found.citizen if found is not None else None


def with_verified_phone(session: Session, *, phone: str) -> Citizen | None:
    """The citizen a channel has verified this number for (the oldest, should there be several)."""
    return session.scalar(select(Citizen).where(Citizen.phone == phone).order_by(Citizen.id).limit(1))


def join(session: Session, *, identity: ChannelIdentity, into: Citizen, proof: str, detail: dict[str, Any],
         at: dt.datetime) -> IdentityLink:
    """The identity's citizen (all its identities, conversations and cases) becomes part of `into`, recorded."""
    source = identity.citizen_id
    moved = list(session.scalars(select(ChannelIdentity.id).where(ChannelIdentity.citizen_id == source)))
    link = IdentityLink(citizen_id=into.id, from_citizen_id=source, identity_id=identity.id, moved=moved,
                        proof=proof, detail=detail, created_at=at)
    session.add(link)
    session.execute(update(ChannelIdentity).where(ChannelIdentity.id == identity.id).values(proof=proof))
    for model in (ChannelIdentity, Conversation, Case):
        session.execute(update(model).where(model.citizen_id == source).values(citizen_id=into.id)
                        .execution_options(synchronize_session=False))
    session.flush()
    session.expire_all()
    return link


def undo(session: Session, *, link: IdentityLink, officer: Officer, at: dt.datetime) -> None:
    """The identities the link moved, with their conversations and cases, go back to the citizen they came from."""
    moved = list(link.moved)
    conversations = select(Conversation.id).where(Conversation.identity_id.in_(moved))
    statements = (
        update(ChannelIdentity).where(ChannelIdentity.id.in_(moved)).values(citizen_id=link.from_citizen_id),
        update(ChannelIdentity).where(ChannelIdentity.id == link.identity_id).values(proof="undone"),
        update(Conversation).where(Conversation.identity_id.in_(moved)).values(citizen_id=link.from_citizen_id),
        update(Case).where(Case.conversation_id.in_(conversations)).values(citizen_id=link.from_citizen_id),
    )
    for statement in statements:
        session.execute(statement.execution_options(synchronize_session=False))
    link.undone_at, link.undone_by = at, officer.id
    session.flush()
    session.expire_all()


def links_of(session: Session, *, citizen_id: int) -> list[IdentityLink]:
    """Every link into or out of this citizen, newest first."""
    query = (select(IdentityLink).where((IdentityLink.citizen_id == citizen_id)
                                        | (IdentityLink.from_citizen_id == citizen_id))
             .order_by(IdentityLink.id.desc()))
    return list(session.scalars(query))


def link(session: Session, *, link_id: int) -> IdentityLink | None:
    return session.get(IdentityLink, link_id)
