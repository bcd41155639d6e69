"""Staff login and session benchmark: a real `citizen-help serve` process, its officer made by `citizen-help officer
add`, then over HTTP (milliseconds):

- login: POST /api/officer/login with the right password (argon2 verifies it; a new session is written);
- argon2: the password check alone, in this process, for comparison;
- request with a session: GET /api/officer/me by a logged-in console (the session is looked up, the officer read;
  last-seen is written at most once a minute, so these are reads);
- session lookup: StaffSessions.find alone, in this process, on the same store.

    python -m bench.staff_sessions [--store database|redis] [--database sqlite|postgresql] [--requests 300]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench.servers import REDIS, assistant_server, citizen_help, fresh_postgres, running
from bench.staff_login import log_in

PASSWORD = "a long bench password"


def figures(name: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    print(f"{name:<26} n={len(ms):<5} p50 {statistics.median(ms):7.2f}   p99 {p99:7.2f}   max {ms[-1]:7.2f}")


def timed(action, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
    return samples


def logins(url: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        with httpx.Client(base_url=url, timeout=10) as console:
            token = console.get("/api/staff/session").json()["csrf_token"]
            began = time.perf_counter()
            response = console.post("/api/officer/login", json={"username": "bench", "password": PASSWORD},
                                    headers={"X-CSRF-Token": token})
            samples.append(time.perf_counter() - began)
            response.raise_for_status()
    return samples


def argon2_alone(n: int) -> list[float]:
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    stored = hasher.hash(PASSWORD)
    return timed(lambda: hasher.verify(stored, PASSWORD), n)


def lookups(server_env: dict[str, str], key: str, n: int) -> list[float]:
    from assistant.session_stores import make_staff_sessions
    from assistant.settings import Settings
    from assistant.store.db import make_engine, make_session_factory

    settings = Settings(_env_file=None, data_dir=Path(server_env["DATA_DIR"]),  # type: ignore[call-arg]
                        database_url=server_env.get("DATABASE_URL", ""), redis_url=server_env.get("REDIS_URL"))
    engine = make_engine(settings.effective_database_url)
    sessions = make_staff_sessions(settings, make_session_factory(engine))
    try:
        assert sessions.find(key, renew=False) is not None
        return timed(lambda: sessions.find(key, renew=False), n)
    finally:
        sessions.store.close()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", choices=["database", "redis"], default="database")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--logins", type=int, default=20)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--http-only", action="store_true", help="Skip the in-process lookup (to run against an "
                                                                   "older version of the service).")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        database_url = stack.enter_context(fresh_postgres()) if args.database == "postgresql" else ""
        server = assistant_server(folder, database_url=database_url,
                                  redis_url=REDIS if args.store == "redis" else "")
        subprocess.run([*citizen_help(), "officer", "add", "bench"], input=PASSWORD + "\n", text=True, check=True,
                       env=server.env, cwd=folder, capture_output=True)
        stack.enter_context(running(server))
        print(f"store: {args.store}, database: {args.database}")
        figures("login", logins(server.url, args.logins))
        figures("argon2 verify alone", argon2_alone(args.logins))
        with httpx.Client(base_url=server.url, timeout=10) as console:
            log_in(console, "bench", PASSWORD)
            console.get("/api/officer/me").raise_for_status()
            figures("request with a session", timed(lambda: console.get("/api/officer/me").raise_for_status(),
                                                    args.requests))
            if not args.http_only:
                figures("session lookup alone", lookups(server.env, console.cookies["citizen_help_staff"],
                                                        args.requests))


if __name__ == "__main__":
    main()
