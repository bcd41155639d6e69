"""Nothing lost: citizens chat and ask for a person while the server is SIGKILLed mid-load and restarted; then every
conversation, message and case the server acknowledged (an HTTP 2xx reached the client) must be in the database,
and nothing may be stored twice.

    python bench/crash_test.py                               # SQLite, one worker: the whole server is killed
    python bench/crash_test.py --backend postgresql          # PostgreSQL + Redis, 2 workers: one worker is killed

A request cut off by the kill was not acknowledged: it may or may not have been stored, but at most once.
Exit status 0 when nothing acknowledged is missing and nothing is duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.store.db import make_engine  # noqa: E402
from assistant.store.models import Case, Conversation, Message  # noqa: E402
from bench.load import new_session  # noqa: E402
from bench.servers import REDIS, Server, assistant_server, fresh_postgres  # noqa: E402

QUESTIONS = ["身份证丢了咋补", "老年卡坐公交咋刷不了", "养老金认证在哪弄", "医保异地备案咋办", "找人工", "我等着",
             "还要多久"]  # the fifth message opens a case; later ones go to the officer's queue


@dataclass
class Ledger:
    """What the clients sent, and what the server acknowledged."""

    conversations: set[str] = field(default_factory=set)
    sent: Counter[str] = field(default_factory=Counter)  # citizen messages sent per conversation, answered or not
    messages: dict[int, tuple[str, str]] = field(default_factory=dict)  # acknowledged id -> (conversation, text)
    cases: dict[int, str] = field(default_factory=dict)  # acknowledged case id -> conversation
    requests: int = 0
    failed: int = 0


async def citizen(http: aiohttp.ClientSession, base: str, ledger: Ledger, until: float) -> None:
    """One citizen after another: a conversation of a few questions, a request for a person, then waiting words."""
    while time.monotonic() < until:
        conversation = await _post(http, f"{base}/api/conversations", {}, ledger)
        if conversation is None:
            await asyncio.sleep(0.05)  # the server is down: try again soon, like a page reloading
            continue
        conversation_id = conversation["id"]
        ledger.conversations.add(conversation_id)
        ledger.messages.update({m["id"]: (conversation_id, m["text"]) for m in conversation["messages"]})
        for text in QUESTIONS:
            if time.monotonic() >= until:
                return
            ledger.sent[conversation_id] += 1
            turn = await _post(http, f"{base}/api/conversations/{conversation_id}/messages", {"text": text}, ledger)
            if turn is None:
                await asyncio.sleep(0.05)
                continue
            ledger.messages.update({m["id"]: (conversation_id, m["text"]) for m in turn["messages"]})
            if turn["case"]:
                ledger.cases[turn["case"]["case_id"]] = conversation_id


async def _post(http: aiohttp.ClientSession, url: str, body: dict, ledger: Ledger) -> dict | None:
    ledger.requests += 1
    try:
        async with http.post(url, json=body) as response:
            if response.status < 300:
                return await response.json()
    except (aiohttp.ClientError, TimeoutError):
        pass
    ledger.failed += 1
    return None


async def load(base: str, ledger: Ledger, clients: int, seconds: float) -> None:
    async with new_session(clients, timeout=10, keepalive=False) as http:  # reach every worker
        until = time.monotonic() + seconds
        await asyncio.gather(*(citizen(http, base, ledger, until) for _ in range(clients)))


async def kill_midway(server: Server, after: float, worker: bool, down_for: float) -> str:
    await asyncio.sleep(after)
    if worker:
        victim = server.workers()[-1]
        server.kill(victim)
        return f"killed worker {victim} (SIGKILL); uvicorn starts a new one"
    server.kill()
    await asyncio.sleep(down_for)
    await asyncio.to_thread(server.start)
    return f"killed the server (SIGKILL), down {down_for:.1f} s, restarted in {server.started_in:.1f} s"


def check(database_url: str, ledger: Ledger) -> dict[str, int]:
    """Every acknowledged row present and unchanged; no conversation with more messages or cases than were sent."""
    engine = make_engine(database_url)
    with engine.connect() as db:
        conversations = set(db.scalars(select(Conversation.id)))
        stored = {row.id: (row.conversation_id, row.text) for row in
                  db.execute(select(Message.id, Message.conversation_id, Message.text))}
        said = dict(db.execute(select(Message.conversation_id, func.count()).where(Message.role == "citizen")
                               .group_by(Message.conversation_id)).all())
        cases = dict(db.execute(select(Case.id, Case.conversation_id)).all())
        cases_per_conversation = Counter(cases.values())
    engine.dispose()
    return {
        "conversations acknowledged": len(ledger.conversations),
        "conversations missing": len(ledger.conversations - conversations),
        "messages acknowledged": len(ledger.messages),
        "messages missing or changed": sum(stored.get(i) != v for i, v in ledger.messages.items()),
        "conversations with more citizen messages than sent": sum(n > ledger.sent[c] for c, n in said.items()),
        "cases acknowledged": len(ledger.cases),
        "cases missing": sum(cases.get(i) != c for i, c in ledger.cases.items()),
        "conversations with more than one case": sum(n > 1 for n in cases_per_conversation.values()),
    }


@contextmanager
def database(backend: str, folder: Path) -> Iterator[tuple[str, str]]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'data' / 'citizen-help.db'}", ""
    else:
        with fresh_postgres() as url:
            yield url, REDIS


def run(args: argparse.Namespace, folder: Path) -> bool:
    with database(args.backend, folder) as (database_url, redis_url):
        workers = 1 if args.backend == "sqlite" else 2
        extra = {"MODEL_DIR": args.model_dir} if args.model_dir else {}
        server = assistant_server(folder, workers=workers, database_url=database_url, redis_url=redis_url, **extra)
        server.start()
        ledger = Ledger()
        try:
            async def both() -> str:
                killing = asyncio.create_task(kill_midway(server, args.seconds / 3, workers > 1, args.down))
                await load(server.url, ledger, args.clients, args.seconds)
                return await killing

            what = asyncio.run(both())
        finally:
            server.stop()
        results = check(database_url, ledger)
    print(f"{args.backend}, {workers} worker(s), {args.clients} clients for {args.seconds:.0f} s: {what}")
    print(f"requests {ledger.requests}, not answered (server down or cut off) {ledger.failed}")
    for name, value in results.items():
        print(f"  {name:<55}{value:>7}")
    bad = [k for k, v in results.items() if v and not k.endswith("acknowledged")]
    if ledger.failed == 0:
        print("note: the kill cut off no request; run longer or with more clients")
    print("NOTHING LOST" if not bad else f"FAILED: {', '.join(bad)}")
    return not bad and results["messages acknowledged"] > 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=9.0, help="length of the load; the kill comes at a third")
    parser.add_argument("--down", type=float, default=1.0, help="seconds the killed server stays down")
    parser.add_argument("--model-dir", help="the matcher cache to use (default: data/model)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crash-test-") as folder:
        sys.exit(0 if run(args, Path(folder)) else 1)


if __name__ == "__main__":
    main()
