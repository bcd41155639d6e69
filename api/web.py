"""The web channel's own part of the services: the login and public request limits, the caps on open live streams
and the public figures' short cache. Made with the app; kept in its services container by type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.limiters import LoginLimits, PublicLimits, close_limiters, make_limiters
from api.streams import StreamLimit
from assistant.settings import Settings


@dataclass
class Web:
    login_limiter: LoginLimits
    public_limiter: PublicLimits
    citizen_streams: StreamLimit
    staff_streams: StreamLimit
    stats_cache: tuple[float, dict[str, Any]] | None = None  # (when, figures): GET /api/stats

    async def close(self) -> None:
        await close_limiters(self.login_limiter, self.public_limiter)


def make_web(settings: Settings) -> Web:
    login, public = make_limiters(settings)
    return Web(login, public,
               StreamLimit(per_key=settings.stream_max_per_address, total=settings.stream_max_open),
               StreamLimit(per_key=settings.staff_stream_max_per_officer, total=settings.staff_stream_max_open))
