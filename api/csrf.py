"""CSRF protection for staff requests: a random token per session, sent back in a header on every change.

A page of another site can make the browser send the staff cookies, but it cannot read the token (it is only given
out as JSON to this site's own scripts), so it cannot send the header. Checked on every state-changing request of a
logged-in session (the token kept with the session on the server), and on login itself, against the token of the
login form's signed cookie (api/staff_auth.py), so nobody can log a browser into an account of their choosing.
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request, Response, status

from api import staff_auth
from api.deps import RuntimeDep, StaffSessionDep
from api.staff_auth import LiveSession
from assistant.settings import Settings

HEADER = "X-CSRF-Token"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
REFUSED = "页面已经过期，请刷新页面后再试。"


def token(request: Request, response: Response, *, live: LiveSession | None, settings: Settings) -> str:
    """The token this browser must send: its session's once logged in, else its login form's."""
    return live.record.csrf_token if live else staff_auth.login_form_token(request, response, settings)


def _check(expected: str | None, request: Request) -> None:
    sent = request.headers.get(HEADER, "")
    if expected is None or not secrets.compare_digest(expected.encode(), sent.encode()):
        raise HTTPException(status.HTTP_403_FORBIDDEN, REFUSED)


def protect(request: Request, live: StaffSessionDep) -> None:
    """For a router: changes by a logged-in session need the token (without a login the route answers 401)."""
    if request.method not in _SAFE_METHODS and live is not None:
        _check(live.record.csrf_token, request)


def protect_login(request: Request, live: StaffSessionDep, runtime: RuntimeDep) -> None:
    _check(live.record.csrf_token if live else staff_auth.pre_login_token(request, runtime.settings), request)
