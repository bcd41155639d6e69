"""Telegram updates as Telegram sends them, for the webhook and for Dispatcher.feed_update."""

from __future__ import annotations

import itertools
import time
from typing import Any

from bench.telegram_standin import BOT_USER

CHAT = 70001  # a private chat's id is the citizen's user id
_ids = itertools.count(1)


def person(chat_id: int = CHAT) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "李阿姨", "language_code": "zh-hans"}


def _message(chat_id: int, **content: Any) -> dict[str, Any]:
    return {"message_id": next(_ids), "date": int(time.time()), "from": person(chat_id),
            "chat": {"id": chat_id, "type": "private", "first_name": "李阿姨"}, **content}


def message(text: str | None = None, *, chat_id: int = CHAT, **content: Any) -> dict[str, Any]:
    """A message with text, or with other content (voice=..., sticker=..., contact=...)."""
    if text is not None:
        content["text"] = text
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": next(_ids), "message": _message(chat_id, **content)}


def tap(data: str, markup: dict[str, Any] | None, *, chat_id: int = CHAT) -> dict[str, Any]:
    """An inline button tapped under one of the bot's messages (which carries that message's buttons)."""
    shown: dict[str, Any] = {"message_id": next(_ids), "date": int(time.time()), "from": BOT_USER,
                             "chat": {"id": chat_id, "type": "private"}, "text": "…"}
    if markup is not None:
        shown["reply_markup"] = markup
    return {"update_id": next(_ids), "callback_query": {"id": str(next(_ids)), "from": person(chat_id),
                                                        "chat_instance": "1", "data": data, "message": shown}}


def _captioned(caption: str | None) -> dict[str, Any]:
    return {} if caption is None else {"caption": caption}


def voice_note(file_id: str = "note-1", *, chat_id: int = CHAT, caption: str | None = None) -> dict[str, Any]:
    return message(chat_id=chat_id, voice={"file_id": file_id, "file_unique_id": "u" + file_id, "duration": 2,
                                           "mime_type": "audio/ogg"}, **_captioned(caption))


def sticker(*, chat_id: int = CHAT) -> dict[str, Any]:
    return message(chat_id=chat_id, sticker={"file_id": "s1", "file_unique_id": "us1", "type": "regular",
                                             "width": 512, "height": 512, "is_animated": False,
                                             "is_video": False, "emoji": "👍"})


def photo(*, chat_id: int = CHAT, caption: str | None = None) -> dict[str, Any]:
    return message(chat_id=chat_id, photo=[{"file_id": "p1", "file_unique_id": "up1", "width": 90, "height": 90}],
                   **_captioned(caption))


def location(*, chat_id: int = CHAT) -> dict[str, Any]:
    return message(chat_id=chat_id, location={"latitude": 31.23, "longitude": 121.47})


def document(*, chat_id: int = CHAT, caption: str | None = None) -> dict[str, Any]:
    return message(chat_id=chat_id, document={"file_id": "d1", "file_unique_id": "ud1", "file_name": "证明.pdf"},
                   **_captioned(caption))


def contact(phone: str, *, owner: int | None = CHAT, chat_id: int = CHAT) -> dict[str, Any]:
    """A shared contact; owner is the Telegram user the number belongs to (None: someone not on Telegram)."""
    card: dict[str, Any] = {"phone_number": phone, "first_name": "李阿姨"}
    if owner is not None:
        card["user_id"] = owner
    return message(chat_id=chat_id, contact=card)
