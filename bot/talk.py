"""The one way handlers reach the engine: what the citizen did becomes one engine call, and its replies are rendered
into their chat. The engine is synchronous (database, matcher), so it runs in a worker thread."""

from __future__ import annotations

import asyncio

from sqlalchemy.orm import Session

from assistant.engine import Assistant, Turn
from assistant.identity import Proof
from assistant.messages import (
    Incoming,
    LinkCodeTyped,
    LinkCodeWanted,
    ReadBack,
    Said,
    SharedContact,
    Start,
    Tap,
    Text,
    Unreadable,
)
from bot.output import Output

CHANNEL = "telegram"


class Talk:
    def __init__(self, assistant: Assistant, output: Output) -> None:
        self.assistant = assistant
        self.output = output

    async def start(self, session: Session, chat_id: int) -> None:
        """/start: a greeting, or, while a person is on the citizen's case, that the case goes on."""
        await self._show(chat_id, await self._turn(session, chat_id, Start(resume=True)))

    async def say(self, session: Session, chat_id: int, text: str, *, choice: str | None = None) -> None:
        """The citizen's words (or a tapped button's label and key)."""
        said = Tap(choice, text) if choice is not None else Text(text)
        await self._show(chat_id, await self._turn(session, chat_id, said))

    async def give_phone(self, session: Session, chat_id: int, phone: str) -> None:
        """A phone number Telegram vouches for: the chat joins the citizen the hotline knows by it."""
        await self._show(chat_id, await self._turn(session, chat_id, SharedContact(phone, Proof.TELEGRAM_CONTACT)))

    async def link_code(self, session: Session, chat_id: int) -> None:
        """A one-time code to type on the web page, so both are known as this citizen."""
        await self._show(chat_id, await self._turn(session, chat_id, LinkCodeWanted()))

    async def use_link_code(self, session: Session, chat_id: int, code: str) -> None:
        """A code shown on the web page, typed here."""
        await self._show(chat_id, await self._turn(session, chat_id, LinkCodeTyped(code)))

    async def unreadable(self, session: Session, chat_id: int, kind: str, *, with_words: bool = False) -> bool:
        """Something the bot cannot pass on, sent while a person is on the citizen's case: the officer hears of it
        and the citizen is told (with_words: that the words sent with it, passed on next, do reach the officer).
        False when the engine had nothing to say (the caller answers with its own line)."""
        turn = await self._turn(session, chat_id, Unreadable(kind, with_words))
        if not turn.replies:
            return False
        await self._show(chat_id, turn)
        return True

    async def read_aloud(self, session: Session, chat_id: int) -> bool:
        """The last things said to the citizen, as a voice message; False if nothing has been said yet."""
        turn = await self._turn(session, chat_id, ReadBack())
        spoken = "\n".join(r.text for r in turn.replies if r.speakable)
        if not spoken:
            return False
        await self.output.speak(chat_id, spoken)
        return True

    async def _turn(self, session: Session, chat_id: int, said: Said) -> Turn:
        """The engine's turn. The place in the queue its replies tell is the one this chat was told: a live queue
        event of the same turn (delivered before or after it) does not tell it again, in other words."""
        preferences = self.output.preferences
        await preferences.forget_queue_place(chat_id)
        turn = await asyncio.to_thread(self.assistant.handle, session, Incoming(CHANNEL, str(chat_id), said))
        case = turn.case
        if case is not None and case.status == "waiting" and case.position is not None:
            await preferences.set_queue_place(chat_id, case.case_id, case.position)
        return turn

    async def _show(self, chat_id: int, turn: Turn) -> None:
        await self.output.show(chat_id, [reply.to_dict() for reply in turn.replies])
