"""JSON bodies are checked before any route reads them, so what no parser, database or response can hold never gets
that far: nesting deeper than MAX_DEPTH (200,000 "[" made the parser recurse until it crashed), NaN or Infinity
(PostgreSQL refuses them in a JSON column), or something that is not JSON at all. Each is a 400 with a plain answer.

The depth is checked on every body that starts like JSON, whatever its Content-Type says: a route may parse a body
itself (the Telegram webhook does). The rest is checked on bodies declared as JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_DEPTH = 32  # a Telegram update nests about 8 deep, a service guide 4
NOT_JSON = "发来的内容格式不对，我们读不了。请刷新页面后再试。"
TOO_DEEP = "发来的内容层次太多，我们处理不了。"
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # a JSON string, so brackets inside one are not counted
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def too_deep(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the brackets outside strings nest deeper than the limit; read without parsing, so without recursion."""
    depth = 0
    for byte in _STRING.sub(b"", body).translate(None, _NOT_BRACKETS):
        depth += 1 if byte in b"[{" else -1
        if depth > limit:
            return True
    return False


def problem(body: bytes, *, declared_json: bool) -> str | None:
    """What is wrong with this body, in words for the sender; None if nothing is."""
    if body.lstrip()[:1] in (b"[", b"{") and too_deep(body):
        return TOO_DEEP
    if not declared_json or not body.strip():
        return None
    try:
        json.loads(body, parse_constant=_refuse, parse_float=_finite)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return NOT_JSON
    return None


def _refuse(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):  # 1e400: too large for a float, and for PostgreSQL's JSON
        raise ValueError(f"{text} is out of range")
    return value


def _declares_json(scope: Scope) -> bool:
    content_type = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower()
    return content_type == b"application/json" or content_type.endswith(b"+json")


class JsonGuard:
    """Reads the whole body first (BodySizeLimit, outside this, keeps it small), checks it, then hands it on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client left before sending it all
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if (refusal := problem(body, declared_json=_declares_json(scope))) is not None:
            await _refuse_request(send, refusal)
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # only a disconnect is left to hear of
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


async def _refuse_request(send: Send, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 400,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
