"""找人工, from the big button or an inline one: the engine opens the case (or says the citizen is already waiting).
Officers' replies come back through bot/delivery.py."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from sqlalchemy.orm import Session

from assistant.texts import HUMAN_LABEL
from bot import texts
from bot.keyboards import Human
from bot.talk import Talk


async def on_human(message: Message, session: Session, talk: Talk) -> None:
    await talk.say(session, message.chat.id, HUMAN_LABEL)


async def on_human_button(callback: CallbackQuery, session: Session, talk: Talk) -> None:
    await callback.answer()
    if callback.message is not None:
        await talk.say(session, callback.message.chat.id, HUMAN_LABEL)


def router() -> Router:
    router = Router(name="handoff")
    router.message.register(on_human, F.text == texts.HUMAN)
    router.callback_query.register(on_human_button, Human.filter())
    return router
