"""The FastAPI application: `create_app(settings=..., matcher=...)` so tests inject a trained matcher."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from api import errors
from api.json_guard import JsonGuard
from api.limits import BodySizeLimit
from api.routes import api_router
from api.routes.pages import STATIC_DIR
from api.security import SecurityHeaders
from api.web import make_web
from assistant import log_privacy
from assistant.live.events import EventBus
from assistant.matching import load_matcher
from assistant.retraining import follow_retraining
from assistant.services import build_services
from assistant.settings import Settings, UnsafeSettings, get_settings, unsafe_to_serve, without_broken_channels
from assistant.upkeep import DailyPurge
from knowledge.matcher import Matcher
from voice.hotline.routes import router as hotline_router
from voice.hotline.routes import webhooks as hotline_webhooks

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, matcher: Matcher | None = None,
               bus: EventBus | None = None) -> FastAPI:
    settings, switched_off = without_broken_channels(settings or get_settings())
    if problems := unsafe_to_serve(settings):
        raise UnsafeSettings(" ".join(problems))
    log_privacy.install()
    for problem in switched_off:
        log.warning(problem)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loaded = matcher or await run_in_threadpool(load_matcher, settings)
        services = app.state.services = build_services(settings, loaded, bus=bus)  # the one thing kept on the app
        web = make_web(settings)
        services.add(web)
        follower = asyncio.create_task(follow_retraining(services.runtime))  # a model another worker retrained
        daily_purge = DailyPurge(services.runtime)  # PERSONAL_DATA_MAX_DAYS, once a day for all workers
        daily_purge.start()
        services.add(daily_purge)
        try:
            yield  # the routers' own lifespans run inside: the hotline's and Telegram's add their parts
        finally:
            await daily_purge.stop()
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower
            await web.close()
            services.close()

    # FastAPIOffline serves /docs from files in the package: no CDN, like every other page here.
    app = FastAPIOffline(title="市民办事助手 Citizen help assistant", version="0.1.0", lifespan=lifespan)
    app.add_middleware(JsonGuard)  # inside BodySizeLimit: it reads whole bodies, which that keeps small
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)
    errors.install(app)
    app.include_router(api_router)
    app.include_router(hotline_router)  # the phone's voice, which read-aloud uses too
    if settings.hotline_enabled:
        app.include_router(hotline_webhooks)
    if settings.telegram_bot_token is not None:
        from bot.webhook import telegram_router  # aiogram is loaded only when the Telegram channel runs

        app.include_router(telegram_router(settings))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
