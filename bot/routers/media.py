"""Voice in and out, and everything else that is not text: 读给我听 reads the last answer aloud; a voice note is
transcribed only when a recogniser is configured (never guessed); stickers, photos, places and files get a kind
line instead of silence. While a person is on the case, the officer is told that something was sent that cannot
reach them (nothing of it is kept: a photo of an ID card is not ours to store), and so is the citizen. Words sent
with it (a caption) are never dropped: they reach the officer, or are answered, as if typed."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiogram import F, Router
from aiogram.types import InlineKeyboardMarkup, Message
from sqlalchemy.orm import Session

from assistant import texts as engine_texts
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


async def not_readable(message: Message, session: Session, talk: Talk, output: Output, kind: str,
                       line: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """What the bot cannot pass on: the officer hears of it (while a person is on the case) or the citizen gets the
    kind line. Words sent with it (a caption, "这是身份证") are never dropped: they go on as the citizen's message,
    to the officer, or to be answered."""
    chat_id, words = message.chat.id, (message.caption or "").strip()
    if not await talk.unreadable(session, chat_id, kind, with_words=bool(words)):  # no person on the case
        if words:
            what = engine_texts.UNREADABLE.get(kind, engine_texts.UNREADABLE["other"])
            await output.say(chat_id, texts.WITH_WORDS.format(what=what))
        else:
            await output.say(chat_id, line, markup)
    if words:
        await talk.say(session, chat_id, words)


async def on_voice_note(message: Message, session: Session, talk: Talk, output: Output,
                        recognizer: Recognizer | None) -> None:
    chat_id = message.chat.id
    if recognizer is None or message.voice is None:
        await not_readable(message, session, talk, output, "voice", texts.CANNOT_LISTEN, human_keyboard())
        return
    with tempfile.TemporaryDirectory() as scratch:
        audio = Path(scratch) / "voice.ogg"
        await output.bot.download(message.voice, destination=audio)
        try:
            heard = await asyncio.to_thread(recognizer.transcribe, audio)
        except VoiceError as exc:  # the model or ffmpeg is missing or broken: an operator's problem, said kindly
            log.error("speech recognition failed: %s", exc)
            await not_readable(message, session, talk, output, "voice", texts.CANNOT_LISTEN, human_keyboard())
            return
    words = (message.caption or "").strip()
    if not heard or not heard.strip():
        if words:  # the voice was not made out, the words written with it were
            await talk.say(session, chat_id, words)
            return
        await output.say(chat_id, texts.NOT_HEARD, human_keyboard())
        return
    await output.say(chat_id, texts.HEARD.format(text=heard.strip()))
    await talk.say(session, chat_id, "，".join(filter(None, (words, heard.strip()))))


def _kind_line(kind: str | None, text: str) -> Callable[[Message, Session, Talk, Output], Awaitable[None]]:
    async def handler(message: Message, session: Session, talk: Talk, output: Output) -> None:
        if kind is None:  # a sticker: nothing for an officer, and no words with it
            await output.say(message.chat.id, text)
        else:
            await not_readable(message, session, talk, output, kind, text)
    return handler


def router() -> Router:
    router = Router(name="media")
    router.message.register(on_read_aloud, F.text == texts.READ_ALOUD)
    router.message.register(on_voice_note, F.voice)
    for content, kind, line in KIND_LINES:
        router.message.register(_kind_line(kind, line), content)
    router.message.register(_kind_line("other", texts.OTHER), ~F.text)
    return router
