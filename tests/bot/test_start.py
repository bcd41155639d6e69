"""/start greets in plain words and puts four big buttons under the typing field; 怎么用 explains them."""

from __future__ import annotations

from assistant import texts as engine_texts
from bot import texts


def test_start_greets_and_shows_four_big_persistent_buttons(citizen):
    [greeting] = citizen.says("/start")

    assert greeting.text == engine_texts.GREETING
    keyboard = greeting.markup()
    assert greeting.buttons() == [texts.ASK, texts.HUMAN, texts.READ_ALOUD, texts.HOW_TO]
    assert keyboard["is_persistent"] is True
    # Not shrunk to fit (Telegram's default is false): two rows share the letter keyboard's full height.
    assert keyboard.get("resize_keyboard", False) is False
    assert [len(row) for row in keyboard["keyboard"]] == [2, 2]


def test_the_share_phone_buttons_are_big_too(citizen):
    [settings] = citizen.says(texts.HOW_TO)
    [prompt] = citizen.taps(texts.SHARE_PHONE_LABEL, under=settings)

    keyboard = prompt.markup()
    assert keyboard.get("resize_keyboard", False) is False
    assert [len(row) for row in keyboard["keyboard"]] == [1, 1]


def test_how_to_explains_the_buttons_and_offers_the_settings(citizen):
    [help_text] = citizen.says(texts.HOW_TO)

    assert help_text.text == texts.HOW_TO_TEXT
    assert help_text.buttons() == [texts.VOICE_OFF_LABEL, texts.SHARE_PHONE_LABEL, texts.LINK_CODE_LABEL]
    assert messages_text(citizen.says("/help")) == [texts.HOW_TO_TEXT]


def test_ask_invites_a_question_by_typing_when_nothing_can_listen(citizen):
    [prompt] = citizen.says(texts.ASK)
    assert prompt.text == texts.ASK_PROMPT
    assert texts.HUMAN in prompt.buttons()  # the way to a person is always on screen


def messages_text(calls) -> list[str]:
    return [c.text for c in calls]
