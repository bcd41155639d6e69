"""The officers' paged search on a big database: `GET /api/officer/cases?status=&q=&channel=&page=` and the tab
counts beside it, in milliseconds (p50, p95), through the whole application in process (TestClient).

    python -m bench.case_search sqlite:////tmp/big.db            # seeds 1M messages first when it is empty
    python -m bench.case_search URL --messages 200000 --rounds 5

The searches an officer makes: each tab, the resolved history's later pages, words of 3 or more characters (common
ones from the guides, rare ones), 2-character words, case numbers, phone endings, filters by channel, emergency and
age. Each is asked `--rounds` times in a shuffled order; the figure is over every request. On a shared machine the
wall-clock figures carry other programs' load (the load average is printed): the CPU time this process spent on
each request (the client's and the server's threads, SQLite included) is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant import migrate
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import Case, Message
from bench.scale import PASSWORD, SUPERVISOR, add_supervisor, serving
from bench.seed import seed
from bench.staff_login import log_in

TARGET_MS = 100
COMMON_WORDS = ("身份证", "养老金", "公交卡", "怎么办理", "医保")
RARE_WORDS = ("广场舞", "楼上漏水", "老年大学", "停车费")
SHORT_WORDS = ("社保", "户口", "低保")


def _searches(url: str, rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        last_case = session.scalar(select(func.max(Case.id))) or 1
    engine.dispose()
    found: list[tuple[str, dict[str, Any]]] = []
    for tab in ("open", "waiting", "mine", "others", "resolved", "cancelled"):
        found.append(("tab", {"status": tab}))
    found += [("history page", {"status": "resolved", "page": rng.randint(2, 200)}) for _ in range(3)]
    found += [("words, common", {"status": "all", "q": w}) for w in COMMON_WORDS]
    found += [("words, rare", {"status": "resolved", "q": w}) for w in RARE_WORDS]
    found += [("words, 2 characters", {"status": "all", "q": w}) for w in SHORT_WORDS]
    found += [("words, two terms", {"status": "all", "q": "身份证 丢了"})]
    found += [("case number", {"status": "all", "q": f"#{rng.randint(1, last_case)}"}) for _ in range(3)]
    found += [("phone ending", {"status": "all", "q": f"{rng.randint(0, 9999):04d}"}) for _ in range(3)]
    found += [("filters", {"status": "open", "channel": "phone", "emergency": "true"}),
              ("filters", {"status": "resolved", "channel": "telegram", "age": "7d"}),
              ("filters", {"status": "waiting", "age": "late"})]
    return found


def _pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] * 1000


def measure(url: str, *, rounds: int, seed_value: int) -> dict[str, dict[str, float]]:
    migrate.upgrade(url)
    add_supervisor(url)
    rng = random.Random(seed_value)
    searches = _searches(url, rng)
    samples: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder, serving(url, Path(folder)) as (client, _startup):
        staff = TestClient(client.app)
        log_in(staff, SUPERVISOR, PASSWORD)  # type: ignore[arg-type]
        staff.get("/api/officer/cases").raise_for_status()  # warm: the first request builds the app's caches
        for _ in range(rounds):
            rng.shuffle(searches)
            for kind, params in searches:
                for path, name in (("/api/officer/cases", kind), ("/api/officer/cases/counts", "tab counts")):
                    started, cpu = time.perf_counter(), time.process_time()
                    staff.get(path, params=params).raise_for_status()
                    elapsed, used = time.perf_counter() - started, time.process_time() - cpu
                    samples.setdefault(name, []).append(elapsed)
                    whole = "all searches" if name != "tab counts" else "all counts"
                    samples.setdefault(whole, []).append(elapsed)
                    samples.setdefault(f"{whole}, CPU", []).append(used)
    return {name: {"n": len(s), "p50": statistics.median(s) * 1000, "p95": _pct(s, 0.95), "max": max(s) * 1000}
            for name, s in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", help="a SQLAlchemy database URL; seeded first when it has no messages")
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    migrate.upgrade(args.url)
    engine = make_engine(args.url)
    with make_session_factory(engine)() as session:
        messages = session.scalar(select(func.count()).select_from(Message)) or 0
    engine.dispose()
    if messages == 0:
        seed(args.url, args.messages)
        messages = args.messages
    figures = measure(args.url, rounds=args.rounds, seed_value=args.seed)
    load = os.getloadavg()[0]
    print(f"officer search on {messages:,} messages ({args.rounds} rounds, load average {load:.1f} on "
          f"{os.cpu_count()} CPUs), milliseconds")
    print(f"{'':24} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7}")
    for name, row in sorted(figures.items()):
        print(f"{name:24} {row['n']:>4.0f} {row['p50']:>7.1f} {row['p95']:>7.1f} {row['max']:>7.1f}")
    for name in ("all searches", "all searches, CPU"):
        p95 = figures[name]["p95"]
        print(f"paged search p95 ({name}) {p95:.1f} ms: {'within' if p95 <= TARGET_MS else 'OVER'} the "
              f"{TARGET_MS} ms target")


if __name__ == "__main__":
    main()
