"""How fast the purge clears a year-old backlog, and whether citizens' writes go on meanwhile: rows cleared a second,
the longest batch (what SQLite's one write lock is held for at most), and the slowest citizen's write during it.

    python -m bench.purge                                  # SQLite, then PostgreSQL (BENCH_DATABASE_URL)
    python -m bench.purge --backends sqlite --messages 200000

The backlog, 400 days old, through the project's own schema: citizens with a phone and a channel identity, ten
messages per conversation, a case for every other conversation (half still open) with a summary quoting the
citizen, an officer's note and a pending callback. Meanwhile a "citizen" thread writes one message every 20 ms on
its own connection.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from assistant import migrate
from assistant.purge import purge
from assistant.store import citizens, conversations
from assistant.store.db import make_engine, make_session_factory
from assistant.store.types import utcnow
from bench.backlog import seed
from bench.servers import fresh_postgres


def citizen_writes(sessions: sessionmaker[Session], stop: threading.Event, latencies: list[float]) -> None:
    with sessions() as session:
        identity = citizens.identify(session, channel="web", external_id="bench-writer")
        conversation = conversations.start(session, identity=identity)
        session.commit()
        while not stop.is_set():
            started = time.perf_counter()
            conversations.add_message(session, conversation=conversation, role="citizen", text="养老金怎么领")
            session.commit()
            latencies.append(time.perf_counter() - started)
            time.sleep(0.02)


def run(url: str, messages: int) -> dict[str, float]:
    migrate.upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    seed(sessions, messages, at=utcnow() - dt.timedelta(days=400))
    stop, latencies = threading.Event(), []
    writer = threading.Thread(target=citizen_writes, args=(sessions, stop, latencies))
    writer.start()
    maximum = utcnow() - dt.timedelta(days=365)
    started = time.perf_counter()
    with sessions() as session:
        purged = purge(session, before=maximum, hard_before=maximum, by="bench")
    seconds = time.perf_counter() - started
    stop.set()
    writer.join()
    engine.dispose()
    return {"rows": purged.rows(), "seconds": seconds, "rate": purged.rows() / seconds, "batches": purged.batches,
            "longest": purged.longest_batch, "writes": len(latencies), "slowest_write": max(latencies, default=0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--messages", type=int, default=20000)
    args = parser.parse_args()
    print(f"{'backend':<11} {'rows':>8} {'seconds':>8} {'rows/s':>8} {'batches':>8} {'longest':>8} "
          f"{'writes':>7} {'slowest write':>14}")
    for backend in args.backends:
        with tempfile.TemporaryDirectory() as folder:
            if backend == "sqlite":
                result = run(f"sqlite:///{Path(folder) / 'bench.db'}", args.messages)
            else:
                with fresh_postgres() as url:
                    result = run(url, args.messages)
        print(f"{backend:<11} {result['rows']:>8} {result['seconds']:>8.2f} {result['rate']:>8.0f} "
              f"{result['batches']:>8} {result['longest']:>7.3f}s {result['writes']:>7} "
              f"{result['slowest_write'] * 1000:>11.1f} ms")


if __name__ == "__main__":
    main()
