"""`citizen-help bot`: the Telegram channel by long polling, or `--webhook-url` to register the webhook that
`citizen-help serve` answers."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer

from assistant import migrate
from assistant.matching import load_matcher
from assistant.runtime import Runtime, build
from assistant.settings import get_settings, without_broken_channels


def _fail(message: str) -> typer.Exit:
    typer.echo(f"citizen-help: {message}", err=True)
    return typer.Exit(code=2)


async def _poll(runtime: Runtime) -> None:
    from bot.channel import build_channel
    from bot.polling import run_polling

    await run_polling(build_channel(runtime))


async def _register(url: str) -> None:
    from bot.client import make_bot, webhook_secret
    from bot.polling import set_webhook

    settings = get_settings()
    async with make_bot(settings) as telegram:
        await set_webhook(telegram, url, webhook_secret(settings))


def bot(
    webhook_url: Annotated[str | None, typer.Option(
        help="Instead of polling: have Telegram post to this public address of `citizen-help serve` "
             "(https://…/telegram/webhook), then exit.")] = None,
) -> None:
    """Run the Telegram channel by long polling (no public address needed). Upgrades the database first."""
    from aiogram.exceptions import TelegramAPIError, TelegramNetworkError

    settings = get_settings()
    if settings.telegram_bot_token is None:
        raise _fail("set TELEGRAM_BOT_TOKEN (from @BotFather) to run the Telegram channel")
    if problems := without_broken_channels(settings)[1]:
        raise _fail(problems[0].split(": the Telegram channel is off")[0])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if webhook_url:
            asyncio.run(_register(webhook_url))
            typer.echo(f"Telegram will post updates to {webhook_url}")
            return
        migrate.upgrade(settings.effective_database_url)
        runtime = build(settings, load_matcher(settings))
        try:
            asyncio.run(_poll(runtime))
        finally:
            runtime.close()
    except TelegramNetworkError as exc:  # before its parent: Telegram was never reached, so it refused nothing
        server = settings.telegram_api_url or "https://api.telegram.org"
        raise _fail(f"cannot reach Telegram at {server}: {exc}. Check this machine's network, or TELEGRAM_API_URL."
                    ) from None
    except TelegramAPIError as exc:
        raise _fail(f"Telegram refused: {exc}") from None


def register(app: typer.Typer) -> None:
    app.command()(bot)
