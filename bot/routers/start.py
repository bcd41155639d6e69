"""/start greets and puts the four big buttons under the typing field; 怎么用 and /help explain them."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import Message
from sqlalchemy.orm import Session

from bot import texts
from bot.keyboards import settings_keyboard
from bot.output import Output
from bot.preferences import Preferences
from bot.talk import Talk


async def on_start(message: Message, session: Session, talk: Talk) -> None:
    await talk.start(session, message.chat.id)


async def on_how_to(message: Message, output: Output, preferences: Preferences) -> None:
    voice = await preferences.voice(message.chat.id)
    await output.say(message.chat.id, texts.HOW_TO_TEXT, settings_keyboard(voice=voice))


def router() -> Router:
    router = Router(name="start")
    router.message.register(on_start, CommandStart())
    router.message.register(on_how_to, Command("help"))
    router.message.register(on_how_to, F.text == texts.HOW_TO)
    return router
