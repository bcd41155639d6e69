"""Real server processes for the benchmarks and the crash test: `citizen-help serve` (or the bare comparison app)
on a free localhost port, with its own data folder, on SQLite or on a fresh PostgreSQL database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "data" / "model"  # the cache `citizen-help serve` keeps: trained once, then only loaded
POSTGRES = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@localhost/test")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://localhost:6379/14")
START_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def citizen_help() -> list[str]:
    script = Path(sys.executable).with_name("citizen-help")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from cli import app; app()"]


@dataclass
class Server:
    """One server process (with its workers, if any) and the files it writes."""

    command: list[str]
    env: dict[str, str]
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    started_in: float = 0.0  # seconds from launch to the first answer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str = "/", timeout: float = START_TIMEOUT) -> Server:
        log = (self.folder / "server.log").open("ab")  # a file, not a pipe: a full pipe would stall the server
        began = time.perf_counter()
        self.process = subprocess.Popen([*self.command, "--port", str(self.port)], env=self.env, cwd=self.folder,
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = began + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped (exit {self.process.returncode}); see {self.folder}/server.log")
            try:
                if httpx.get(self.url + ready_path, timeout=1).status_code < 500:
                    self.started_in = time.perf_counter() - began
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s; see {self.folder}/server.log")

    def pids(self) -> list[int]:
        """The server process and its worker processes."""
        assert self.process is not None
        return [self.process.pid, *self.workers()]

    def workers(self) -> list[int]:
        """The worker processes uvicorn started (none when it runs the app in its own process)."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        found = [int(p) for p in children.read_text().split()] if children.exists() else []
        return [pid for pid in found if b"spawn_main" in _cmdline(pid)]

    def kill(self, pid: int | None = None) -> None:
        """SIGKILL: the whole server (and its workers), or just one worker."""
        assert self.process is not None
        if pid is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        else:
            os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def server_env(folder: Path, *, database_url: str = "", redis_url: str = "", **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"DATA_DIR": str(folder / "data"), "MODEL_DIR": str(MODEL_DIR), "GTTS_ENABLED": "false",
                "PUBLIC_MAX_REQUESTS": "0", **extra})  # load from one address is the point here
    # This checkout's code, not whichever one the environment's `citizen-help` was installed from (a git worktree
    # shares its main checkout's virtual environment).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def assistant_server(folder: Path, *, workers: int = 1, database_url: str = "", redis_url: str = "",
                     **extra: str) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    command = [*citizen_help(), "serve", "--workers", str(workers)]
    return Server(command, server_env(folder, database_url=database_url, redis_url=redis_url, **extra), folder)


def bare_server(folder: Path, *, workers: int = 1) -> Server:
    """The comparison: a FastAPI endpoint that returns a constant, served by uvicorn the same way."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--app-dir", str(ROOT),
               "--workers", str(workers)]
    return Server(command, server_env(folder), folder)


@contextmanager
def running(server: Server, ready_path: str = "/") -> Iterator[Server]:
    server.start(ready_path)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def fresh_postgres(base: str = POSTGRES) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of `base`; dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def resident_mb(pids: Sequence[int]) -> float:
    """Resident memory (VmRSS) of these processes together, in MB."""
    total_kb = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024
