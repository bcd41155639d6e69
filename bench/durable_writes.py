"""The floor under the chat endpoint: how many durable commits a second this machine's databases take, with no web
server, no ORM and no matching. A chat message is one transaction (assistant/engine.py), so this bounds the chat
messages a second any code could store here.

    python -m bench.durable_writes                      # SQLite, then PostgreSQL (BENCH_DATABASE_URL)
    python -m bench.durable_writes --backends sqlite --seconds 2

Each transaction inserts one short row and commits, as the chat's message table is written. SQLite runs as the
service runs it (WAL, synchronous=FULL: an acknowledged message survives a power cut), and with synchronous=NORMAL
for comparison (survives a crash of the process, not of the machine). PostgreSQL runs with its defaults, on one
connection and on 16 at once (it writes several waiting commits with one flush).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.servers import fresh_postgres

TEXT = "身份证过期了咋换？我下个月要坐火车。"
Commit = Callable[[], None]


def rate(make_commit: Callable[[], tuple[Commit, Callable[[], None]]], seconds: float, connections: int) -> float:
    """Commits a second, each of `connections` threads committing in a loop on a connection of its own."""
    done = [0] * connections
    stop = time.monotonic() + seconds

    def loop(index: int) -> None:
        commit, close = make_commit()
        try:
            while time.monotonic() < stop:
                commit()
                done[index] += 1
        finally:
            close()

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def sqlite_committer(path: Path, synchronous: str) -> Callable[[], tuple[Commit, Callable[[], None]]]:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS said (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")

    def make() -> tuple[Commit, Callable[[], None]]:
        db = sqlite3.connect(path, timeout=30)
        db.execute(f"PRAGMA synchronous={synchronous}")

        def commit() -> None:
            db.execute("INSERT INTO said (text) VALUES (?)", (TEXT,))
            db.commit()

        return commit, db.close

    return make


def postgres_committer(url: str) -> Callable[[], tuple[Commit, Callable[[], None]]]:
    import psycopg  # the postgres extra: not needed for --backends sqlite

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as db:
        db.execute("CREATE TABLE IF NOT EXISTS said (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL)")

    def make() -> tuple[Commit, Callable[[], None]]:
        db = psycopg.connect(dsn)

        def commit() -> None:
            db.execute("INSERT INTO said (text) VALUES (%s)", (TEXT,))
            db.commit()

        return commit, db.close

    return make


def median_rate(make: Callable[[], tuple[Commit, Callable[[], None]]], args: argparse.Namespace,
                connections: int) -> float:
    return statistics.median(rate(make, args.seconds, connections) for _ in range(args.rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=float, default=3.0, help="per round")
    parser.add_argument("--rounds", type=int, default=3, help="the median is printed")
    args = parser.parse_args()
    rows: list[tuple[str, str, int, float]] = []
    backends = args.backends.split(",")
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory(prefix="durable-writes-") as folder:
            for synchronous in ("FULL", "NORMAL"):
                make = sqlite_committer(Path(folder) / f"{synchronous}.db", synchronous)
                rows.append(("SQLite WAL", f"synchronous={synchronous}", 1, median_rate(make, args, 1)))
    if "postgresql" in backends:
        with fresh_postgres() as url:
            make = postgres_committer(url)
            rows += [("PostgreSQL", "defaults", n, median_rate(make, args, n)) for n in (1, 16)]
    print(f"{'database':<12}{'setting':<22}{'connections':>12}{'commits/s':>11}{'1/rate ms':>11}")
    for database, setting, connections, per_second in rows:
        print(f"{database:<12}{setting:<22}{connections:>12}{per_second:>11.0f}{1000 / per_second:>11.2f}")


if __name__ == "__main__":
    main()
