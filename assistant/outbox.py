"""Live events leave only after the data they describe is committed: a subscriber that reacts by reading the
database always finds what the event announced, and a rolled-back change announces nothing."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from assistant.events import Event, EventBus

_KEY = "outbox"


def publish_after_commit(session: Session, topic: str, payload: Event) -> None:
    if not session.in_transaction():
        session.begin()  # so a rollback, even before any SQL, is seen and drops the event
    session.info.setdefault(_KEY, []).append((topic, payload))


def attach(factory: sessionmaker[Session], bus: EventBus) -> None:
    """Every session of this factory sends its pending events to the bus when it commits."""

    def send(session: Session) -> None:
        for topic, payload in session.info.pop(_KEY, []):
            bus.publish(topic, payload)

    def drop(session: Session, previous_transaction: object) -> None:
        session.info.pop(_KEY, None)

    event.listen(factory, "after_commit", send)
    event.listen(factory, "after_soft_rollback", drop)  # also when no SQL had run yet
