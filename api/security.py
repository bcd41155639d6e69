"""Security headers for every response: the chat page runs only its own scripts and styles. Over TLS (directly,
or behind a proxy that sets X-Forwarded-Proto, which uvicorn's proxy_headers honours) cookies are marked Secure."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; "
                "frame-ancestors 'none'; form-action 'self'")
_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY")]
# The offline API docs page needs inline script to start Swagger UI; it gets the plain headers only.
_NO_POLICY_PREFIXES = ("/docs", "/redoc")


def _secure(cookie: bytes) -> bytes:
    return cookie if b"; secure" in cookie.lower() else cookie + b"; secure"


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_policy = not scope["path"].startswith(_NO_POLICY_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + _HEADERS
                if scope.get("scheme") == "https":
                    headers = [(name, _secure(value) if name == b"set-cookie" else value) for name, value in headers]
                if with_policy:
                    headers.append((b"content-security-policy", _PAGE_POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
