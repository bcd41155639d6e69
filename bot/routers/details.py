"""A tapped choice (details, "did you mean", yes/no): its label and key go to the engine, as if said."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from sqlalchemy.orm import Session

from bot.keyboards import Pick, label_of
from bot.talk import Talk


async def on_pick(callback: CallbackQuery, callback_data: Pick, session: Session, talk: Talk) -> None:
    await callback.answer()  # stops the button's spinner; no pop-up
    message = callback.message
    label = label_of(getattr(message, "reply_markup", None), callback.data or "")
    if message is None:
        return
    if label is None:  # the message is too old for Telegram to show us its buttons: the key alone, as if typed
        await talk.say(session, message.chat.id, callback_data.key)
    else:
        await talk.say(session, message.chat.id, label, choice=callback_data.key)


def router() -> Router:
    router = Router(name="details")
    router.callback_query.register(on_pick, Pick.filter())
    return router
