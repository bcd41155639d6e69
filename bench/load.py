"""A closed-loop load generator: N clients, each sending its next request as soon as the last one is answered,
until a request count or a time limit is reached. Loopback only.

aiohttp, not httpx: on this machine httpx's shared connection pool tops out near 300 requests a second at 16
clients (and gets slower with more), so it would measure itself; aiohttp's does over 3,000.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
import numpy as np

# One request: given the shared HTTP session and the client's number, send it and return the HTTP status.
Send = Callable[[aiohttp.ClientSession, int], Awaitable[int]]


@dataclass(frozen=True)
class Result:
    clients: int
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def new_session(clients: int, timeout: float = 30.0, keepalive: bool = True) -> aiohttp.ClientSession:
    """keepalive=False: a new connection per request, so requests spread over every worker."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients, force_close=not keepalive),
                                 timeout=aiohttp.ClientTimeout(total=timeout))


async def post_json(http: aiohttp.ClientSession, url: str, body: dict) -> int:
    async with http.post(url, json=body) as response:
        await response.read()
        return response.status


async def measure(send: Send, *, clients: int, max_requests: int, max_seconds: float,
                  warmup_seconds: float = 1.0) -> Result:
    """Warm up (connections open, caches filled), then count answered requests and their latencies."""
    async with new_session(clients) as http:
        await _loop(http, send, clients, max_requests, warmup_seconds, [], [0])
        latencies: list[float] = []
        errors = [0]
        began = time.perf_counter()
        await _loop(http, send, clients, max_requests, max_seconds, latencies, errors)
        elapsed = time.perf_counter() - began
    p50, p99 = np.percentile(latencies, [50, 99]) * 1000 if latencies else (0.0, 0.0)
    return Result(clients, len(latencies), errors[0], elapsed, float(p50), float(p99))


async def _loop(http: aiohttp.ClientSession, send: Send, clients: int, max_requests: int, max_seconds: float,
                latencies: list[float], errors: list[int]) -> None:
    deadline = time.perf_counter() + max_seconds
    budget = [max_requests]

    async def one_client(number: int) -> None:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            began = time.perf_counter()
            try:
                ok = await send(http, number) < 400
            except (aiohttp.ClientError, TimeoutError):
                ok = False
            if ok:
                latencies.append(time.perf_counter() - began)
            else:
                errors[0] += 1

    await asyncio.gather(*(one_client(n) for n in range(clients)))
