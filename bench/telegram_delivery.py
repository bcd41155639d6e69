"""Officer reply -> Telegram chat, in every documented process layout (README, docs/deploy.md), with real processes:
`citizen-help serve` (and `citizen-help bot` polling) against the local stand-in of the Bot API server. Prints, per
layout, the time from the officer API's reply call until the stand-in receives the message for the citizen's chat:

- one process: `serve` with TELEGRAM_BOT_TOKEN, Telegram posting to its webhook;
- serve + bot: `serve` without the token, `bot` polling (no Redis: the bot finds the reply in the outbox);
- serve with the token + bot: as documented for polling, TELEGRAM_WEBHOOK_ENABLED=false for `serve`;
- serve + bot + Redis: both with REDIS_URL (the live event reaches the bot through Redis);
- 2 workers + Redis: `serve --workers 2` with the token, Telegram posting to its webhook (docs/deploy.md).

    python -m bench.telegram_delivery [--replies 10] [--redis redis://localhost:6379/14] [--layout NAME]

Each reply goes to a chat of its own, after the chat's "an officer has come", so Telegram's one message per second
per chat does not add to the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from assistant import texts as engine_texts
from bench import telegram_updates as updates
from bench.servers import START_TIMEOUT, Server, assistant_server, citizen_help, running
from bench.staff_login import log_in
from bench.telegram_standin import TOKEN, BotAPIStandIn
from bot import texts

SECRET = "bench-delivery-secret"
PASSWORD = "a long bench password"
OFFICER = "王芳"


@dataclass(frozen=True)
class Layout:
    name: str
    serve_has_token: bool  # `serve` runs the channel (the webhook, or only deliveries when `bot` polls)
    bot_polls: bool  # a separate `citizen-help bot` process takes the updates
    redis: bool
    workers: int = 1  # `serve --workers`


LAYOUTS = {layout.name: layout for layout in (
    Layout("one process", serve_has_token=True, bot_polls=False, redis=False),
    Layout("serve + bot", serve_has_token=False, bot_polls=True, redis=False),
    Layout("serve with the token + bot", serve_has_token=True, bot_polls=True, redis=False),
    Layout("serve + bot + Redis", serve_has_token=False, bot_polls=True, redis=True),
    Layout("2 workers + Redis", serve_has_token=True, bot_polls=False, redis=True, workers=2),
)}


@dataclass
class Stand:
    """A layout running: its stand-in of Telegram, the web service, and the polling bot if the layout has one."""

    layout: Layout
    telegram: BotAPIStandIn
    server: Server

    def citizen_says(self, chat_id: int, text: str) -> None:
        update = updates.message(text, chat_id=chat_id)
        if self.layout.bot_polls:
            self.telegram.push_update(update)
            return
        response = httpx.post(self.server.url + "/telegram/webhook", json=update, timeout=30,
                              headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        response.raise_for_status()

    def arrival(self, text: str, timeout: float = 30.0) -> float:
        """When the stand-in received the message with exactly this text (time.monotonic())."""
        return self.telegram.wait_for("sendMessage", text=text, timeout=timeout)[0].at


@contextmanager
def running_layout(layout: Layout, folder: Path, *, model_dir: Path | None = None,
                   redis_url: str = "") -> Iterator[Stand]:
    if layout.redis and not redis_url:
        raise ValueError(f"{layout.name!r} needs a Redis URL")
    telegram = BotAPIStandIn()  # one per layout: a bot killed mid-poll leaves a waiting getUpdates behind
    telegram.start()
    token = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": telegram.url, "TELEGRAM_WEBHOOK_SECRET": SECRET}
    server = assistant_server(folder, workers=layout.workers, redis_url=redis_url if layout.redis else "")
    if model_dir:
        server.env["MODEL_DIR"] = str(model_dir)
    for name in token:
        server.env.pop(name, None)
    if layout.serve_has_token:
        server.env.update(token, TELEGRAM_WEBHOOK_ENABLED=str(not layout.bot_polls).lower())
    subprocess.run([*citizen_help(), "officer", "add", "wangfang", "--name", OFFICER, "--on-duty"],
                   input=PASSWORD + "\n", text=True, env=server.env, cwd=server.folder, check=True,
                   capture_output=True)
    try:
        with running(server):
            bot_env = {**server.env, **token}
            with polling_bot(bot_env, folder, telegram) if layout.bot_polls else _nothing():
                yield Stand(layout, telegram, server)
    finally:
        telegram.stop()


@contextmanager
def polling_bot(env: dict[str, str], folder: Path, telegram: BotAPIStandIn) -> Iterator[subprocess.Popen[bytes]]:
    """`citizen-help bot`, ready once it asks the stand-in for updates."""
    with (folder / "bot.log").open("ab") as log:
        process = subprocess.Popen([*citizen_help(), "bot"], env=env, cwd=folder, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not telegram.sent("getUpdates"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"`citizen-help bot` did not start polling; see {folder}/bot.log")
            time.sleep(0.05)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def reply_delays(stand: Stand, replies: int) -> list[float]:
    """Seconds from each officer reply call until its message reached the citizen's chat, one chat per reply."""
    base = random.randrange(10**8, 9 * 10**8)  # chats of this run only (Redis keeps delivery claims for a day)
    chats = [base + i for i in range(replies)]
    with httpx.Client(base_url=stand.server.url, timeout=30) as staff:
        for chat in chats:
            stand.citizen_says(chat, texts.HUMAN)
        log_in(staff, "wangfang", PASSWORD)
        cases = _cases(staff, replies)
        for case in cases:
            staff.post(f"/api/officer/cases/{case['id']}/claim").raise_for_status()
        joined = engine_texts.OFFICER_JOINED.format(name=OFFICER)
        stand.telegram.wait_for("sendMessage", count=replies, text=joined, timeout=30)
        time.sleep(1.1)  # past the chats' pace after "an officer has come"
        delays = []
        for i, case in enumerate(cases):
            text = f"您好，这是第{i + 1}条回复。"
            time.sleep(random.uniform(0, 0.5))  # not in step with a poll that found the previous reply
            began = time.monotonic()
            staff.post(f"/api/officer/cases/{case['id']}/reply", json={"text": text}).raise_for_status()
            delays.append(stand.arrival(texts.OFFICER_SAYS.format(name=OFFICER, text=text)) - began)
    return delays


def _cases(staff: httpx.Client, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
    """The open cases, once all `count` citizens' hand-overs are in (a polling bot takes them in its own time)."""
    deadline = time.monotonic() + timeout
    while True:
        cases: list[dict[str, Any]] = staff.get("/api/officer/cases").json()
        if len(cases) >= count:
            return cases
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(cases)} of {count} cases opened within {timeout:.0f} s")
        time.sleep(0.05)


def figures(name: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return (f"{name:<28} n={len(ms):<3} median {statistics.median(ms):7.1f} ms   max {ms[-1]:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replies", type=int, default=10, help="replies measured per layout")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", ""),
                        help="Redis for the Redis layout (default BENCH_REDIS_URL; without it, that layout is skipped)")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), action="append", help="only these layouts")
    args = parser.parse_args()
    print("officer reply -> Telegram chat")
    for name in args.layout or LAYOUTS:
        layout = LAYOUTS[name]
        if layout.redis and not args.redis:
            print(f"{name:<28} skipped: give --redis or set BENCH_REDIS_URL")
            continue
        with tempfile.TemporaryDirectory() as scratch, \
                running_layout(layout, Path(scratch), redis_url=args.redis) as stand:
            print(figures(name, reply_delays(stand, args.replies)), flush=True)


if __name__ == "__main__":
    main()
