"""Telegram channel benchmark: a real `citizen-help serve` process with TELEGRAM_BOT_TOKEN set, talking to the local
stand-in of the Bot API server the tests use. Prints, in milliseconds:

- answer: a question posted to the webhook until the response (the answer has been sent to Telegram by then);
- officer reply: the officer API's reply call until the stand-in receives the message for the citizen's chat;
- read aloud: 读给我听 until the voice message is received, first (rendered by the offline voice) and again (cached).

    python -m bench.telegram [--citizens 20] [--verbose]

Each citizen has their own chat, so Telegram's one-message-per-second-per-chat pace does not add to the figures.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench import telegram_updates as updates
from bench.servers import assistant_server, citizen_help, running
from bench.staff_login import log_in
from bench.telegram_standin import TOKEN, BotAPIStandIn
from bot import texts

SECRET = "bench-secret"
PASSWORD = "a long bench password"


def figures(name: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    print(f"{name:<28} n={len(ms):<4} p50 {statistics.median(ms):7.1f}   p99 {p99:7.1f}   max {ms[-1]:7.1f}")


def post(client: httpx.Client, update: dict) -> float:
    began = time.perf_counter()
    response = client.post("/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    response.raise_for_status()
    return time.perf_counter() - began


def arrival(telegram: BotAPIStandIn, text: str, timeout: float = 10.0) -> float:
    """When the stand-in received the message ending with `text` (time.monotonic())."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = next((c for c in telegram.sent("sendMessage") if c.text.endswith(text)), None)
        if found is not None:
            return found.at
        time.sleep(0.002)
    raise RuntimeError(f"{text!r} did not reach the chat within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--citizens", type=int, default=20)
    parser.add_argument("--verbose", "-v", action="store_true", help="also print every officer-reply delay")
    args = parser.parse_args()
    telegram = BotAPIStandIn()
    telegram.start()
    with tempfile.TemporaryDirectory() as scratch:
        server = assistant_server(Path(scratch), TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=telegram.url,
                                  TELEGRAM_WEBHOOK_SECRET=SECRET)
        subprocess.run([*citizen_help(), "officer", "add", "wangfang", "--name", "王芳", "--on-duty"],
                       input=PASSWORD + "\n", text=True, env=server.env, cwd=server.folder, check=True,
                       capture_output=True)
        with running(server), httpx.Client(base_url=server.url, timeout=30) as bot, \
                httpx.Client(base_url=server.url, timeout=30) as staff:
            chats = [90_000 + i for i in range(args.citizens)]
            post(bot, updates.message("你好", chat_id=89_999))  # warm up, in a chat of its own
            figures("answer (webhook round trip)",
                    [post(bot, updates.message("身份证过期了咋换", chat_id=chat)) for chat in chats])

            for chat in chats:
                post(bot, updates.message(texts.HUMAN, chat_id=chat))
            log_in(staff, "wangfang", PASSWORD)
            cases = staff.get("/api/officer/cases").json()
            for case in cases:
                staff.post(f"/api/officer/cases/{case['id']}/claim").raise_for_status()
            time.sleep(2.5)  # past the pace of the "an officer has come" and queue messages
            delays = []
            for i, case in enumerate(cases):
                text = f"您好，这是第{i + 1}条回复。"
                began = time.monotonic()
                staff.post(f"/api/officer/cases/{case['id']}/reply", json={"text": text}).raise_for_status()
                delays.append(arrival(telegram, text) - began)
            figures("officer reply -> chat", delays)
            if args.verbose:
                print("  each, ms:", [round(d * 1000) for d in delays])

            chat = chats[0]
            for label in ("read aloud, first render", "read aloud, cached"):
                time.sleep(1.1)
                figures(label, [post(bot, updates.message(texts.READ_ALOUD, chat_id=chat))])
    telegram.stop()


if __name__ == "__main__":
    main()
