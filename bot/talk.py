"""The one way handlers reach the engine: what the citizen did becomes one engine call, and its replies are rendered
into their chat. The engine is synchronous (database, matcher), so it runs in a worker thread."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.orm import Session

from assistant.engine import Assistant
from assistant.messages import Incoming, Reply
from bot.output import Output

CHANNEL = "telegram"


class Talk:
    def __init__(self, assistant: Assistant, output: Output) -> None:
        self.assistant = assistant
        self.output = output

    async def start(self, session: Session, chat_id: int) -> None:
        """/start: a greeting, or, while a person is on the citizen's case, that the case goes on."""
        turn = await asyncio.to_thread(self.assistant.start_or_resume, session, channel=CHANNEL,
                                       sender_id=str(chat_id))
        await self._show(chat_id, turn.replies)

    async def say(self, session: Session, chat_id: int, text: str, *, choice: str | None = None) -> None:
        """The citizen's words (or a tapped button's label and key)."""
        meta: dict[str, Any] = {"choice": choice} if choice is not None else {}
        turn = await asyncio.to_thread(self.assistant.handle, session, Incoming(CHANNEL, str(chat_id), text, meta))
        await self._show(chat_id, turn.replies)

    async def give_phone(self, session: Session, chat_id: int, phone: str) -> None:
        """A phone number Telegram vouches for: the chat joins the citizen the hotline knows by it."""
        replies = await asyncio.to_thread(self.assistant.link_phone, session, channel=CHANNEL,
                                          sender_id=str(chat_id), phone=phone)
        await self._show(chat_id, replies)

    async def link_code(self, session: Session, chat_id: int) -> None:
        """A one-time code to type on the web page, so both are known as this citizen."""
        reply = await asyncio.to_thread(self.assistant.link_code, session, channel=CHANNEL, sender_id=str(chat_id))
        await self._show(chat_id, [reply])

    async def use_link_code(self, session: Session, chat_id: int, code: str) -> None:
        """A code shown on the web page, typed here."""
        reply = await asyncio.to_thread(self.assistant.use_link_code, session, channel=CHANNEL,
                                        sender_id=str(chat_id), code=code)
        await self._show(chat_id, [reply])

    async def unreadable(self, session: Session, chat_id: int, kind: str) -> bool:
        """Something the bot cannot pass on, sent while a person is on the citizen's case: the officer hears of it
        and the citizen is told. False when no case is open (the caller answers with its own line)."""
        replies = await asyncio.to_thread(self.assistant.unreadable, session, channel=CHANNEL,
                                          sender_id=str(chat_id), kind=kind)
        if replies is None:
            return False
        await self._show(chat_id, replies)
        return True

    async def read_aloud(self, session: Session, chat_id: int) -> bool:
        """The last things said to the citizen, as a voice message; False if nothing has been said yet."""
        replies = await asyncio.to_thread(self.assistant.last_words, session, channel=CHANNEL,
                                          sender_id=str(chat_id))
        spoken = "\n".join(r.text for r in replies if r.speakable)
        if not spoken:
            return False
        await self.output.speak(chat_id, spoken)
        return True

    async def _show(self, chat_id: int, replies: list[Reply]) -> None:
        await self.output.show(chat_id, [reply.to_dict() for reply in replies])
