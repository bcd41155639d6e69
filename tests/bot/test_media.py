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


@pytest.mark.parametrize(("update", "what"), [
    (lambda caption: updates.photo(caption=caption), "照片"),
    (lambda caption: updates.document(caption=caption), "文件"),
    (lambda caption: updates.voice_note(caption=caption), "语音"),  # no recogniser configured
])
@pytest.mark.parametrize("caption", ["身份证过期了咋换", "  换身份证要带啥材料？ "])
def test_words_sent_with_what_the_bot_cannot_read_are_answered(citizen, kb, update, what, caption):
    """A photo of a form with "这个怎么办" under it: the words are a question like any other."""
    first, *answer = messages(citizen.post(update(caption)))

    assert first.text == texts.WITH_WORDS.format(what=what)
    assert answer and answer[0].text.startswith(kb.guides["id-card-renewal"].short_answer)
