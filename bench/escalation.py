"""Escalation latency: from the citizen's 找人工 to the new case appearing on a logged-in officer's live stream
(GET /api/officer/events, the stream the staff console listens to), over real server processes.

    python -m bench.escalation                        # PostgreSQL + Redis, 2 workers, 200 escalations
    python -m bench.escalation --backend sqlite       # one worker, in-process events

Every request opens a new connection, so the kernel spreads them over the workers: the officer's stream sits on one
worker and about half the cases are opened on the other, their event carried by Redis. Escalations run one after
another and nobody takes the cases, so the queue grows to --count waiting citizens (each new case also tells every
waiting citizen their new place). Target (issue 8): p99 <= 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import numpy as np

from assistant import auth
from assistant.store import officers as officer_store
from assistant.store.db import make_engine, make_session_factory
from bench.load import new_session
from bench.servers import REDIS, assistant_server, fresh_postgres, running

USERNAME, PASSWORD = "bench-officer", "a long bench password"
CSRF = "X-CSRF-Token"


def add_officer(database_url: str) -> None:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        officer_store.create(session, username=USERNAME, name="王芳", role="officer",
                             password_hash=auth.hash_password(PASSWORD), on_duty=True)
        session.commit()
    engine.dispose()


async def log_in(http: aiohttp.ClientSession, base: str) -> None:
    """As the console does: a CSRF token from the session, the login, then the new session's token."""
    async def token() -> str:
        async with http.get(f"{base}/api/staff/session") as response:
            return (await response.json())["csrf_token"]

    async with http.post(f"{base}/api/officer/login", json={"username": USERNAME, "password": PASSWORD},
                         headers={CSRF: await token()}) as response:
        response.raise_for_status()


async def watch(http: aiohttp.ClientSession, base: str, seen: dict[int, float], connected: asyncio.Event) -> None:
    """Note when each new case's event arrives on the officer's stream."""
    async with http.get(f"{base}/api/officer/events", timeout=aiohttp.ClientTimeout(total=None)) as stream:
        stream.raise_for_status()
        name = None
        async for raw in stream.content:
            line = raw.decode().rstrip("\r\n")
            if line.startswith(":"):
                connected.set()  # the server's "connected" comment: subscribed
            elif line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: ") and name == "case_opened":
                seen[json.loads(line.removeprefix("data: "))["case"]["id"]] = time.perf_counter()


async def escalations(base: str, count: int) -> tuple[list[float], int]:
    """Latencies in ms, and how many cases never appeared on the stream."""
    seen: dict[int, float] = {}
    connected = asyncio.Event()
    # unsafe=True: aiohttp keeps no cookies for a bare IP address such as 127.0.0.1 otherwise
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as officer, \
            new_session(4, keepalive=False) as citizens:
        await log_in(officer, base)
        watching = asyncio.create_task(watch(officer, base, seen, connected))
        await asyncio.wait_for(connected.wait(), 10)
        latencies, lost = [], 0
        for _ in range(count):
            async with citizens.post(f"{base}/api/conversations", json={}) as response:
                conversation = (await response.json())["id"]
            began = time.perf_counter()
            async with citizens.post(f"{base}/api/conversations/{conversation}/messages",
                                     json={"text": "找人工"}) as response:
                case_id = (await response.json())["case"]["case_id"]
            deadline = began + 5
            while case_id not in seen and time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
            if case_id in seen:
                latencies.append((seen[case_id] - began) * 1000)
            else:
                lost += 1
        watching.cancel()
    return latencies, lost


@contextmanager
def database(backend: str, folder: Path) -> Iterator[tuple[str, str]]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'data' / 'citizen-help.db'}", ""
    else:
        with fresh_postgres() as url:
            yield url, REDIS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    workers = 1 if args.backend == "sqlite" else 2
    with tempfile.TemporaryDirectory(prefix="escalation-") as folder, \
            database(args.backend, Path(folder)) as (database_url, redis_url), \
            running(assistant_server(Path(folder), workers=workers, database_url=database_url,
                                     redis_url=redis_url)) as server:
        add_officer(database_url)
        latencies, lost = asyncio.run(escalations(server.url, args.count))
    p50, p90, p99 = np.percentile(latencies, [50, 90, 99])
    events = "Redis" if redis_url else "in-process"
    print(f"{'database':<12}{'workers':>8}{'events':>12}{'cases':>7}{'lost':>6}{'p50 ms':>9}{'p90 ms':>9}"
          f"{'p99 ms':>9}{'max ms':>9}")
    print(f"{args.backend:<12}{workers:>8}{events:>12}{len(latencies):>7}{lost:>6}{p50:>9.1f}{p90:>9.1f}{p99:>9.1f}"
          f"{max(latencies):>9.1f}")
    print(f"{'PASS' if p99 <= 200 and not lost else 'MISS'}  p99 {p99:.1f} ms <= 200 ms, none lost")


if __name__ == "__main__":
    main()
