"""Keyboards: the four big buttons, the engine's choices as inline buttons, settings, and sharing a phone number.

Inline buttons carry keys, never text: Telegram allows 64 bytes of callback_data, and aiogram's CallbackData.pack()
refuses anything longer before it is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot import texts

CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit


class Pick(CallbackData, prefix="pick"):
    """One of the engine's numbered choices, by its key ("1".."9", "0")."""

    key: str


class Human(CallbackData, prefix="human"):
    """A person, please: the same as the 找人工 button."""


class Setting(CallbackData, prefix="set"):
    name: str  # "voice", "phone" or "code"


# Telegram's reply keyboard is as tall as the phone's own letter keyboard unless resize_keyboard asks it to shrink to
# fit (Bot API, ReplyKeyboardMarkup): kept at full height, two rows of two share it, so each button is a quarter
# of the letter keyboard, finger-sized. With resize_keyboard=True they shrink to ordinary one-line buttons.
def main_keyboard() -> ReplyKeyboardMarkup:
    """Four large buttons that stay under the typing field: two rows of two, at the letter keyboard's full height."""
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=texts.ASK), KeyboardButton(text=texts.HUMAN)],
                  [KeyboardButton(text=texts.READ_ALOUD), KeyboardButton(text=texts.HOW_TO)]],
        is_persistent=True, input_field_placeholder=texts.PLACEHOLDER, resize_keyboard=False)


def share_phone_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=texts.SHARE_PHONE_BUTTON, request_contact=True)],
                  [KeyboardButton(text=texts.SHARE_PHONE_CANCEL)]],
        one_time_keyboard=True, resize_keyboard=False)


def choices_keyboard(choices: Iterable[Mapping[str, str]]) -> InlineKeyboardMarkup:
    """One full-width button per choice; the label is the button's text, the key its data."""
    rows = [[InlineKeyboardButton(text=c["label"], callback_data=Pick(key=c["key"]).pack())] for c in choices]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def human_keyboard() -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(text=texts.HUMAN, callback_data=Human().pack())
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


def settings_keyboard(*, voice: bool) -> InlineKeyboardMarkup:
    label = texts.VOICE_ON_LABEL if voice else texts.VOICE_OFF_LABEL
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=label, callback_data=Setting(name="voice").pack())],
        [InlineKeyboardButton(text=texts.SHARE_PHONE_LABEL, callback_data=Setting(name="phone").pack())],
        [InlineKeyboardButton(text=texts.LINK_CODE_LABEL, callback_data=Setting(name="code").pack())],
    ])


def label_of(markup: InlineKeyboardMarkup | None, data: str) -> str | None:
    """The text of the button that carried this callback_data: what the citizen saw and tapped."""
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            if button.callback_data == data:
                return button.text
    return None
