"""Dependencies as type aliases: routes only declare what they need."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated

import anyio
from fastapi import Depends, HTTPException, Path, Request, status
from sqlalchemy.orm import Session

from api.limiters import LoginLimits
from api.schemas import MAX_ROW_ID
from assistant import texts
from assistant.runtime import Runtime
from assistant.store import officers as officer_store
from assistant.store.db import POOL_SIZE
from assistant.store.models import Officer

SESSION_KEY = "officer_id"
REQUEST_SESSIONS = POOL_SIZE  # the pool's overflow is left for streams, the bot and background work
# SQLite lets one transaction write at a time and makes the others sleep and retry: two requests at once keep it
# busy, more only wait longer (bench/api_load.py: at 16 citizens p99 87 ms with 2, 577 ms with 10).
SQLITE_REQUEST_SESSIONS = 2


async def get_runtime(request: Request) -> Runtime:  # async: no trip to a worker thread for an attribute
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def _session_slot(request: Request) -> AsyncIterator[None]:
    """Fewer requests hold a session at once than the pool has connections (assistant/store/db.py). Otherwise,
    under load, every worker thread can wait for a connection held by a request that waits for a worker thread
    (FastAPI checks a sync route's response in one): a deadlock until the pool gives up after 30 s."""
    state = request.app.state
    if not hasattr(state, "session_slots"):
        sqlite = state.runtime.engine.dialect.name == "sqlite"
        state.session_slots = anyio.Semaphore(SQLITE_REQUEST_SESSIONS if sqlite else REQUEST_SESSIONS)
    async with state.session_slots:  # waiting here holds neither a thread nor a connection
        yield


def get_session(runtime: RuntimeDep, _slot: Annotated[None, Depends(_session_slot)]) -> Iterator[Session]:
    with runtime.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]  # a case or callback id in a path


def current_officer(request: Request, session: SessionDep) -> Officer:
    officer_id = request.session.get(SESSION_KEY)
    officer = officer_store.get(session, officer_id=officer_id) if isinstance(officer_id, int) else None
    if officer is None:
        request.session.clear()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "请先登录")
    return officer


CurrentOfficer = Annotated[Officer, Depends(current_officer)]


def officer_for_stream(request: Request, runtime: RuntimeDep) -> int:
    """Like CurrentOfficer, with a session closed at once: a live stream must not hold a connection for hours."""
    with runtime.sessions() as session:
        return current_officer(request, session).id


StreamingOfficer = Annotated[int, Depends(officer_for_stream)]


def role_required(*roles: str) -> Callable[[Officer], Officer]:
    def check(officer: CurrentOfficer) -> Officer:
        if officer.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "您的角色不能做这件事")
        return officer

    return check


Supervisor = Annotated[Officer, Depends(role_required("supervisor", "admin"))]
Admin = Annotated[Officer, Depends(role_required("admin"))]


async def get_login_limiter(request: Request) -> LoginLimits:
    return request.app.state.login_limiter  # made with the app: api/app.py


LoginLimiterDep = Annotated[LoginLimits, Depends(get_login_limiter)]


async def public_rate_limit(request: Request) -> None:
    """429 with a kind message when one address sends questions or chat messages too fast."""
    address = request.client.host if request.client else "unknown"
    if wait := await request.app.state.public_limiter.take(address):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, texts.TOO_FAST.format(seconds=wait),
                            headers={"Retry-After": str(wait)})


PublicRateLimit = Depends(public_rate_limit)
