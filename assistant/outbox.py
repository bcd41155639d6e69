"""Live events leave only after the data they describe is committed: a subscriber that reacts by reading the
database always finds what the event announced, and a rolled-back change announces nothing.

A message for a citizen on a push channel is also kept as a pending push in the same transaction: if the live event
finds the channel down (or Telegram unreachable), the channel delivers it later (bot/redelivery.py)."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from assistant import views
from assistant.channels import Reach, channel
from assistant.live.events import Event, EventBus, channel_topic, conversation_topic
from assistant.store import pushes as push_store
from assistant.store.models import Conversation, Message

_KEY = "outbox"


def publish_after_commit(session: Session, topic: str, payload: Event) -> None:
    if not session.in_transaction():
        session.begin()  # so a rollback, even before any SQL, is seen and drops the event
    session.info.setdefault(_KEY, []).append((topic, payload))


def send_to_citizen(session: Session, conversation: Conversation, message: Message) -> None:
    """A message written outside the citizen's own turn (an officer's reply, a note from the desk) reaches their
    chat: live once committed, and on a push channel kept until delivered. On a channel it cannot reach (a call
    that has ended) it is marked, so the case shows it was not delivered."""
    reach = channel(conversation.channel)
    if not reach.reaches_later:
        message.meta = {**(message.meta or {}), "unreachable": True}
    event = {"type": "message", "conversation_id": conversation.id, "message": views.message(message)}
    publish_after_commit(session, conversation_topic(conversation.id), event)
    publish_after_commit(session, channel_topic(conversation.channel), event)
    # A chat that shows only what is pushed to it keeps it until delivered; a web page fetches what it missed when it
    # reconnects; a phone call cannot hear it at all.
    if reach.reach is Reach.PUSHED:
        push_store.add(session, message=message, channel=conversation.channel)


def attach(factory: sessionmaker[Session], bus: EventBus) -> None:
    """Every session of this factory sends its pending events to the bus when it commits."""

    def send(session: Session) -> None:
        for topic, payload in session.info.pop(_KEY, []):
            bus.publish(topic, payload)

    def drop(session: Session, previous_transaction: object) -> None:
        session.info.pop(_KEY, None)

    event.listen(factory, "after_commit", send)
    event.listen(factory, "after_soft_rollback", drop)  # also when no SQL had run yet
