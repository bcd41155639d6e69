"""What the bot remembers per chat, in the FSM storage (memory, or Redis shared by workers): the citizen's
"always answer by voice" setting, and the last queue place they were told."""

from __future__ import annotations

from aiogram.fsm.storage.base import BaseStorage, StorageKey


class Preferences:
    def __init__(self, storage: BaseStorage, bot_id: int) -> None:
        self.storage = storage
        self.bot_id = bot_id

    def _key(self, chat_id: int) -> StorageKey:
        # Private chats only: the chat is the user, as aiogram's default USER_IN_CHAT strategy keys it.
        return StorageKey(bot_id=self.bot_id, chat_id=chat_id, user_id=chat_id)

    async def voice(self, chat_id: int) -> bool:
        return bool((await self.storage.get_data(self._key(chat_id))).get("voice"))

    async def set_voice(self, chat_id: int, on: bool) -> None:
        await self.storage.update_data(self._key(chat_id), {"voice": on})

    async def queue_place(self, chat_id: int, case_id: int) -> int | None:
        """The place in the queue this chat was last told for this case."""
        told = (await self.storage.get_data(self._key(chat_id))).get("queue")
        return told[1] if told and told[0] == case_id else None

    async def set_queue_place(self, chat_id: int, case_id: int, position: int) -> None:
        await self.storage.update_data(self._key(chat_id), {"queue": [case_id, position]})

    async def forget_queue_place(self, chat_id: int) -> None:
        """While the citizen's own turn is handled: its reply tells the place, so a live change is not told too."""
        await self.storage.update_data(self._key(chat_id), {"queue": None})
