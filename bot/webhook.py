"""The Telegram webhook inside `citizen-help serve`: POST /telegram/webhook, checked with Telegram's secret-token
header. api/app.py includes this router only when TELEGRAM_BOT_TOKEN is set; its lifespan starts the channel on
the app's runtime (so officers' replies reach chats) and stops it with the app. With TELEGRAM_WEBHOOK_ENABLED=false
(`citizen-help bot` polls) the router has no webhook route, only that lifespan."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from aiogram.types import Update
from fastapi import APIRouter, FastAPI, Header, HTTPException, Request, Response, status
from pydantic import ValidationError

from assistant.services import Services
from assistant.settings import Settings
from bot.channel import TelegramChannel, build_channel
from bot.client import webhook_secret
from bot.replays import IN_PROGRESS

log = logging.getLogger(__name__)

PATH = "/telegram/webhook"


def telegram_router(settings: Settings) -> APIRouter:
    secret = webhook_secret(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.of(app)
        channel = build_channel(services.runtime)
        await channel.start()
        services.add(channel)
        try:
            yield
        finally:
            await channel.close()

    router = APIRouter(tags=["telegram"], lifespan=lifespan)
    if not settings.telegram_webhook_enabled:  # `citizen-help bot` polls: only officers' replies are sent from here
        return router

    @router.post(PATH, status_code=status.HTTP_200_OK, response_class=Response)
    async def webhook(request: Request, token: Annotated[str | None, Header(
            alias="X-Telegram-Bot-Api-Secret-Token", description="The secret_token given to setWebhook")] = None
                      ) -> Response:
        """One update from Telegram, answered once it has been handled."""
        if token is None or not secrets.compare_digest(token.encode(), secret.encode()):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "wrong or missing secret token")
        channel = Services.of(request.app).part(TelegramChannel)
        try:
            update = Update.model_validate(await request.json(), context={"bot": channel.bot})
        except (ValueError, ValidationError):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "not a Telegram update") from None
        if await channel.feed(update) is IN_PROGRESS:  # Telegram sends it again later; by then it is done
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "this update is being handled",
                                headers={"Retry-After": "5"})
        return Response(status_code=status.HTTP_200_OK)  # also for an update handled before: done once

    return router
