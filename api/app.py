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
from api.limiters import close_limiters, make_limiters
from api.limits import BodySizeLimit
from api.routes import api_router
from api.routes.pages import STATIC_DIR
from api.security import SecurityHeaders
from api.streams import StreamLimit
from assistant import log_privacy
from assistant.events import EventBus
from assistant.matching import get_matcher
from assistant.retraining import follow_retraining
from assistant.runtime import build
from assistant.settings import Settings, UnsafeSettings, get_settings, unsafe_to_serve, without_broken_channels
from assistant.staff_sessions import make_staff_sessions
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
        loaded = matcher or await run_in_threadpool(get_matcher, settings)
        runtime = app.state.runtime = build(settings, loaded, bus=bus)
        app.state.login_limiter, app.state.public_limiter = make_limiters(settings)
        staff_sessions = app.state.staff_sessions = make_staff_sessions(settings, runtime.sessions)
        follower = asyncio.create_task(follow_retraining(runtime))  # a model another worker retrained
        daily_purge = DailyPurge(runtime)  # PERSONAL_DATA_MAX_DAYS, once a day for all workers
        daily_purge.start()
        try:
            yield
        finally:
            await daily_purge.stop()
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower
            await close_limiters(app.state.login_limiter, app.state.public_limiter)
            staff_sessions.store.close()
            if (retrainer := getattr(app.state, "retrainer", None)) is not None:
                retrainer.close()
            runtime.close()

    # FastAPIOffline serves /docs from files in the package: no CDN, like every other page here.
    app = FastAPIOffline(title="市民办事助手 Citizen help assistant", version="0.1.0", lifespan=lifespan)
    app.state.citizen_streams = StreamLimit(per_key=settings.stream_max_per_address, total=settings.stream_max_open)
    app.state.staff_streams = StreamLimit(per_key=settings.staff_stream_max_per_officer,
                                          total=settings.staff_stream_max_open)
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
