"""The login and public request limiters an app enforces: in this process, or shared through Redis when REDIS_URL
is set (several workers must share one count)."""

from __future__ import annotations

from typing import Protocol

from api.ratelimit import Attempt, LoginLimiter, RequestLimiter
from assistant.settings import Settings


class LoginLimits(Protocol):
    def begin(self, username: str, address: str) -> Attempt:
        """Refused (attempt.wait > 0), or let through and counted as a failure until succeeded()."""

    def succeeded(self, attempt: Attempt) -> None: ...

    def close(self) -> None: ...


class PublicLimits(Protocol):
    async def take(self, key: str) -> int: ...

    async def close(self) -> None: ...


def make_limiters(settings: Settings) -> tuple[LoginLimits, PublicLimits]:
    login = (settings.login_max_failures, settings.login_window_seconds, settings.login_backoff_seconds,
             settings.login_backoff_max_seconds)
    public = (settings.public_max_requests, settings.public_window_seconds)
    if not settings.redis_url:
        return LoginLimiter(*login), RequestLimiter(*public)
    from api.shared_limits import SharedLoginLimiter, SharedRequestLimiter  # redis is needed only here

    return SharedLoginLimiter(settings.redis_url, *login), SharedRequestLimiter(settings.redis_url, *public)


async def close_limiters(login: LoginLimits, public: PublicLimits) -> None:
    login.close()
    await public.close()
