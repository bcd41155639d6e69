"""Dependencies as type aliases: routes only declare what they need."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Path, Request, status
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api import staff_auth
from api.limiters import LoginLimits
from api.schemas import MAX_ROW_ID
from api.staff_auth import LiveSession
from api.streams import StreamLimit
from api.web import Web
from assistant import auth, texts

# The services every HTTP channel shares (the hotline's webhooks declare them too), handed on beside the web's own.
from assistant.http_services import RuntimeDep as RuntimeDep
from assistant.http_services import ServicesDep as ServicesDep
from assistant.http_services import SessionDep as SessionDep
from assistant.runtime import Runtime
from assistant.staff_sessions import SessionsUnavailable, StaffSessions
from assistant.store import officers as officer_store
from assistant.store.models import Officer

log = logging.getLogger("citizen_help.staff")


async def get_web(services: ServicesDep) -> Web:
    return services.part(Web)


WebDep = Annotated[Web, Depends(get_web)]
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]  # a case or callback id in a path


async def get_staff_sessions(services: ServicesDep) -> StaffSessions:
    return services.staff_sessions


StaffSessionsDep = Annotated[StaffSessions, Depends(get_staff_sessions)]


def staff_session(request: Request, sessions: StaffSessionsDep) -> LiveSession | None:
    """The server's session for this browser's key, renewed by this request; None without a live one."""
    key = staff_auth.session_key(request)
    if key is None:
        return None
    try:
        record = sessions.find(key)
    except SessionsUnavailable as exc:  # not "logged out": the officer would lose their work for nothing
        log.error("%s", exc)
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, texts.BUSY) from None
    return LiveSession(key, record) if record else None


StaffSessionDep = Annotated[LiveSession | None, Depends(staff_session)]


def _signed_in(live: LiveSession | None, session: Session, sessions: StaffSessions) -> Officer | None:
    if live is None:
        return None
    officer = officer_store.get(session, officer_id=live.record.officer_id)
    if not auth.session_matches(officer, live.record.stamp):  # disabled, or a new password since this login
        sessions.end(live.key)
        return None
    return officer


def signed_in_officer(live: StaffSessionDep, session: SessionDep, sessions: StaffSessionsDep) -> Officer | None:
    return _signed_in(live, session, sessions)


SignedInOfficer = Annotated[Officer | None, Depends(signed_in_officer)]


def current_officer(officer: SignedInOfficer) -> Officer:
    if officer is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "请先登录")
    return officer


CurrentOfficer = Annotated[Officer, Depends(current_officer)]


@dataclass(frozen=True)
class StreamLogin:
    """The officer of a live stream, and how to ask whether their session still holds."""

    officer_id: int
    still_signed_in: Callable[[], Awaitable[bool]]
    check_every: dt.timedelta


def _check_session(runtime: Runtime, sessions: StaffSessions, key: str) -> bool:
    """Looks without renewing: an open stream is not work, and must not keep an idle session alive."""
    try:
        record = sessions.find(key, renew=False)
        with runtime.sessions() as session:
            return _signed_in(LiveSession(key, record) if record else None, session, sessions) is not None
    except Exception as exc:  # the store or the database is away: end the stream, the console reconnects
        log.warning("live stream ended, its session could not be checked: %s", exc)
        return False


def officer_for_stream(live: StaffSessionDep, runtime: RuntimeDep, sessions: StaffSessionsDep) -> StreamLogin:
    """Like CurrentOfficer, with a session closed at once: a live stream must not hold a connection for hours."""
    with runtime.sessions() as session:
        officer = _signed_in(live, session, sessions)
    if officer is None or live is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "请先登录")
    key = live.key

    async def still_signed_in() -> bool:
        return await run_in_threadpool(_check_session, runtime, sessions, key)

    return StreamLogin(officer.id, still_signed_in, dt.timedelta(seconds=runtime.settings.staff_stream_check_seconds))


StreamingOfficer = Annotated[StreamLogin, Depends(officer_for_stream)]


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def citizen_stream(request: Request, web: WebDep) -> AsyncIterator[None]:
    """A slot among the open citizens' streams, held until the stream ends (429/503 when there is none)."""
    async with _slot(web.citizen_streams, _address(request)):
        yield


async def staff_stream(web: WebDep, login: StreamingOfficer) -> AsyncIterator[StreamLogin]:
    """The officer's stream login, and a slot among the open staff streams, held until the stream ends."""
    async with _slot(web.staff_streams, str(login.officer_id)):
        yield login


@asynccontextmanager
async def _slot(limit: StreamLimit, key: str) -> AsyncIterator[None]:
    limit.take(key)
    try:
        yield
    finally:
        limit.give_back(key)


CitizenStream = Depends(citizen_stream)
StaffStream = Annotated[StreamLogin, Depends(staff_stream)]


def role_required(*roles: str) -> Callable[[Officer], Officer]:
    def check(officer: CurrentOfficer) -> Officer:
        if officer.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "您的角色不能做这件事")
        return officer

    return check


Supervisor = Annotated[Officer, Depends(role_required("supervisor", "admin"))]
Admin = Annotated[Officer, Depends(role_required("admin"))]


async def get_login_limiter(web: WebDep) -> LoginLimits:
    return web.login_limiter


LoginLimiterDep = Annotated[LoginLimits, Depends(get_login_limiter)]


async def public_rate_limit(request: Request, web: WebDep) -> None:
    """429 with a kind message when one address sends questions or chat messages too fast."""
    if wait := await web.public_limiter.take(_address(request)):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, texts.TOO_FAST.format(seconds=wait),
                            headers={"Retry-After": str(wait)})


PublicRateLimit = Depends(public_rate_limit)


async def idempotency_key(key: Annotated[str | None, Header(
        alias="Idempotency-Key", pattern=r'^"?[A-Za-z0-9_-]{8,64}"?$',
        examples=["8e03978e-40d5-43e8-bc93-6894a57f9324"],
        description="A fresh random key per request (a UUID), sent again unchanged when the request is retried: a "
                    "retry then returns what the first request did instead of doing it twice. Plain or quoted, as "
                    "in the IETF Idempotency-Key draft.")] = None) -> str | None:
    return key.strip('"') if key is not None else None


IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]
