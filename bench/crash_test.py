"""Nothing lost, nothing twice: citizens chat and ask for a person while the server is SIGKILLed with requests in
flight, then restarted. Every request carries an Idempotency-Key; one that got no answer is sent again, with the same
key, until it is answered, as the chat page does. Then every conversation, message and case the server acknowledged
(an HTTP 2xx reached the client) must be in the database, and each conversation, message and case exactly once.

    python -m bench.crash_test                                  # SQLite, one worker: the whole server is killed
    python -m bench.crash_test --backend postgresql             # PostgreSQL, the same
    python -m bench.crash_test --backend postgresql --workers 2 # PostgreSQL + Redis: one of two workers is killed

Run from the repository's root. The kill waits for requests to be in flight, and the run counts those the kill cut
off (their connection dropped with no answer): a run that cut none proves nothing and fails.
Exit status 0 when at least one request was cut, nothing acknowledged is missing and nothing is stored twice.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from assistant.store.db import make_engine
from assistant.store.models import Case, Conversation, Message
from bench.load import new_session
from bench.servers import REDIS, Server, assistant_server, fresh_postgres

QUESTIONS = ["身份证丢了咋补", "老年卡坐公交咋刷不了", "养老金认证在哪弄", "医保异地备案咋办", "找人工", "我等着",
             "还要多久"]  # the fifth message opens a case; later ones go to the officer's queue
RETRY_PAUSE = 0.05  # between two tries of an unanswered request, like a page trying again
DRAIN_SECONDS = 30.0  # after the load, unanswered requests are still sent again for this long


@dataclass
class Request:
    """One thing a citizen asked for, sent until answered, always with the same key."""

    url: str
    body: dict[str, Any]
    conversation: str | None = None  # None: it starts one
    key: str = field(default_factory=lambda: secrets.token_hex(16))
    answer: dict[str, Any] | None = None
    cut: bool = False  # a try was in flight when the server was killed, and its connection dropped unanswered
    replayed: bool = False  # the answer came from the key's record: the server had done it before


@dataclass
class Ledger:
    """What the clients sent, what the server acknowledged, and what the kill cut off."""

    requests: list[Request] = field(default_factory=list)
    in_flight: dict[int, Request] = field(default_factory=dict)  # try number -> request
    at_kill: set[int] = field(default_factory=set)  # the tries in flight when the kill came
    tries: int = 0
    refused: int = 0  # tries that found the server down (not cut: they never reached it)
    _numbers: Iterator[int] = field(default_factory=itertools.count)

    @property
    def cut(self) -> list[Request]:
        return [r for r in self.requests if r.cut]


async def citizen(http: aiohttp.ClientSession, base: str, ledger: Ledger, until: float) -> None:
    """One citizen after another: a conversation of a few questions, a request for a person, then waiting words."""
    while time.monotonic() < until:
        opened = await send(http, ledger, Request(f"{base}/api/conversations", {"client_id": secrets.token_hex(8)}))
        if opened is None:
            return
        conversation = opened["id"]
        for text in QUESTIONS:
            if time.monotonic() >= until:
                return
            url = f"{base}/api/conversations/{conversation}/messages"
            if await send(http, ledger, Request(url, {"text": text}, conversation)) is None:
                return


async def send(http: aiohttp.ClientSession, ledger: Ledger, request: Request) -> dict[str, Any] | None:
    """Send until answered (None: not answered before the drain ended)."""
    ledger.requests.append(request)
    give_up = time.monotonic() + DRAIN_SECONDS + 60
    while time.monotonic() < give_up:
        if await _try(http, ledger, request):
            return request.answer
        await asyncio.sleep(RETRY_PAUSE)
    return None


async def _try(http: aiohttp.ClientSession, ledger: Ledger, request: Request) -> bool:
    number = next(ledger._numbers)
    ledger.tries += 1
    ledger.in_flight[number] = request
    try:
        async with http.post(request.url, json=request.body, headers={"Idempotency-Key": request.key}) as response:
            if response.status >= 300:
                return False
            request.answer = await response.json()
            request.replayed = response.headers.get("Idempotent-Replayed") == "true"
            return True
    except aiohttp.ClientConnectorError:  # the server is down: the connection was refused
        ledger.refused += 1
        return False
    except (aiohttp.ClientError, TimeoutError):  # the connection dropped with no answer
        if number in ledger.at_kill:
            request.cut = True
        return False
    finally:
        del ledger.in_flight[number]


async def load(base: str, ledger: Ledger, clients: int, seconds: float) -> None:
    async with new_session(clients, timeout=10, keepalive=False) as http:  # reach every worker
        until = time.monotonic() + seconds
        await asyncio.gather(*(citizen(http, base, ledger, until) for _ in range(clients)))


async def kill_when_busy(server: Server, ledger: Ledger, *, after: float, busy: int, worker: bool,
                         down_for: float) -> str:
    """After `after` seconds, at the first moment `busy` requests are in flight, SIGKILL: one worker, or the whole
    server, which then stays down `down_for` seconds and is started again."""
    await asyncio.sleep(after)
    deadline = time.monotonic() + 5
    while len(ledger.in_flight) < busy and time.monotonic() < deadline:
        await asyncio.sleep(0.001)
    ledger.at_kill = set(ledger.in_flight)  # no other task runs between this line and the kill
    if worker:
        victim = server.workers()[-1]
        server.kill(victim)
        return f"killed worker {victim} (SIGKILL) with {len(ledger.at_kill)} requests in flight; uvicorn starts another"
    server.kill()
    await asyncio.sleep(down_for)
    await asyncio.to_thread(server.start)
    return (f"killed the server (SIGKILL) with {len(ledger.at_kill)} requests in flight, down {down_for:.1f} s, "
            f"restarted in {server.started_in:.1f} s")


def check(database_url: str, ledger: Ledger) -> dict[str, int]:
    """The figures: what was acknowledged, cut and sent again, what the database holds of it, and duplicates."""
    engine = make_engine(database_url)
    with engine.connect() as db:
        conversations = set(db.scalars(select(Conversation.id)))
        stored = {row.id: (row.conversation_id, row.text) for row in
                  db.execute(select(Message.id, Message.conversation_id, Message.text))}
        said = Counter(dict(db.execute(select(Message.conversation_id, func.count()).where(Message.role == "citizen")
                                       .group_by(Message.conversation_id)).all()))
        cases = dict(db.execute(select(Case.id, Case.conversation_id)).all())
    engine.dispose()
    answered = [r for r in ledger.requests if r.answer is not None]
    starts = [r for r in answered if r.conversation is None]
    acknowledged = {m["id"]: (r.conversation or r.answer["id"], m["text"]) for r in answered
                    for m in r.answer["messages"]}
    acknowledged_cases = {r.answer["case"]["case_id"]: r.conversation for r in answered if r.answer.get("case")}
    sent = Counter(r.conversation for r in ledger.requests if r.conversation is not None)
    cases_per_conversation = Counter(cases.values())
    return {
        "requests": len(ledger.requests),
        "tries": ledger.tries,
        "in flight at the kill": len(ledger.at_kill),
        "cut by the kill": len(ledger.cut),
        "cut, sent again and answered": sum(r.answer is not None for r in ledger.cut),
        "cut, already done: answered from the key's record": sum(r.replayed for r in ledger.cut),
        "tries refused while the server was down": ledger.refused,
        "never answered": len(ledger.requests) - len(answered),
        "conversations acknowledged": len(starts),
        "conversations found": sum(r.answer["id"] in conversations for r in starts),
        "conversations stored twice": len(conversations) - len({r.answer["id"] for r in starts}),
        "messages acknowledged": len(acknowledged),
        "messages found unchanged": sum(stored.get(i) == v for i, v in acknowledged.items()),
        "citizen messages stored twice": sum(max(0, n - sent[c]) for c, n in said.items()),
        "cases acknowledged": len(acknowledged_cases),
        "cases found": sum(cases.get(i) == c for i, c in acknowledged_cases.items()),
        "conversations with more than one case": sum(n > 1 for n in cases_per_conversation.values()),
    }


def failures(results: dict[str, int]) -> list[str]:
    problems = [name for name in ("never answered", "conversations stored twice", "citizen messages stored twice",
                                  "conversations with more than one case") if results[name]]
    for what in ("conversations", "messages", "cases"):
        found = "messages found unchanged" if what == "messages" else f"{what} found"
        if results[found] != results[f"{what} acknowledged"]:
            problems.append(f"{what} missing")
    if results["cut by the kill"] == 0:
        problems.append("the kill cut off no request (it proves nothing): more clients, or a later kill")
    if results["messages acknowledged"] == 0:
        problems.append("nothing was acknowledged")
    return problems


@contextmanager
def database(backend: str, folder: Path) -> Iterator[tuple[str, str]]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'data' / 'citizen-help.db'}", ""
    else:
        with fresh_postgres() as url:
            yield url, REDIS


def run(args: argparse.Namespace, folder: Path) -> tuple[str, dict[str, int]]:
    with database(args.backend, folder) as (database_url, redis_url):
        extra = {"MODEL_DIR": args.model_dir} if args.model_dir else {}
        server = assistant_server(folder, workers=args.workers, database_url=database_url,
                                  redis_url=redis_url if args.workers > 1 else "", **extra)
        server.start()
        ledger = Ledger()
        try:
            async def both() -> str:
                killing = asyncio.create_task(kill_when_busy(
                    server, ledger, after=args.seconds / 3, busy=max(1, args.clients // 2), worker=args.workers > 1,
                    down_for=args.down))
                await load(server.url, ledger, args.clients, args.seconds)
                return await killing

            what = asyncio.run(both())
        finally:
            server.stop()
        return what, check(database_url, ledger)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1, help="more than 1 (PostgreSQL, Redis): one is killed")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=9.0, help="length of the load; the kill comes after a third")
    parser.add_argument("--down", type=float, default=1.0, help="seconds the killed server stays down")
    parser.add_argument("--model-dir", help="the matcher cache to use (default: data/model)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object, last")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crash-test-") as folder:
        what, results = run(args, Path(folder))
    problems = failures(results)
    print(f"{args.backend}, {args.workers} worker(s), {args.clients} clients for {args.seconds:.0f} s: {what}")
    for name, value in results.items():
        print(f"  {name:<55}{value:>7}")
    print("NOTHING LOST, NOTHING TWICE" if not problems else f"FAILED: {'; '.join(problems)}")
    if args.json:
        print(json.dumps({**results, "backend": args.backend, "failures": problems}))
    sys.exit(0 if not problems else 1)


if __name__ == "__main__":
    main()
