"""The service on an empty database and on a year of a city's traffic (~1M messages, bench/seed.py), SQLite and
PostgreSQL side by side: what citizens and officers wait for, in milliseconds (medians).

    python -m bench.scale                                   # both backends, 1M messages
    python -m bench.scale --backends sqlite --messages 200000
    python -m bench.scale --sqlite /tmp/big.db --postgres postgresql+psycopg://postgres@localhost/big

A big database given that already has messages is used as it is (seeding 1M takes 4-6 minutes: do it once);
otherwise it is seeded first. The last row, the purge, clears what is older than 45 days of the big database for
real (a citizen writes all along; its slowest write is shown). In process, through the whole application
(api.app:create_app and the ASGI stack via TestClient), so the figures are the server's own work, not the network's.

- start-up: the application's lifespan (loading the model, the runtime) until it serves;
- /api/stats first: the daily rollup still empty (every ended day counted once and stored); uncached: the rollup
  filled, the minute's cache expired; cached: within the minute;
- chat turn: a question answered from a guide; escalation: 找人工, a case opened and the queue told; relay: a message
  while waiting;
- knowledge gaps: the supervisor's page over 30 days; queue: the officer's open cases; long case: a case with
  3,000 messages opened by an officer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from api.app import create_app
from api.web import Web
from assistant import auth, migrate
from assistant.purge import purge
from assistant.services import Services
from assistant.settings import Settings
from assistant.single_flight import FreshValue
from assistant.store import officers as officer_store
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import Case, Message, StatsDay
from assistant.store.types import utcnow
from bench.purge import citizen_writes
from bench.seed import seed
from bench.servers import MODEL_DIR, fresh_postgres
from bench.staff_login import log_in

SUPERVISOR, PASSWORD = "bench-supervisor", "a long bench password"
Row = dict[str, str]


def ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f}" if samples else "–"


def timed(action: Callable[[], Any], n: int) -> list[float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def add_supervisor(url: str) -> None:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        if officer_store.by_username(session, username=SUPERVISOR) is None:
            officer_store.create(session, username=SUPERVISOR, name="王芳", role="supervisor",
                                 password_hash=auth.hash_password(PASSWORD), on_duty=True)
            session.commit()
    engine.dispose()


def say(client: TestClient, conversation: str, text: str) -> dict[str, Any]:
    response = client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
    response.raise_for_status()
    return response.json()


@contextmanager
def serving(url: str, folder: Path) -> Iterator[tuple[TestClient, float]]:
    settings = Settings(_env_file=None, data_dir=folder, database_url=url, model_dir=MODEL_DIR,  # type: ignore[call-arg]
                        public_max_requests=0)
    app = create_app(settings)
    started = time.perf_counter()
    with TestClient(app) as client:
        yield client, time.perf_counter() - started


def measure(url: str, folder: Path, *, big: bool) -> Row:
    migrate.upgrade(url)
    add_supervisor(url)
    row: Row = {}
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:  # the rollup as a new deployment finds it: empty
        session.execute(delete(StatsDay))
        session.commit()
    with serving(url, folder) as (client, startup):
        row["start-up"] = f"{startup * 1000:.0f}"
        row["/api/stats first"] = ms(timed(lambda: client.get("/api/stats").raise_for_status(), 1))

        def uncached() -> None:
            web = Services.of(client.app).part(Web)
            web.stats_figures = FreshValue(web.stats_figures.seconds)
            client.get("/api/stats").raise_for_status()

        row["/api/stats uncached"] = ms(timed(uncached, 5))
        row["/api/stats cached"] = ms(timed(lambda: client.get("/api/stats").raise_for_status(), 20))
        conversations = [client.post("/api/conversations", json={}).json()["id"] for _ in range(6)]
        row["chat turn"] = ms(timed(lambda: say(client, conversations[0], "身份证过期了咋换"), 10))
        waiting = iter(conversations[1:])
        row["escalation"] = ms(timed(lambda: say(client, next(waiting), "找人工"), 5))
        still = iter(conversations[1:])
        row["relay"] = ms(timed(lambda: say(client, next(still), "我还在等，麻烦快一点"), 5))
        staff = TestClient(client.app)
        log_in(staff, SUPERVISOR, PASSWORD)  # type: ignore[arg-type]
        staff.get("/api/staff/gaps").raise_for_status()  # the first loads scikit-learn: not what a request costs
        row["knowledge gaps"] = ms(timed(lambda: staff.get("/api/staff/gaps").raise_for_status(), 3))
        row["officer queue"] = ms(timed(lambda: staff.get("/api/officer/cases?status=open").raise_for_status(), 5))
        with sessions() as session:
            longest = session.execute(select(Case.id, func.count(Message.id)).join(
                Message, Message.conversation_id == Case.conversation_id).group_by(Case.id)
                .order_by(func.count(Message.id).desc()).limit(1)).first()
        case_id, size = longest if longest else (None, 0)
        row["long case"] = ms(timed(lambda: staff.get(f"/api/officer/cases/{case_id}").raise_for_status(), 3)) \
            + f" ({size} msgs)"
    row["purge"] = purge_throughput(sessions) if big else "–"
    engine.dispose()
    return row


def purge_throughput(sessions: Any) -> str:
    """Clears the words of everything older than 45 days while a citizen writes every 20 ms."""
    stop, latencies = threading.Event(), []
    writer = threading.Thread(target=citizen_writes, args=(sessions, stop, latencies))
    writer.start()
    cut = utcnow() - dt.timedelta(days=45)
    started = time.perf_counter()
    with sessions() as session:
        purged = purge(session, before=cut, hard_before=cut, by="bench")
    seconds = time.perf_counter() - started
    stop.set()
    writer.join()
    return (f"{purged.rows() / seconds:,.0f} rows/s ({purged.rows():,} in {seconds:.0f} s, longest batch "
            f"{purged.longest_batch * 1000:.0f} ms, slowest write {max(latencies, default=0) * 1000:.0f} ms)")


def big_database(url: str, messages: int) -> str:
    engine = make_engine(url)
    try:
        migrate.upgrade(url)
        with engine.connect() as connection:
            present = connection.scalar(select(func.count()).select_from(Message))
    finally:
        engine.dispose()
    if not present:
        started = time.perf_counter()
        seed(url, messages)
        print(f"seeded {messages:,} messages in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--sqlite", type=Path, help="the big SQLite file (seeded if empty)")
    parser.add_argument("--postgres", help="the big PostgreSQL database (seeded if empty)")
    args = parser.parse_args()
    rows: dict[str, Row] = {}
    with tempfile.TemporaryDirectory() as folder:
        for backend in args.backends:
            if backend == "sqlite":
                empty = f"sqlite:///{Path(folder) / 'empty.db'}"
                rows["SQLite, empty"] = measure(empty, Path(folder) / "e", big=False)
                big = big_database(f"sqlite:///{args.sqlite or Path(folder) / 'big.db'}", args.messages)
                rows["SQLite, ~1M messages"] = measure(big, Path(folder) / "b", big=True)
            else:
                with fresh_postgres() as empty:
                    rows["PostgreSQL, empty"] = measure(empty, Path(folder) / "pe", big=False)
                if args.postgres:
                    rows["PostgreSQL, ~1M messages"] = measure(big_database(args.postgres, args.messages),
                                                               Path(folder) / "pb", big=True)
                else:
                    with fresh_postgres() as url:
                        rows["PostgreSQL, ~1M messages"] = measure(big_database(url, args.messages),
                                                                   Path(folder) / "pb", big=True)
    names = list(next(iter(rows.values())))
    print("| ms (median) | " + " | ".join(rows) + " |")
    print("|---|" + "---|" * len(rows))
    for name in names:
        print(f"| {name} | " + " | ".join(row.get(name, "–") for row in rows.values()) + " |")


if __name__ == "__main__":
    main()
