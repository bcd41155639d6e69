"""The login and public request limits of api/ratelimit.py, counted in Redis so that every worker shares them:
with N workers an address gets the same number of tries, not N times as many.

Each key is a sorted set of attempt times in a sliding window. Redis being unreachable must not lock officers out or
stop citizens, so each limiter then counts in this process (api/ratelimit.py) and logs a warning.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Callable

import redis
import redis.asyncio as aioredis

from api.ratelimit import LoginLimiter, RequestLimiter, login_keys

log = logging.getLogger("citizen_help.limits")

TIMEOUT = 0.5  # seconds: a limit check must not hold a request for long when Redis is away

# Drops attempts out of the window; if the key is at its limit, returns the seconds until the oldest leaves it,
# else records this attempt and returns 0. In one script, so two workers cannot both take the last place.
_TAKE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1]))
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 1000))
return '0'
"""


class SharedRequestLimiter:
    """RequestLimiter's rule (at most max_requests per address within the window), across workers."""

    def __init__(self, url: str, max_requests: int, window_seconds: float, *, prefix: str = "citizen-help:",
                 clock: Callable[[], float] = time.time):
        self.max_requests = max_requests
        self.window = window_seconds
        self.clock = clock  # wall time: the workers' monotonic clocks do not agree
        self._prefix = f"{prefix}limit:public:"
        self._client = aioredis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
        self._take = self._client.register_script(_TAKE)
        self._fallback = RequestLimiter(max_requests, window_seconds, clock=clock)

    async def take(self, key: str) -> int:
        """Counts one request: 0 when it may go ahead, else how many seconds until the next one may."""
        if self.max_requests <= 0:
            return 0
        try:
            wait = await self._take(keys=[self._prefix + key],
                                    args=[self.clock(), self.window, self.max_requests, uuid.uuid4().hex])
        except redis.RedisError as exc:
            log.warning("public limit counted in this worker only, Redis error: %s", exc)
            return await self._fallback.take(key)
        return max(1, math.ceil(float(wait))) if float(wait) > 0 else 0

    async def close(self) -> None:
        await self._client.aclose()


class SharedLoginLimiter:
    """LoginLimiter's rule (failures per user name, and four times as many per address), across workers."""

    def __init__(self, url: str, max_failures: int, window_seconds: float, *, prefix: str = "citizen-help:",
                 clock: Callable[[], float] = time.time):
        self.max_failures = max_failures
        self.window = window_seconds
        self.clock = clock
        self._prefix = f"{prefix}limit:login:"
        self._client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
        self._fallback = LoginLimiter(max_failures, window_seconds, clock=clock)

    def _keys(self, username: str, address: str) -> list[str]:
        return [self._prefix + key for key in login_keys(username, address)]

    def wait_seconds(self, username: str, address: str) -> int:
        """0 when a login may be tried now, else how long until it may."""
        now = self.clock()
        try:
            with self._client.pipeline() as pipe:
                for key in self._keys(username, address):
                    pipe.zremrangebyscore(key, "-inf", now - self.window)
                    pipe.zrange(key, 0, -1, withscores=True)
                recent = pipe.execute()[1::2]
        except redis.RedisError as exc:
            log.warning("login limit counted in this worker only, Redis error: %s", exc)
            return self._fallback.wait_seconds(username, address)
        limits = (self.max_failures, self.max_failures * 4)
        blocked = [times[-limit][1] + self.window - now
                   for times, limit in zip(recent, limits, strict=True) if len(times) >= limit]
        return math.ceil(max(blocked)) if blocked else 0

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        try:
            with self._client.pipeline() as pipe:
                for key in self._keys(username, address):
                    pipe.zadd(key, {uuid.uuid4().hex: now})
                    pipe.expire(key, math.ceil(self.window))
                pipe.execute()
        except redis.RedisError as exc:
            log.warning("login failure counted in this worker only, Redis error: %s", exc)
            self._fallback.failed(username, address)

    def succeeded(self, username: str, address: str) -> None:
        try:
            self._client.delete(self._keys(username, address)[0])
        except redis.RedisError as exc:
            log.warning("login success not recorded in Redis: %s", exc)
        self._fallback.succeeded(username, address)

    def close(self) -> None:
        self._client.close()
