"""The Bot (pointed at TELEGRAM_API_URL when set) with Telegram's limits handled, and the FSM storage."""

from __future__ import annotations

import hashlib

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.types import LinkPreviewOptions

from assistant.settings import Settings
from bot.sending import ChatPacer, Persistence


class TelegramNotConfigured(RuntimeError):
    """TELEGRAM_BOT_TOKEN is not set."""


def make_bot(settings: Settings, *, first_pause: float = 0.5) -> Bot:
    """first_pause: the first wait after a network error, doubled at each retry."""
    if settings.telegram_bot_token is None:
        raise TelegramNotConfigured("set TELEGRAM_BOT_TOKEN to run the Telegram channel")
    api = TelegramAPIServer.from_base(settings.telegram_api_url) if settings.telegram_api_url else PRODUCTION
    session = AiohttpSession(api=api)
    # The pacer is outermost: a message being retried below keeps its place in the chat's order.
    session.middleware(ChatPacer(settings.telegram_pace_seconds))
    session.middleware(Persistence(first_pause=first_pause))
    # No parse mode: what citizens and officers type is shown as the characters it is, never as markup.
    default = DefaultBotProperties(parse_mode=None, link_preview=LinkPreviewOptions(is_disabled=True))
    return Bot(settings.telegram_bot_token.get_secret_value(), session=session, default=default)


def make_storage(settings: Settings) -> tuple[BaseStorage, BaseEventIsolation]:
    """Memory by default; Redis when REDIS_URL is set, so several workers share chats' settings and locks."""
    if not settings.redis_url:
        return MemoryStorage(), SimpleEventIsolation()
    from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

    key_builder = DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
    storage = RedisStorage.from_url(settings.redis_url, key_builder=key_builder)
    return storage, RedisEventIsolation(storage.redis, key_builder=key_builder)


def webhook_secret(settings: Settings) -> str:
    """TELEGRAM_WEBHOOK_SECRET, or (in development only: settings.unsafe_to_serve) one derived from the token, so a
    webhook is never left unchecked. An empty setting counts as unset: an empty secret would let in an empty header."""
    if settings.telegram_webhook_secret is not None and settings.telegram_webhook_secret.get_secret_value():
        return settings.telegram_webhook_secret.get_secret_value()
    if settings.telegram_bot_token is None:
        raise TelegramNotConfigured("set TELEGRAM_BOT_TOKEN to run the Telegram channel")
    token = settings.telegram_bot_token.get_secret_value()
    return hashlib.sha256(f"citizen-help webhook {token}".encode()).hexdigest()
