"""Voice in and out, and everything else that is not text: 读给我听 reads the last answer aloud; a voice note is
transcribed only when a recogniser is configured (never guessed); stickers, photos, places and files get a kind
line instead of silence. While a person is on the case, the officer is told that something was sent that cannot
reach them (nothing of it is kept: a photo of an ID card is not ours to store), and so is the citizen."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiogram import F, Router
from aiogram.types import Message
from sqlalchemy.orm import Session

from bot import texts
from bot.keyboards import human_keyboard
from bot.output import Output
from bot.talk import Talk
from voice.recognition import Recognizer
from voice.speech.errors import VoiceError

log = logging.getLogger(__name__)

# (what, the engine's name for it while a person is on the case or None to always answer, the line otherwise)
KIND_LINES = ((F.sticker, None, texts.STICKER), (F.photo, "photo", texts.PHOTO),
              (F.location | F.venue, "location", texts.LOCATION), (F.document, "document", texts.DOCUMENT))


async def on_read_aloud(message: Message, session: Session, talk: Talk, output: Output) -> None:
    if not await talk.read_aloud(session, message.chat.id):
        await output.say(message.chat.id, texts.NOTHING_TO_READ)


async def on_voice_note(message: Message, session: Session, talk: Talk, output: Output,
                        recognizer: Recognizer | None) -> None:
    chat_id = message.chat.id
    if recognizer is None or message.voice is None:
        if not await talk.unreadable(session, chat_id, "voice"):
            await output.say(chat_id, texts.CANNOT_LISTEN, human_keyboard())
        return
    with tempfile.TemporaryDirectory() as scratch:
        audio = Path(scratch) / "voice.ogg"
        await output.bot.download(message.voice, destination=audio)
        try:
            heard = await asyncio.to_thread(recognizer.transcribe, audio)
        except VoiceError as exc:  # the model or ffmpeg is missing or broken: an operator's problem, said kindly
            log.error("speech recognition failed: %s", exc)
            if not await talk.unreadable(session, chat_id, "voice"):
                await output.say(chat_id, texts.CANNOT_LISTEN, human_keyboard())
            return
    if not heard or not heard.strip():
        await output.say(chat_id, texts.NOT_HEARD, human_keyboard())
        return
    await output.say(chat_id, texts.HEARD.format(text=heard.strip()))
    await talk.say(session, chat_id, heard.strip())


def _kind_line(kind: str | None, text: str) -> Callable[[Message, Session, Talk, Output], Awaitable[None]]:
    async def handler(message: Message, session: Session, talk: Talk, output: Output) -> None:
        if kind is None or not await talk.unreadable(session, message.chat.id, kind):
            await output.say(message.chat.id, text)
    return handler


def router() -> Router:
    router = Router(name="media")
    router.message.register(on_read_aloud, F.text == texts.READ_ALOUD)
    router.message.register(on_voice_note, F.voice)
    for content, kind, line in KIND_LINES:
        router.message.register(_kind_line(kind, line), content)
    router.message.register(_kind_line("other", texts.OTHER), ~F.text)
    return router
