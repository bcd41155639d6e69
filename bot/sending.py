"""Telegram's limits, handled on the way out: request middlewares on the bot's HTTP session.

ChatPacer keeps to one message per second per chat, in order; Persistence waits out a 429 for as long as Telegram
asks, and retries network and server errors with a growing pause. Every retry and every final failure is logged.
A message whose answer was lost on the way back may arrive twice: better than not at all, for a citizen waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[Any]]
# Methods that put something into a chat; getFile, answerCallbackQuery and the like are not paced.
_MESSAGE_METHODS = ("send", "copyMessage", "forwardMessage")


def _paced(method: TelegramMethod[Any]) -> bool:
    name = method.__api_method__
    return name.startswith(_MESSAGE_METHODS) and name != "sendChatAction"


@dataclass
class _Slot:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0


class ChatPacer(BaseRequestMiddleware):
    """At most one message per `interval` seconds to each chat; messages to one chat leave in the order sent."""

    def __init__(self, interval: float = 1.0, *, keep: int = 1000) -> None:
        self.interval = interval
        self._keep = keep  # above this many chats, idle ones are forgotten
        self._slots: dict[Any, _Slot] = {}

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        chat_id = getattr(method, "chat_id", None)
        if chat_id is None or not _paced(method):
            return await make_request(bot, method)
        slot = self._slots.setdefault(chat_id, _Slot())
        loop = asyncio.get_running_loop()
        async with slot.lock:
            wait = slot.next_at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                return await make_request(bot, method)
            finally:
                slot.next_at = loop.time() + self.interval
                self._forget_idle(loop.time())

    def _forget_idle(self, now: float) -> None:
        if len(self._slots) <= self._keep:
            return
        for chat_id, slot in list(self._slots.items()):
            if slot.next_at < now and not slot.lock.locked():
                del self._slots[chat_id]


class Persistence(BaseRequestMiddleware):
    """A 429 waits `retry_after`; network and server errors are retried after 0.5 s, 1 s, 2 s, ... ."""

    def __init__(self, *, attempts: int = 5, first_pause: float = 0.5, max_pause: float = 30.0,
                 max_retry_after: float = 300.0, sleep: Sleep = asyncio.sleep) -> None:
        self.attempts = attempts
        self.first_pause = first_pause
        self.max_pause = max_pause
        self.max_retry_after = max_retry_after
        self.sleep = sleep

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        if isinstance(method, GetUpdates):  # long polling has its own backoff in aiogram
            return await make_request(bot, method)
        name, pause = method.__api_method__, self.first_pause
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self.attempts or exc.retry_after > self.max_retry_after:
                    log.error("gave up on %s: Telegram asked to wait %s s, %d attempts made", name,
                              exc.retry_after, attempt)
                    raise
                log.warning("Telegram asked to wait %s s before %s (attempt %d of %d)", exc.retry_after, name,
                            attempt, self.attempts)
                await self.sleep(exc.retry_after)
            except (TelegramNetworkError, TelegramServerError) as exc:
                if attempt == self.attempts:
                    log.error("gave up on %s after %d attempts: %s", name, attempt, exc)
                    raise
                log.warning("%s failed (%s); retrying in %.1f s (attempt %d of %d)", name, exc, pause, attempt,
                            self.attempts)
                await self.sleep(pause)
                pause = min(pause * 2, self.max_pause)
        raise AssertionError("unreachable: the last attempt returns or raises")
