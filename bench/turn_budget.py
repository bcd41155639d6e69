"""The turn budget (issue 19): SQL statements per chat turn, and CPU per ordinary turn against a bare FastAPI endpoint
measured in the same run, both through an in-process client.

    python -m bench.turn_budget                                  # SQLite, 300 ordinary turns
    python -m bench.turn_budget --database-url postgresql+psycopg://postgres@localhost/bench --turns 300

Prints the statements of an ordinary turn (a question answered), an escalation (找人工, with --waiting citizens
already in the queue) and a relay (a message while a case is open), and the medians of process CPU per request for
the chat turn (matching included) and for bench/bare_app.py's endpoint, with their ratio. Targets: an ordinary
turn <= 4 statements, an escalation <= 10, the CPU ratio <= 2.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from api.app import create_app
from assistant import auth
from assistant.matching import load_matcher
from assistant.services import Services
from assistant.settings import Settings
from assistant.store import officers as officer_store
from assistant.store.db import make_engine
from assistant.store.models import Base
from bench.bare_app import app as bare_app

QUESTIONS = ("身份证过期了怎么换", "要带什么材料", "在哪办", "要多少钱", "养老金怎么领", "老年卡怎么办")
MODEL_DIR = Path(tempfile.gettempdir()) / "citizen-help-bench-model"  # trained once, kept between runs


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """Every statement sent meanwhile: the client waits for each answer, and the app's startup jobs (the day's
    purge) are over after the warm-up, so they are the request's."""
    sent: list[str] = []

    def keep(conn: object, cursor: object, statement: str, *args: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def cpu_per_request(send: Callable[[int], object], count: int) -> list[float]:
    """Process CPU (every thread: the client's, the app's and its worker pool's) of each request, in µs."""
    spent = []
    for n in range(count):
        before = time.process_time()
        send(n)
        spent.append((time.process_time() - before) * 1e6)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--turns", type=int, default=300, help="ordinary turns (and bare requests) measured")
    parser.add_argument("--waiting", type=int, default=20, help="citizens already waiting when one more escalates")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="turn-budget-"))
    url = args.database_url or f"sqlite:///{scratch / 'bench.sqlite'}"
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    settings = Settings(_env_file=None, data_dir=scratch, database_url=url,  # type: ignore[call-arg]
                        model_dir=MODEL_DIR, public_max_requests=0)
    app = create_app(settings=settings, matcher=load_matcher(settings))

    with TestClient(app) as client, TestClient(bare_app) as bare:
        runtime = Services.of(app).runtime
        with runtime.sessions() as session:
            officer_store.create(session, username="bench", name="王芳", role="officer",
                                 password_hash=auth.hash_password("a long bench password"), on_duty=True)
            session.commit()

        def start() -> str:
            return client.post("/api/conversations", json={}).json()["id"]

        def say(conversation: str, text: str) -> dict:
            response = client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
            response.raise_for_status()
            return response.json()

        conversations: list[str] = []

        def ordinary(n: int) -> None:
            if n % len(QUESTIONS) == 0:
                conversations.append(start())
            say(conversations[-1], QUESTIONS[n % len(QUESTIONS)])

        cpu_per_request(ordinary, 60)  # warm-up: imports, caches, the first connections, the startup jobs
        cpu_per_request(lambda n: bare.post("/bare", json={"text": QUESTIONS[n % len(QUESTIONS)]}), 60)

        conversation = start()
        say(conversation, QUESTIONS[0])
        with counted(runtime.engine) as sent:
            say(conversation, QUESTIONS[1])
        ordinary_statements = len(sent)
        for _ in range(args.waiting):
            say(start(), "找人工")
        with counted(runtime.engine) as sent:
            reply = say(conversation, "找人工")
        assert reply["case"]["position"] == args.waiting + 1, reply["case"]
        escalation_statements = len(sent)
        with counted(runtime.engine) as sent:
            say(conversation, "我的身份证是去年过期的")
        relay_statements = len(sent)

        # Interleaved rounds, so both sides see the same machine load.
        turn_cpu: list[float] = []
        bare_cpu: list[float] = []
        rounds = 10
        for _ in range(rounds):
            turn_cpu += cpu_per_request(ordinary, args.turns // rounds)
            bare_cpu += cpu_per_request(
                lambda n: bare.post("/bare", json={"text": QUESTIONS[n % len(QUESTIONS)]}), args.turns // rounds)

    backend = url.split(":", 1)[0].split("+", 1)[0]
    turn, base = statistics.median(turn_cpu), statistics.median(bare_cpu)
    print(f"backend: {backend}")
    print(f"statements per ordinary turn:  {ordinary_statements}  (target <= 4)")
    print(f"statements per escalation:     {escalation_statements}  (target <= 10; {args.waiting} already waiting)")
    print(f"statements per relay:          {relay_statements}")
    print(f"CPU per ordinary turn, median: {turn:8.0f} µs  (p90 {_p90(turn_cpu):.0f} µs, n={len(turn_cpu)})")
    print(f"CPU per bare request, median:  {base:8.0f} µs  (p90 {_p90(bare_cpu):.0f} µs, n={len(bare_cpu)})")
    print(f"ratio:                         {turn / base:8.2f}  (target <= 2)")


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


if __name__ == "__main__":
    main()
