"""One router per concern. Each module builds a fresh Router, so every Dispatcher (one per app or test) gets its own.
Order matters: the big buttons and commands are matched before free text goes to the engine."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType

from bot.routers import details, handoff, media, questions, settings, start


def citizen_router() -> Router:
    """Everything a citizen can do, in private chats only (the bot is not meant for groups)."""
    router = Router(name="citizen")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.include_routers(start.router(), handoff.router(), settings.router(), details.router(), media.router(),
                           questions.router())
    return router
