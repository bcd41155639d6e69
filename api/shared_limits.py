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

from api.ratelimit import ADDRESS_FACTOR, Attempt, LoginLimiter, RequestLimiter, login_keys

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


# Login: drops failures out of the window from the (name, address) and the address sets; if either must still wait
# (api/ratelimit.backoff: free tries, then a doubling wait after the latest failure), returns the seconds; else counts
# this attempt in both and returns 0. In one script, so parallel guesses cannot all pass before any is counted.
_BEGIN_LOGIN = """
local now, window, base, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[5]), tonumber(ARGV[6])
local wait = 0
for i = 1, 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local failures, free = redis.call('ZCARD', KEYS[i]), tonumber(ARGV[2 + i])
  if failures >= free then
    local latest = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
    wait = math.max(wait, tonumber(latest[2]) + math.min(cap, base * 2 ^ math.min(failures - free, 30)) - now)
  end
end
if wait > 0 then
  return tostring(wait)
end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], now, ARGV[7])
  redis.call('PEXPIRE', KEYS[i], math.ceil(window * 1000))
end
return '0'
"""


class SharedLoginLimiter:
    """LoginLimiter's rule (per name and address, and four times as many per address, then a doubling wait), across
    workers."""

    def __init__(self, url: str, max_failures: int, window_seconds: float, backoff_seconds: float = 60,
                 backoff_max_seconds: float = 900, *, prefix: str = "citizen-help:",
                 clock: Callable[[], float] = time.time):
        self.max_failures = max_failures
        self.window = window_seconds
        self.base, self.cap = backoff_seconds, backoff_max_seconds
        self.clock = clock
        self._prefix = f"{prefix}limit:login:"
        self._client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
        self._begin = self._client.register_script(_BEGIN_LOGIN)
        self._fallback = LoginLimiter(max_failures, window_seconds, backoff_seconds, backoff_max_seconds, clock=clock)

    def _keys(self, username: str, address: str) -> list[str]:
        return [self._prefix + key for key in login_keys(username, address)]

    def begin(self, username: str, address: str) -> Attempt:
        ticket = uuid.uuid4().hex
        args = [self.clock(), self.window, self.max_failures, self.max_failures * ADDRESS_FACTOR, self.base,
                self.cap, ticket]
        try:
            wait = float(self._begin(keys=self._keys(username, address), args=args))
        except redis.RedisError as exc:
            log.warning("login limit counted in this worker only, Redis error: %s", exc)
            return self._fallback.begin(username, address)
        if wait > 0:
            return Attempt(username, address, wait=math.ceil(wait))
        return Attempt(username, address, wait=0, ticket=ticket)

    def succeeded(self, attempt: Attempt) -> None:
        pair_key, address_key = self._keys(attempt.username, attempt.address)
        try:
            with self._client.pipeline() as pipe:
                pipe.delete(pair_key)
                pipe.zrem(address_key, attempt.ticket)
                pipe.execute()
        except redis.RedisError as exc:
            log.warning("login success not recorded in Redis: %s", exc)
        self._fallback.succeeded(attempt)

    def close(self) -> None:
        self._client.close()
