"""Long polling, for a laptop or a server without a public address: `citizen-help bot`."""

from __future__ import annotations

import datetime as dt
import logging

from aiogram import Bot

from bot.channel import TelegramChannel

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]  # all the citizen's side uses


async def run_polling(channel: TelegramChannel, *, handle_signals: bool = True) -> None:
    """Poll until stopped (Ctrl+C, SIGTERM, or dispatcher.stop_polling()). A webhook, if one was set, is removed
    first: Telegram hands updates to one or the other."""
    await channel.bot.delete_webhook(drop_pending_updates=False)
    # Telegram lets one poller at a time take updates, so a claim found unfinished was a dead poller's: taken over
    # at once. (Two copies in this poller cannot both run: the chat's lock makes the second wait for the first.)
    channel.updates.lease = dt.timedelta(0)
    await channel.start()
    try:
        await channel.dispatcher.start_polling(channel.bot, handle_signals=handle_signals, close_bot_session=False)
    finally:
        await channel.close()


async def set_webhook(bot: Bot, url: str, secret: str) -> None:
    """Tell Telegram to post updates to `url` (…/telegram/webhook of `citizen-help serve`) with the secret header."""
    await bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
    log.info("webhook set to %s", url)
