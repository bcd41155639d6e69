"""Update middlewares: one database session per update, from the same sessionmaker the web service uses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from sqlalchemy.orm import Session, sessionmaker


class DbSession(BaseMiddleware):
    """Puts `session` into the handlers' arguments and closes it when the update is done."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        with self.sessions() as session:
            data["session"] = session
            return await handler(event, data)
