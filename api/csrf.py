"""CSRF protection for staff requests: a random token per session, sent back in a header on every change.

A page of another site can make the browser send the staff cookie, but it cannot read the token (it is only given
out as JSON to this site's own scripts), so it cannot send the header. Checked on every state-changing request of a
logged-in session, and on login itself (so nobody can log a browser into an account of their choosing).
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request, status

from api.deps import SESSION_KEY

HEADER = "X-CSRF-Token"
_KEY = "csrf"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
REFUSED = "页面已经过期，请刷新页面后再试。"


def token(request: Request) -> str:
    """This session's token, made on first use."""
    value = request.session.get(_KEY)
    if not isinstance(value, str):
        value = request.session[_KEY] = secrets.token_urlsafe(32)
    return value


def _check(request: Request) -> None:
    expected, sent = request.session.get(_KEY), request.headers.get(HEADER, "")
    if not isinstance(expected, str) or not secrets.compare_digest(expected.encode(), sent.encode()):
        raise HTTPException(status.HTTP_403_FORBIDDEN, REFUSED)


def protect(request: Request) -> None:
    """For a router: changes by a logged-in session need the token (without a login the route answers 401)."""
    if request.method not in _SAFE_METHODS and SESSION_KEY in request.session:
        _check(request)


def protect_login(request: Request) -> None:
    _check(request)
