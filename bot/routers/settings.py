"""Settings: "always answer by voice", and joining other channels: the phone number (so the hotline knows the
citizen too) or a one-time link code (to or from the web chat)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.orm import Session

from bot import texts
from bot.keyboards import Setting, settings_keyboard, share_phone_keyboard
from bot.output import Output
from bot.preferences import Preferences
from bot.talk import Talk


async def on_settings(message: Message, output: Output, preferences: Preferences) -> None:
    voice = await preferences.voice(message.chat.id)
    await output.say(message.chat.id, texts.SETTINGS, settings_keyboard(voice=voice))


async def on_voice_toggle(callback: CallbackQuery, output: Output, preferences: Preferences) -> None:
    await callback.answer()
    if callback.message is None:
        return
    chat_id = callback.message.chat.id
    voice = not await preferences.voice(chat_id)
    await preferences.set_voice(chat_id, voice)
    await output.bot.edit_message_reply_markup(chat_id=chat_id, message_id=callback.message.message_id,
                                               reply_markup=settings_keyboard(voice=voice))
    await output.say(chat_id, texts.VOICE_NOW_ON if voice else texts.VOICE_NOW_OFF)


async def on_share_phone(callback: CallbackQuery, output: Output) -> None:
    await callback.answer()
    if callback.message is not None:
        await output.say(callback.message.chat.id, texts.SHARE_PHONE_PROMPT, share_phone_keyboard())


async def on_share_cancelled(message: Message, output: Output) -> None:
    await output.say(message.chat.id, texts.SHARE_PHONE_CANCELLED)


async def on_contact(message: Message, session: Session, talk: Talk, output: Output) -> None:
    contact = message.contact
    if contact is None or message.from_user is None or contact.user_id != message.from_user.id:
        await output.say(message.chat.id, texts.NOT_YOUR_CONTACT, share_phone_keyboard())
        return
    await talk.give_phone(session, message.chat.id, contact.phone_number)


async def on_link_code(callback: CallbackQuery, session: Session, talk: Talk) -> None:
    await callback.answer()
    if callback.message is not None:
        await talk.link_code(session, callback.message.chat.id)


async def on_link(message: Message, command: CommandObject, session: Session, talk: Talk, output: Output) -> None:
    """/link 123456: a code from the web page."""
    if not command.args:
        await output.say(message.chat.id, texts.LINK_HOW)
        return
    await talk.use_link_code(session, message.chat.id, command.args)


def router() -> Router:
    router = Router(name="settings")
    router.message.register(on_settings, Command("settings"))
    router.callback_query.register(on_voice_toggle, Setting.filter(F.name == "voice"))
    router.callback_query.register(on_share_phone, Setting.filter(F.name == "phone"))
    router.callback_query.register(on_link_code, Setting.filter(F.name == "code"))
    router.message.register(on_link, Command("link"))
    router.message.register(on_share_cancelled, F.text == texts.SHARE_PHONE_CANCEL)
    router.message.register(on_contact, F.contact)
    return router
