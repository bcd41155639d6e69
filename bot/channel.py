"""The Telegram channel wired once: bot, dispatcher with its routers and middlewares, output and delivery.
Both ways of running it (the webhook inside `citizen-help serve`, long polling in `citizen-help bot`) build this."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher
from aiogram.types import ErrorEvent, Update

from assistant import texts as engine_texts
from assistant.runtime import Runtime
from bot.client import make_bot, make_storage
from bot.delivery import Claims, Delivery
from bot.keyboards import main_keyboard
from bot.middlewares import DbSession
from bot.outbox_watch import watch_outbox
from bot.output import Output
from bot.preferences import Preferences
from bot.redelivery import redeliver
from bot.replays import OncePerUpdate
from bot.routers import citizen_router
from bot.talk import Talk
from voice.recognition import Recognizer, get_recognizer
from voice.speech.shared import shared_speaker
from voice.speech.speaker import Speaker

log = logging.getLogger(__name__)


@dataclass
class TelegramChannel:
    bot: Bot
    dispatcher: Dispatcher
    output: Output
    delivery: Delivery
    updates: OncePerUpdate
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self, timeout: float = 5.0) -> None:
        """Start delivering pushed events, and what is still pending from before; returns once subscribed, or after
        `timeout` (delivery keeps trying)."""
        self._tasks.add(asyncio.create_task(self.delivery.run(), name="telegram-delivery"))
        self._tasks.add(asyncio.create_task(redeliver(self.delivery), name="telegram-redelivery"))
        self._tasks.add(asyncio.create_task(watch_outbox(self.delivery), name="telegram-outbox"))
        try:
            await asyncio.wait_for(self.delivery.listening.wait(), timeout)
        except TimeoutError:
            log.warning("not yet subscribed to live events: officers' replies reach Telegram once it is")

    async def feed(self, update: Update) -> object:
        """Handle one update, once (bot/replays.py: IN_PROGRESS when another worker has it); errors are logged and
        answered kindly by the error handler, never raised."""
        return await self.dispatcher.feed_update(self.bot, update)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.delivery.drain()
        await self.dispatcher.fsm.close()  # the storage and the chat locks
        await self.bot.session.close()


def build_channel(runtime: Runtime, *, speaker: Speaker | None = None, recognizer: Recognizer | None = None,
                  first_pause: float = 0.5) -> TelegramChannel:
    """speaker: by default the process's shared one (the web's and the hotline's); recognizer: by default from the
    settings; first_pause: see bot.client.make_bot."""
    settings = runtime.settings
    bot = make_bot(settings, first_pause=first_pause)
    storage, isolation = make_storage(settings)
    preferences = Preferences(storage, bot.id)
    output = Output(bot, speaker or shared_speaker(settings), preferences, slow=settings.slow_speech)
    dispatcher = Dispatcher(storage=storage, events_isolation=isolation)
    updates = OncePerUpdate(runtime.sessions, bot.id)
    dispatcher.update.outer_middleware(updates)
    dispatcher.update.outer_middleware(DbSession(runtime.sessions))
    dispatcher.include_router(citizen_router())
    dispatcher.errors.register(_on_error)
    dispatcher.workflow_data.update(
        talk=Talk(runtime.assistant, output), output=output, preferences=preferences,
        recognizer=recognizer if recognizer is not None else get_recognizer(settings))
    claims = Claims(getattr(storage, "redis", None))  # RedisStorage's client, when REDIS_URL is set
    return TelegramChannel(bot, dispatcher, output, Delivery(runtime, output, preferences, claims), updates)


async def _on_error(event: ErrorEvent, output: Output) -> None:
    """What the citizen sent is already stored by the engine; they hear that something went wrong, not silence."""
    log.error("Telegram update %s failed", event.update.update_id, exc_info=event.exception)
    chat = _chat_of(event.update)
    if chat is None:
        return
    try:
        await output.bot.send_message(chat, engine_texts.BUSY, reply_markup=main_keyboard())
    except Exception as exc:  # the failure may have been Telegram itself
        log.error("could not tell chat %s about the failure: %s", chat, exc)


def _chat_of(update: Update) -> int | None:
    if update.message is not None:
        return update.message.chat.id
    if update.callback_query is not None and update.callback_query.message is not None:
        return update.callback_query.message.chat.id
    return None
