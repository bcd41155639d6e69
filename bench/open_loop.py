"""Chat messages and `/api/ask` at a steady arrival rate, as citizens really send them: each request leaves at its
scheduled time (Poisson arrivals) whether or not earlier ones were answered, and its latency counts from that time,
so a server falling behind shows in the figures (no coordinated omission).

    python -m bench.open_loop                                    # SQLite with 1 worker, then PostgreSQL with 2
    python -m bench.open_loop --backends sqlite --rates 25,50 --seconds 5

bench/api_load.py's closed loop (N clients with no pause between requests) measures the most a server can do;
this measures what a citizen waits at a given load. The bare endpoint (FastAPI returning a constant) runs at the same
rates in the same run: what it shows is the machine's own floor (an idle server here takes a millisecond or two to
wake). A city hotline's chat at its busiest (say 200 citizens at once,
a message from each every 10 to 20 s) is 10 to 20 messages a second.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

import aiohttp
import numpy as np

from bench.api_load import Chat, database, post_text, questions, workers_for
from bench.load import Send, new_session
from bench.servers import assistant_server, bare_server, running

CITIZENS = 200  # conversations the messages are spread over
IN_FLIGHT = 1000  # connections at most; beyond this the server is hopelessly behind anyway


async def at_rate(send: Send, rate: float, seconds: float, seed: int = 1) -> tuple[int, int, float, float, float]:
    """(answered, errors, achieved rate, p50 ms, p99 ms) of requests sent at `rate` a second for `seconds`."""
    rng = random.Random(seed)
    latencies: list[float] = []
    errors = [0]

    async def one(http: aiohttp.ClientSession, number: int, due: float) -> None:
        try:
            ok = await send(http, number % CITIZENS) < 400
        except (aiohttp.ClientError, TimeoutError):
            ok = False
        if ok:
            latencies.append(time.perf_counter() - due)
        else:
            errors[0] += 1

    async with new_session(IN_FLIGHT) as http:
        tasks = []
        start = due = time.perf_counter()
        number = 0
        while due < start + seconds:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(one(http, number, due)))
            number += 1
            due += rng.expovariate(rate)
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    p50, p99 = np.percentile(latencies, [50, 99]) * 1000 if latencies else (0.0, 0.0)
    return len(latencies), errors[0], len(latencies) / elapsed, float(p50), float(p99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rates", default="10,25,50,100", type=lambda s: [float(r) for r in s.split(",")])
    parser.add_argument("--seconds", type=float, default=10.0, help="per rate")
    args = parser.parse_args()
    texts = questions()
    rows = []
    with tempfile.TemporaryDirectory(prefix="open-loop-") as folder:
        for backend in args.backends.split(","):
            workers = workers_for(backend)
            with running(bare_server(Path(folder) / f"bare-{backend}", workers=workers)) as bare:
                send = post_text(f"{bare.url}/bare", texts)
                asyncio.run(at_rate(send, 20, 2))
                rows += [("bare", "-", workers, rate, *asyncio.run(at_rate(send, rate, args.seconds)))
                         for rate in args.rates]
            with database(backend) as (database_url, redis_url), \
                    running(assistant_server(Path(folder) / backend, workers=workers, database_url=database_url,
                                             redis_url=redis_url)) as server:
                chat = Chat(server.url, texts)
                asyncio.run(chat.prepare(CITIZENS * 2))
                ask = post_text(f"{server.url}/api/ask", texts)
                asyncio.run(at_rate(chat.send, 20, 2))  # warm-up: connections, caches
                for endpoint, send in (("chat message", chat.send), ("/api/ask", ask)):
                    rows += [(endpoint, backend, workers, rate, *asyncio.run(at_rate(send, rate, args.seconds)))
                             for rate in args.rates]
    print(f"{'endpoint':<14}{'database':<12}{'workers':>8}{'asked/s':>9}{'answered':>10}{'errors':>8}"
          f"{'got/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for endpoint, backend, workers, rate, answered, errors, got, p50, p99 in rows:
        print(f"{endpoint:<14}{backend:<12}{workers:>8}{rate:>9.0f}{answered:>10}{errors:>8}{got:>8.1f}"
              f"{p50:>9.1f}{p99:>9.1f}")


if __name__ == "__main__":
    main()
