"""Idle event streams against a server whose file descriptors are limited as on a default Linux (1024): a client
opens many `/api/conversations/{id}/events` streams and holds them, then citizens make ordinary requests (start a
conversation, send a message). Prints how many streams were accepted or refused and how the ordinary requests fared.

    python -m bench.streams                                   # 1,100 streams from one address
    python -m bench.streams --addresses 110                   # 10 each from 110 loopback addresses (global cap)
    python -m bench.streams --redis redis://localhost:6379/14 # live events through Redis
    python -m bench.streams --code /path/to/other/checkout    # the same against other code (say, main)

Exit status 0 when every ordinary request succeeded.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.servers import Server, server_env

CONNECT_SECONDS = 3.0


@dataclass
class Tally:
    statuses: dict[str, int] = field(default_factory=dict)
    held: list[socket.socket] = field(default_factory=list)

    def add(self, outcome: str) -> None:
        self.statuses[outcome] = self.statuses.get(outcome, 0) + 1


def open_stream(port: int, path: str, address: str, tally: Tally) -> None:
    """One stream on its own connection, from this source address; kept open if the server accepted it."""
    sock = socket.socket()
    sock.settimeout(CONNECT_SECONDS)
    try:
        sock.bind((address, 0))
        sock.connect(("127.0.0.1", port))
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode())
        status = sock.recv(64).split(b" ", 2)[1].decode()
    except (OSError, IndexError) as exc:  # refused, reset, or no answer in time: the server could not take it
        tally.add(f"no answer ({type(exc).__name__})")
        sock.close()
        return
    tally.add(status)
    if status == "200":
        tally.held.append(sock)
    else:
        sock.close()


def ordinary_requests(url: str, n: int) -> tuple[int, list[float]]:
    """A citizen's ordinary requests, each on a new connection as a new visitor's would be: how many succeeded, and
    how long each took (ms)."""
    ok, took = 0, []
    for i in range(n):
        began = time.perf_counter()
        try:
            with httpx.Client(base_url=url, timeout=5) as client:
                started = client.post("/api/conversations", json={})
                said = client.post(f"/api/conversations/{started.json()['id']}/messages",
                                   json={"text": f"老年卡怎么办{i}"}) if started.status_code == 201 else None
            ok += started.status_code == 201 and said is not None and said.status_code == 200
        except (httpx.HTTPError, ValueError):
            pass
        took.append((time.perf_counter() - began) * 1000)
    return ok, took


def descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--streams", type=int, default=1100)
    parser.add_argument("--addresses", type=int, default=1, help="spread the streams over 127.0.0.2, 127.0.0.3, …")
    parser.add_argument("--fd-limit", type=int, default=1024, help="the server's RLIMIT_NOFILE (soft and hard)")
    parser.add_argument("--requests", type=int, default=40, help="ordinary requests made while the streams are open")
    parser.add_argument("--code", type=Path, default=None, help="run the server from this checkout instead")
    parser.add_argument("--redis", default="", help="a REDIS_URL: events through Redis, a second connection per stream")
    parser.add_argument("--model-dir", default=None, help="a trained model to load (default: data/model)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-streams-") as tmp:
        folder = Path(tmp)
        extra = {"MODEL_DIR": args.model_dir} if args.model_dir else {}
        env = server_env(folder, redis_url=args.redis, **extra)
        if args.code is not None:
            env["PYTHONPATH"] = str(args.code.resolve())
        command = ["prlimit", f"--nofile={args.fd_limit}:{args.fd_limit}", sys.executable, "-c",
                   "from cli import app; app()", "serve"]
        server, tally = Server(command, env, folder).start(), Tally()
        try:
            return run(server, args, tally)
        finally:
            for sock in tally.held:
                sock.close()
            server.stop()


def source_address(i: int, addresses: int) -> str:
    if addresses == 1:
        return "127.0.0.1"
    n = i % addresses
    return f"127.0.{n // 250}.{2 + n % 250}"


def run(server: Server, args: argparse.Namespace, tally: Tally) -> int:
    assert server.process is not None
    pid = server.process.pid
    baseline = descriptors(pid)
    conversation = httpx.post(server.url + "/api/conversations", json={}, timeout=10).json()["id"]
    path = f"/api/conversations/{conversation}/events"
    began = time.perf_counter()
    for i in range(args.streams):
        open_stream(server.port, path, source_address(i, args.addresses), tally)
    opened_in = time.perf_counter() - began
    time.sleep(1)
    peak = descriptors(pid)
    ok, took = ordinary_requests(server.url, args.requests)
    print(f"server: RLIMIT_NOFILE {args.fd_limit}, {baseline} descriptors open at rest, {peak} with the streams")
    print(f"streams tried: {args.streams} from {args.addresses} address(es) in {opened_in:.1f} s: "
          + ", ".join(f"{status} x{n}" for status, n in sorted(tally.statuses.items())))
    print(f"streams held open: {len(tally.held)}")
    p50 = statistics.median(took)
    p99 = sorted(took)[max(0, round(len(took) * 0.99) - 1)]
    print(f"ordinary requests meanwhile (start + one message, new connection each): {ok}/{args.requests} succeeded, "
          f"p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    return 0 if ok == args.requests else 1


if __name__ == "__main__":
    raise SystemExit(main())
