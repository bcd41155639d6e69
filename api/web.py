"""The web channel's own part of the services: the login and public request limits, the caps on open live streams
and the public figures' short cache. Made with the app; kept in its services container by type."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.limiters import LoginLimits, PublicLimits, close_limiters, make_limiters
from api.streams import StreamLimit
from assistant.settings import Settings
from assistant.single_flight import FreshValue

STATS_FRESH_SECONDS = 60  # a public page: the figures are computed at most once a minute


@dataclass
class Web:
    login_limiter: LoginLimits
    public_limiter: PublicLimits
    citizen_streams: StreamLimit
    staff_streams: StreamLimit
    # GET /api/stats: computed once a minute, one request at a time (the others wait and share it)
    stats_figures: FreshValue[dict[str, Any]] = field(
        default_factory=lambda: FreshValue[dict[str, Any]](STATS_FRESH_SECONDS))

    async def close(self) -> None:
        await close_limiters(self.login_limiter, self.public_limiter)


def make_web(settings: Settings) -> Web:
    login, public = make_limiters(settings)
    return Web(login, public,
               StreamLimit(per_key=settings.stream_max_per_address, total=settings.stream_max_open),
               StreamLimit(per_key=settings.staff_stream_max_per_officer, total=settings.staff_stream_max_open))
