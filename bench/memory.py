"""Memory: the resident size of a real server process after 10,000 citizens' questions, sampled along the way.

    python -m bench.memory                     # SQLite, one worker; web chat, a new conversation every 10 questions
    python -m bench.memory --questions 2000

Resident memory is VmRSS from /proc of the server process (and its workers, summed). Target (issue 8): at most
300 MB, and flat: no growth between 5,000 and 10,000 questions (here: less than 10 MB, allocator noise). Then some
answers are read aloud (the chat page's 读给我听), which loads the offline voice into the worker, as phone calls do:
the 300 MB holds for that worker too.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench.api_load import MESSAGES_PER_CONVERSATION, Chat, questions
from bench.load import new_session
from bench.servers import Server, assistant_server, resident_mb, running

FLAT_MB = 10.0


async def ask(chat: Chat, count: int, clients: int) -> int:
    """Send `count` questions from `clients` citizens at once; returns how many failed."""
    failed = 0
    budget = [count]

    async def citizen(number: int) -> None:
        nonlocal failed
        while budget[0] > 0:
            budget[0] -= 1
            if await chat.send(http, number) >= 400:
                failed += 1

    async with new_session(clients) as http:
        await asyncio.gather(*(citizen(n) for n in range(clients)))
    return failed


async def read_aloud(base: str, texts: list[str]) -> int:
    """读给我听 on the answers to these questions: the worker renders each in the offline voice (pypinyin and
    espeak-ng), as a worker taking phone calls does. Returns how many failed."""
    failed = 0
    async with new_session(1) as http:
        async with http.post(f"{base}/api/conversations", json={}) as response:
            conversation = (await response.json())["id"]
        for text in texts:
            async with http.post(f"{base}/api/conversations/{conversation}/messages", json={"text": text}) as said:
                replies = [m["id"] for m in (await said.json())["messages"] if m["role"] != "citizen"]
            for message_id in replies:
                async with http.get(f"{base}/api/conversations/{conversation}/messages/{message_id}/audio") as audio:
                    await audio.read()
                    failed += audio.status != 200
    return failed


def sample(server: Server) -> float:
    return resident_mb(server.pids())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=4, help="memory samples along the way (5k and 10k among them)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--read-aloud", type=int, default=20, help="then the answers to this many read aloud")
    args = parser.parse_args()
    step = args.questions // args.samples
    rows = []
    with tempfile.TemporaryDirectory(prefix="memory-") as folder, running(assistant_server(Path(folder))) as server:
        chat_texts = questions()
        chat = Chat(server.url, chat_texts)
        asyncio.run(chat.prepare(args.questions // MESSAGES_PER_CONVERSATION + args.clients + 50))
        rows.append((0, sample(server), 0))
        for done in range(step, args.questions + 1, step):
            failed = asyncio.run(ask(chat, step, args.clients))
            rows.append((done, sample(server), failed))
        spoken = asyncio.run(read_aloud(server.url, chat_texts[:args.read_aloud]))
        aloud = (f"+{args.read_aloud} read aloud", sample(server), spoken)
    print(f"{'questions':>18}{'resident MB':>13}{'failed':>8}")
    for done, mb, failed in [*rows, aloud]:
        print(f"{done:>18}{mb:>13.1f}{failed:>8}")
    half = min(rows, key=lambda r: abs(r[0] - args.questions / 2))
    growth = rows[-1][1] - half[1]
    peak = max(mb for _, mb, _ in [*rows, aloud])
    print(f"{'PASS' if peak <= 300 else 'MISS'}  at most 300 MB: peak {peak:.1f} MB")
    print(f"{'PASS' if growth < FLAT_MB else 'MISS'}  flat from {half[0]} to {rows[-1][0]} questions: "
          f"{growth:+.1f} MB")


if __name__ == "__main__":
    main()
