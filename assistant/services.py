"""One typed container of what a running process serves with, built once by the composition root (api/app.py's
lifespan, the cli) and handed to every channel: the engine's runtime (its matcher held in one place), the staff
sessions, the retrainer and the gate on request sessions. A channel keeps its own part (the web's limits, the
hotline's audio, the Telegram channel) in it by type: the container knows no channel, and no caller reads an
untyped attribute."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

import anyio

from assistant.live.events import EventBus
from assistant.retrain_board import make_board
from assistant.retraining import Retrainer
from assistant.runtime import Runtime, build
from assistant.session_stores import make_staff_sessions
from assistant.settings import Settings
from assistant.staff_sessions import StaffSessions
from assistant.store.db import POOL_SIZE
from knowledge.matcher import Matcher

Part = TypeVar("Part")

REQUEST_SESSIONS = POOL_SIZE  # the pool's overflow is left for streams, the bot and background work
# SQLite lets one transaction write at a time and makes the others sleep and retry: two requests at once keep it
# busy, more only wait longer (bench/api_load.py: at 16 citizens p99 87 ms with 2, 577 ms with 10).
SQLITE_REQUEST_SESSIONS = 2


class HasState(Protocol):
    state: Any  # a Starlette app's state, where the lifespan leaves the container


@dataclass
class Services:
    runtime: Runtime
    staff_sessions: StaffSessions
    retrainer: Retrainer  # one per process; its board is shared by every worker (one retraining at a time in all)
    # Fewer requests hold a database session at once than the pool has connections: otherwise, under load, every
    # worker thread can wait for a connection held by a request that waits for a worker thread (FastAPI checks a
    # sync route's response in one): a deadlock until the pool gives up after 30 s. Waiting here holds neither.
    request_slots: anyio.Semaphore
    _parts: dict[type[Any], Any] = field(default_factory=dict, repr=False)

    def add(self, part: object) -> None:
        """A channel's own part, found again by its type."""
        self._parts[type(part)] = part

    def part(self, kind: type[Part]) -> Part:
        try:
            return cast(Part, self._parts[kind])
        except KeyError:
            raise LookupError(f"no {kind.__name__} among this process's services: its channel is not running") from None

    @classmethod
    def of(cls, app: HasState) -> Services:
        """The container an app's lifespan built."""
        services = getattr(app.state, "services", None)
        if not isinstance(services, cls):
            raise RuntimeError("the app has not started: its services are built in its lifespan")
        return services

    def close(self) -> None:
        self.staff_sessions.store.close()
        self.retrainer.close()
        self.runtime.close()


def build_services(settings: Settings, matcher: Matcher, *, bus: EventBus | None = None) -> Services:
    runtime = build(settings, matcher, bus=bus)
    sqlite = runtime.engine.dialect.name == "sqlite"
    return Services(runtime, make_staff_sessions(settings, runtime.sessions),
                    Retrainer(runtime, board=make_board(settings.redis_url)),
                    anyio.Semaphore(SQLITE_REQUEST_SESSIONS if sqlite else REQUEST_SESSIONS))
