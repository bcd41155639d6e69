"""Rendering the engine's replies into a chat: text cut to Telegram's size, choices as inline buttons, the four big
buttons under every other message, emergencies in bold, and a voice message when the citizen wants one.

A reply is rendered from its dictionary form (Reply.to_dict() or a stored message's view): one path for the answers
to a citizen's message and for what officers send later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from aiogram import Bot
from aiogram.enums import ChatAction
from aiogram.types import FSInputFile, InlineKeyboardMarkup, MessageEntity, ReplyKeyboardMarkup

from bot import texts
from bot.keyboards import choices_keyboard, main_keyboard
from bot.preferences import Preferences
from bot.splitting import split_text, units
from voice.speech.errors import VoiceError
from voice.speech.formats import duration_seconds
from voice.speech.speaker import Speaker

log = logging.getLogger(__name__)

Shown = Mapping[str, Any]  # "text", "choices" [{"key", "label"}], "speakable", "priority"


class Output:
    def __init__(self, bot: Bot, speaker: Speaker, preferences: Preferences, *, slow: bool = False) -> None:
        self.bot = bot
        self.speaker = speaker
        self.preferences = preferences
        self.slow = slow

    async def show(self, chat_id: int, replies: Sequence[Shown], *, voice: bool | None = None) -> None:
        """Each reply as one or more messages; then, if the chat wants voice, the speakable ones read aloud."""
        for reply in replies:
            await self._message(chat_id, reply)
        if voice is None:
            voice = await self.preferences.voice(chat_id)
        spoken = "\n".join(r["text"] for r in replies if r.get("speakable", True) and r["text"].strip())
        if voice and spoken:
            await self.speak(chat_id, spoken)

    async def say(self, chat_id: int, text: str,
                  markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None) -> None:
        """One of the channel's own sentences, with the big buttons unless other buttons are given."""
        await self.bot.send_message(chat_id, text, reply_markup=markup or main_keyboard())

    async def speak(self, chat_id: int, text: str) -> bool:
        """A voice message (OGG/Opus) of the text; a kind note in its place if no voice can be made."""
        await self.bot.send_chat_action(chat_id, ChatAction.RECORD_VOICE)
        try:
            path = await asyncio.to_thread(self.speaker.render, text, "ogg_opus", self.slow)
        except VoiceError as exc:
            log.error("could not make a voice message: %s", exc)
            await self.say(chat_id, texts.CANNOT_SPEAK)
            return False
        seconds = await asyncio.to_thread(duration_seconds, path)
        await self.bot.send_voice(chat_id, FSInputFile(path, filename="answer.ogg"),
                                  duration=max(1, round(seconds)))
        return True

    async def _message(self, chat_id: int, reply: Shown) -> None:
        parts = [part for part in split_text(reply["text"]) if part.strip()]
        choices = reply.get("choices") or ()
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            markup = choices_keyboard(choices) if last and choices else main_keyboard()
            # An emergency's advice stands out: bold, without any markup language to parse.
            bold = [MessageEntity(type="bold", offset=0, length=units(part))] if reply.get("priority") else None
            await self.bot.send_message(chat_id, part, reply_markup=markup, entities=bold)
