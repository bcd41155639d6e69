"""A local stand-in for Telegram's Bot API server: an aiohttp app on a free localhost port, in its own thread.

It records every method call (form fields and uploaded files) and answers with well-formed Telegram objects, so
the real aiogram client runs unchanged against it (TELEGRAM_API_URL). It can also misbehave on request: answer 429
with retry_after, or drop the connection, once.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-token-for-the-stand-in"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "办事小助手", "username": "citizen_help_bot"}


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, str]
    files: dict[str, bytes]  # by the parameter that attached them, e.g. "voice"
    at: float  # time.monotonic() when it arrived

    @property
    def chat_id(self) -> int:
        return int(self.params["chat_id"])

    @property
    def text(self) -> str:
        return self.params.get("text", "")

    def markup(self) -> dict[str, Any]:
        return json.loads(self.params.get("reply_markup", "{}"))

    def buttons(self) -> list[str]:
        """The texts of the inline buttons, or of the reply keyboard's buttons."""
        markup = self.markup()
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [button["text"] for row in rows for button in row]

    def callback_data(self) -> dict[str, str]:
        return {b["text"]: b["callback_data"] for row in self.markup().get("inline_keyboard", []) for b in row}


@dataclass
class BotAPIStandIn:
    calls: list[Call] = field(default_factory=list)
    url: str = ""
    _failures: dict[str, deque[tuple[str, Any]]] = field(default_factory=dict)
    _files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _updates: asyncio.Queue[dict[str, Any]] | None = None
    _loop: asyncio.AbstractEventLoop | None = None

    # --- control from tests ---

    def reset(self) -> None:
        with self._changed:
            self.calls.clear()
            self._failures.clear()

    def answer_429_once(self, method: str, retry_after: int = 1) -> None:
        self._failures.setdefault(method, deque()).append(("429", retry_after))

    def drop_once(self, method: str) -> None:
        """Close the connection without an answer: the client sees a network error."""
        self._failures.setdefault(method, deque()).append(("drop", 0))

    def fail(self, method: str, *, times: int = 1, status: int = 502, description: str = "Bad Gateway") -> None:
        """Answer the next `times` calls of `method` with this error: 5xx as when Telegram is down, 403 as when the
        citizen blocked the bot."""
        self._failures.setdefault(method, deque()).extend([("error", (status, description))] * times)

    def add_file(self, file_id: str, data: bytes, path: str = "voice/file_1.oga") -> None:
        self._files[file_id] = (path, data)

    def push_update(self, update: dict[str, Any]) -> None:
        """For getUpdates (long polling)."""
        assert self._loop is not None and self._updates is not None
        self._loop.call_soon_threadsafe(self._updates.put_nowait, update)

    def sent(self, method: str | None = None, chat_id: int | None = None) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if (method is None or c.method == method)
                    and (chat_id is None or c.params.get("chat_id") == str(chat_id))]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0, **match: Any) -> list[Call]:
        """The first `count` calls of `method` (matching chat_id=...), waiting for them to arrive."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method
                         and all(c.params.get(k) == str(v) for k, v in match.items())]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.text[:30]) for c in self.calls]
                    raise AssertionError(f"{count} {method} call(s) expected within {timeout}s; saw {seen}")
                self._changed.wait(left)

    # --- the server ---

    def start(self) -> None:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        assert ready.wait(10), "the Bot API stand-in did not start"

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(5)

    def _serve(self, ready: threading.Event) -> None:
        asyncio.run(self._main(ready))

    async def _main(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._updates = asyncio.Queue()
        self._stop = asyncio.Event()
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)  # a long poll may be waiting
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        ready.set()
        await self._stop.wait()
        await runner.cleanup()

    async def _method(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != TOKEN:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await _form(request)
        with self._changed:
            self.calls.append(Call(method, params, files, time.monotonic()))
            self._changed.notify_all()
            failure = self._failures[method].popleft() if self._failures.get(method) else None
        if failure is not None and failure[0] == "429":
            return _error(429, f"Too Many Requests: retry after {failure[1]}", retry_after=failure[1])
        if failure is not None and failure[0] == "error":
            return _error(*failure[1])
        if failure is not None:
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if method == "getUpdates":
            return await self._get_updates(params)
        return web.json_response({"ok": True, "result": self._result(method, params)})

    async def _get_updates(self, params: dict[str, str]) -> web.Response:
        assert self._updates is not None
        try:
            update = await asyncio.wait_for(self._updates.get(), timeout=float(params.get("timeout", 0)) or 0.1)
        except TimeoutError:
            return web.json_response({"ok": True, "result": []})
        return web.json_response({"ok": True, "result": [update]})

    async def _file(self, request: web.Request) -> web.Response:
        for path, data in self._files.values():
            if path == request.match_info["path"]:
                return web.Response(body=data)
        return web.Response(status=404)

    def _result(self, method: str, params: dict[str, str]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getFile":
            path, data = self._files[params["file_id"]]
            return {"file_id": params["file_id"], "file_unique_id": "u" + params["file_id"], "file_size": len(data),
                    "file_path": path}
        if method.startswith("send") and method != "sendChatAction":
            message: dict[str, Any] = {"message_id": next(self._ids), "date": int(time.time()), "from": BOT_USER,
                                       "chat": {"id": int(params["chat_id"]), "type": "private"}}
            if method == "sendMessage":
                message["text"] = params["text"]
            if method == "sendVoice":
                message["voice"] = {"file_id": "voice-1", "file_unique_id": "uvoice-1",
                                    "duration": int(params.get("duration", 1))}
            return message
        return True  # answerCallbackQuery, sendChatAction, setWebhook, deleteWebhook, editMessageReplyMarkup, ...


async def _form(request: web.Request) -> tuple[dict[str, str], dict[str, bytes]]:
    form = await request.post()
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    uploads = {k: v.file.read() for k, v in form.items() if isinstance(v, web.FileField)}
    # aiogram sends a file as "voice=attach://<key>" plus a part named <key>.
    files = {name: uploads[value.removeprefix("attach://")] for name, value in params.items()
             if value.startswith("attach://") and value.removeprefix("attach://") in uploads}
    return params, files


def _error(code: int, description: str, *, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=code)
