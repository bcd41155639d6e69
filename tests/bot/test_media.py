"""Stickers, photos, places and files get a kind line, never silence."""

from __future__ import annotations

import pytest

from bench import telegram_updates as updates
from bot import texts
from tests.bot.conftest import messages


@pytest.mark.parametrize(("update", "line"), [
    (updates.sticker, texts.STICKER),
    (updates.photo, texts.PHOTO),
    (updates.location, texts.LOCATION),
    (updates.document, texts.DOCUMENT),
    (lambda: updates.message(dice={"emoji": "🎲", "value": 3}), texts.OTHER),
])
def test_what_the_bot_cannot_read_gets_one_kind_line(citizen, update, line):
    [reply] = messages(citizen.post(update()))
    assert reply.text == line
    assert "\n" not in reply.text
    assert texts.HUMAN in reply.buttons()
