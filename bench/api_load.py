"""API load: `POST /api/ask` and the chat message endpoint against a bare FastAPI endpoint returning a constant,
each served by its own uvicorn process on this machine, in the same run, at 1, 16 and 64 concurrent clients.

    python -m bench.api_load                          # SQLite with 1 worker, then PostgreSQL + Redis with 2 workers
    python -m bench.api_load --backends sqlite --seconds 3

Closed loop: each client sends its next request as soon as the last is answered; a level ends after --requests
answers or --seconds, whichever comes first. The ratio is the endpoint's throughput over the bare endpoint's at the
same number of clients and workers. Targets (issue 8): ratio >= 0.5 at 16 clients, p99 <= 50 ms at 64 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

from bench.load import Result, measure, new_session, post_json
from bench.servers import REDIS, assistant_server, bare_server, fresh_postgres, running
from knowledge.loader import load_knowledge

MESSAGES_PER_CONVERSATION = 10  # then the client starts a new conversation, as a new citizen would


def questions() -> list[str]:
    """The guides' own example questions about services (no requests for a person, no emergencies)."""
    kb = load_knowledge()
    texts, labels = kb.training_pairs()
    return [text for text, label in zip(texts, labels, strict=True) if label in kb.guides]


class Chat:
    """Chat messages: every client talks in a conversation of its own, started before the clock runs."""

    def __init__(self, base: str, texts: list[str]):
        self.base, self.texts = base, itertools.cycle(texts)
        self.conversations: list[str] = []
        self.sent: dict[int, int] = {}
        self.current: dict[int, str] = {}
        self.spare: Iterator[str] = iter(())

    async def prepare(self, count: int) -> None:
        async with new_session(50) as http:
            async def start() -> str:
                async with http.post(f"{self.base}/api/conversations", json={}) as response:
                    response.raise_for_status()
                    return (await response.json())["id"]

            for _ in range(0, count, 50):
                self.conversations += await asyncio.gather(*(start() for _ in range(50)))
        self.spare = itertools.cycle(self.conversations)  # if they run out, conversations grow longer

    async def send(self, http: aiohttp.ClientSession, client: int) -> int:
        sent = self.sent.get(client, 0)
        if sent % MESSAGES_PER_CONVERSATION == 0:
            self.current[client] = next(self.spare)
        self.sent[client] = sent + 1
        url = f"{self.base}/api/conversations/{self.current[client]}/messages"
        return await post_json(http, url, {"text": next(self.texts)})


def post_text(url: str, texts: list[str]):
    cycle = itertools.cycle(texts)

    async def send(http: aiohttp.ClientSession, client: int) -> int:
        return await post_json(http, url, {"text": next(cycle)})

    return send


def workers_for(backend: str) -> int:
    """SQLite takes one writer at a time: one worker; PostgreSQL is measured with two."""
    return 1 if backend == "sqlite" else 2


def run_levels(send, levels: list[int], args: argparse.Namespace) -> list[Result]:
    return [asyncio.run(measure(send, clients=c, max_requests=args.requests, max_seconds=args.seconds))
            for c in levels]


@contextmanager
def database(backend: str) -> Iterator[tuple[str, str]]:
    """(DATABASE_URL, REDIS_URL) for the assistant's server: SQLite needs neither; PostgreSQL gets a fresh one."""
    if backend == "sqlite":
        yield "", ""
    else:
        with fresh_postgres() as url:
            yield url, REDIS


def scenario(backend: str, workers: int, texts: list[str], args: argparse.Namespace, folder: Path) -> list[tuple]:
    rows = []
    with running(bare_server(folder / f"bare-{workers}", workers=workers)) as bare:
        baseline = run_levels(post_text(f"{bare.url}/bare", texts), args.clients, args)
    rows += [("bare", "-", workers, r, None) for r in baseline]
    with database(backend) as (database_url, redis_url), \
            running(assistant_server(folder / backend, workers=workers, database_url=database_url,
                                     redis_url=redis_url)) as server:
        ask = run_levels(post_text(f"{server.url}/api/ask", texts), args.clients, args)
        chat = Chat(server.url, texts)
        asyncio.run(chat.prepare(len(args.clients) * (args.requests // MESSAGES_PER_CONVERSATION + 64)))
        said = run_levels(chat.send, args.clients, args)
    rows += [("/api/ask", backend, workers, r, r.throughput / b.throughput) for r, b in zip(ask, baseline, strict=True)]
    rows += [("chat message", backend, workers, r, r.throughput / b.throughput)
             for r, b in zip(said, baseline, strict=True)]
    return rows


def verdicts(rows: list[tuple]) -> list[str]:
    lines = []
    for endpoint, backend, workers, result, ratio in rows:
        if ratio is None:
            continue
        where = f"{endpoint} on {backend}, {workers} worker(s), {result.clients} clients"
        clean = result.requests > 0 and result.errors == 0
        if result.clients == 16:
            passed = clean and ratio >= 0.5
            lines.append(f"{'PASS' if passed else 'MISS'}  throughput ratio {ratio:.2f} >= 0.5: {where}")
        if result.clients == 64:
            passed = clean and result.p99_ms <= 50
            lines.append(f"{'PASS' if passed else 'MISS'}  p99 {result.p99_ms:.1f} ms <= 50 ms: {where}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--clients", default="1,16,64", type=lambda s: [int(c) for c in s.split(",")])
    parser.add_argument("--requests", type=int, default=3000, help="answers per level at most")
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds per level at most")
    args = parser.parse_args()
    texts = questions()
    rows = []
    with tempfile.TemporaryDirectory(prefix="api-load-") as folder:
        for backend in args.backends.split(","):
            workers = workers_for(backend)
            rows += scenario(backend, workers, texts, args, Path(folder))
    print(f"{'endpoint':<14}{'database':<12}{'workers':>8}{'clients':>9}{'requests':>10}{'errors':>8}"
          f"{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>7}")
    for endpoint, backend, workers, r, ratio in rows:
        shown = f"{ratio:.2f}" if ratio is not None else "-"
        print(f"{endpoint:<14}{backend:<12}{workers:>8}{r.clients:>9}{r.requests:>10}{r.errors:>8}"
              f"{r.throughput:>9.0f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{shown:>7}")
    print()
    print("\n".join(verdicts(rows)))


if __name__ == "__main__":
    main()
