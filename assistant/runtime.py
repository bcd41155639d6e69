"""Everything one process needs to serve citizens, wired once: database, live events, matcher, desk, engine.
Every channel (web, Telegram, phone) builds on the same Runtime."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from assistant import outbox
from assistant.cases import Desk
from assistant.dialogue import Dialogue
from assistant.engine import Assistant
from assistant.live.buses import make_bus
from assistant.live.events import EventBus
from assistant.served import ServedMatcher
from assistant.settings import Settings
from assistant.store.db import make_engine, make_session_factory
from assistant.store.types import utcnow
from knowledge.loader import load_offices
from knowledge.matcher import Matcher


@dataclass
class Runtime:
    settings: Settings
    served: ServedMatcher  # the one place the matcher is held: the dialogue and the desk read it there
    engine: Engine
    sessions: sessionmaker[Session]
    bus: EventBus
    desk: Desk
    assistant: Assistant

    @property
    def matcher(self) -> Matcher:
        return self.served.current

    def use_matcher(self, matcher: Matcher) -> None:
        """Serve with a newly trained matcher from the next message on; no restart, nothing dropped."""
        self.served.swap(matcher)

    def close(self) -> None:
        self.engine.dispose()
        close_bus = getattr(self.bus, "close", None)  # the Redis bus holds a connection pool
        if close_bus is not None:
            close_bus()


def build(settings: Settings, matcher: Matcher, *, bus: EventBus | None = None,
          clock: Callable[[], dt.datetime] = utcnow) -> Runtime:
    engine = make_engine(settings.effective_database_url)
    sessions = make_session_factory(engine)
    bus = bus or make_bus(settings.redis_url)
    outbox.attach(sessions, bus)
    served = ServedMatcher(matcher)
    desk = Desk(settings, served, clock)
    dialogue = Dialogue(served, load_offices(settings.offices_file), gas_line=settings.gas_line)
    return Runtime(settings, served, engine, sessions, bus, desk, Assistant(dialogue, desk))
