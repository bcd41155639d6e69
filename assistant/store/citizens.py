"""Citizens and the channel identities that lead to them."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.store.models import Case, ChannelIdentity, Citizen, Conversation


def identify(session: Session, *, channel: str, external_id: str, phone: str | None = None) -> Citizen:
    """The citizen behind this channel identity; a new identity joins the citizen who already has that phone."""
    known = by_identity(session, channel=channel, external_id=external_id)
    if known is not None:
        return known
    citizen = find_by_phone(session, phone=phone) if phone else None
    if citizen is None:
        citizen = Citizen(phone=phone)
        session.add(citizen)
    session.add(ChannelIdentity(citizen=citizen, channel=channel, external_id=external_id))
    session.flush()
    return citizen


def by_identity(session: Session, *, channel: str, external_id: str) -> Citizen | None:
    """The citizen behind this channel identity, if it has been seen; never creates one."""
    identity = session.scalar(
        select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id))
    return identity.citizen if identity is not None else None


def external_ids(session: Session, *, citizen_id: int, channel: str) -> list[str]:
    """The citizen's ids on one channel (a push channel's chats to deliver to), oldest first."""
    query = (select(ChannelIdentity.external_id)
             .where(ChannelIdentity.citizen_id == citizen_id, ChannelIdentity.channel == channel)
             .order_by(ChannelIdentity.id))
    return list(session.scalars(query))


def find_by_phone(session: Session, *, phone: str) -> Citizen | None:
    return session.scalar(select(Citizen).where(Citizen.phone == phone).order_by(Citizen.id).limit(1))


def give_phone(session: Session, *, citizen: Citizen, phone: str) -> Citizen:
    """Record a phone number; when another citizen already has it, they are the same person: move this one's
    identities, conversations and cases over, so every channel sees one history."""
    known = find_by_phone(session, phone=phone)
    if known is None or known.id == citizen.id:
        citizen.phone = phone
        session.flush()
        return citizen
    for model in (ChannelIdentity, Conversation, Case):
        session.execute(update(model).where(model.citizen_id == citizen.id).values(citizen_id=known.id))
    session.flush()
    session.expire_all()
    return known
