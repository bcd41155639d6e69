"""Free text is a question for the engine; 问个事 just invites one."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import Message
from sqlalchemy.orm import Session

from bot import texts
from bot.output import Output
from bot.talk import Talk
from voice.recognition import Recognizer


async def on_ask(message: Message, output: Output, recognizer: Recognizer | None) -> None:
    await output.say(message.chat.id, texts.ASK_PROMPT_VOICE if recognizer else texts.ASK_PROMPT)


async def on_text(message: Message, session: Session, talk: Talk) -> None:
    await talk.say(session, message.chat.id, message.text or "")


def router() -> Router:
    router = Router(name="questions")
    router.message.register(on_ask, F.text == texts.ASK)
    router.message.register(on_text, F.text)
    return router
