"""The staff session at the HTTP level: its cookie, holding only the key of a session kept on the server
(assistant/staff_sessions.py), and before login a signed, short-lived cookie holding the login form's CSRF token.

Why a pre-login cookie and not a server session for every visitor: the login page must carry a CSRF token before
anyone has logged in, and a server row per anonymous request would let anyone fill the store by asking for the page.
The signed cookie costs the server nothing; the server session is made only at a successful login, with a new key
(so a key planted in a browser before login is never the one it is logged in with).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from assistant import auth
from assistant.settings import Settings
from assistant.staff_sessions import SessionRecord, StaffSessions
from assistant.store.models import Officer

STAFF_COOKIE = "citizen_help_staff"
LOGIN_COOKIE = "citizen_help_staff_login"
LOGIN_FORM_SECONDS = 2 * 60 * 60  # a login form left open longer asks for a reload (api/csrf.REFUSED)
_LOGIN_SALT = "citizen-help staff login form"

T = TypeVar("T")


@dataclass(frozen=True)
class LiveSession:
    key: str
    record: SessionRecord


def _cookie_options(settings: Settings) -> dict[str, object]:
    # Secure in production always; over TLS in development too (api/security.py adds it there).
    return {"httponly": True, "samesite": "lax", "secure": settings.environment == "production", "path": "/"}


def _signer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key.get_secret_value(), salt=_LOGIN_SALT)


def session_key(request: Request) -> str | None:
    return request.cookies.get(STAFF_COOKIE) or None


def pre_login_token(request: Request, settings: Settings) -> str | None:
    """The token of this browser's login form, if its cookie is ours and fresh."""
    value = request.cookies.get(LOGIN_COOKIE)
    if not value:
        return None
    try:
        token = _signer(settings).loads(value, max_age=LOGIN_FORM_SECONDS)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def login_form_token(request: Request, response: Response, settings: Settings) -> str:
    """The login form's token: the browser's own if it has one, else a new one; its cookie renewed either way."""
    token = pre_login_token(request, settings) or secrets.token_urlsafe(32)
    response.set_cookie(LOGIN_COOKIE, _signer(settings).dumps(token), max_age=LOGIN_FORM_SECONDS,
                        **_cookie_options(settings))  # type: ignore[arg-type]
    return token


def start(response: Response, sessions: StaffSessions, *, officer: Officer, replacing: LiveSession | None,
          settings: Settings) -> SessionRecord:
    """Logs the browser in with a new session key; whatever session it came with is ended."""
    if replacing is not None:
        sessions.end(replacing.key)
    key, record = sessions.start(officer_id=officer.id, stamp=auth.session_stamp(officer))
    response.set_cookie(STAFF_COOKIE, key, max_age=int(sessions.lifetime.total_seconds()),
                        **_cookie_options(settings))  # type: ignore[arg-type]
    response.delete_cookie(LOGIN_COOKIE, **_cookie_options(settings))  # type: ignore[arg-type]
    return record


def end(response: Response, sessions: StaffSessions, *, live: LiveSession | None, settings: Settings) -> None:
    """Logs out: the session ends on the server at once, and the browser forgets the key."""
    if live is not None:
        sessions.end(live.key)
    response.delete_cookie(STAFF_COOKIE, **_cookie_options(settings))  # type: ignore[arg-type]


async def while_signed_in(events: AsyncIterator[T], *, still_signed_in: Callable[[], Awaitable[bool]],
                          every: dt.timedelta) -> AsyncIterator[T]:
    """The events of a live stream until its session has ended (logout, expiry, a disabled officer, a new password):
    asked every `every` whether events flow or not, so a stream outlives its session by at most that long."""
    loop = asyncio.get_running_loop()
    seconds = every.total_seconds()
    check_at = loop.time() + seconds
    waiting: asyncio.Future[T] | None = None
    try:
        while True:
            waiting = waiting or asyncio.ensure_future(anext(events))
            done, _ = await asyncio.wait({waiting}, timeout=max(0.0, check_at - loop.time()))
            if done:
                try:
                    event = waiting.result()
                except StopAsyncIteration:
                    return
                waiting = None
                yield event
            if loop.time() >= check_at:
                if not await still_signed_in():
                    return
                check_at = loop.time() + seconds
    finally:
        if waiting is not None:
            waiting.cancel()
