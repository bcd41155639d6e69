"""Officers' replies reach the citizen's Telegram chat within 2 s in every documented process layout, measured with
real processes (`citizen-help serve`, and `citizen-help bot` polling) against the stand-in of the Bot API server:
one process; `serve` and `bot` apart without Redis (`serve` with or without the bot token); and, with Redis
(TEST_REDIS_URL), `serve` and `bot` apart or `serve --workers 2`. bench/telegram_delivery.py prints the same
figures with more replies."""

from __future__ import annotations

import statistics

import pytest

from bench.telegram_delivery import LAYOUTS, figures, reply_delays, running_layout

REPLIES = 3
LIMIT = 2.0  # seconds, officer reply call to the message at Telegram


def measured(name: str, folder, model_dir, redis_url: str = "") -> list[float]:
    with running_layout(LAYOUTS[name], folder, model_dir=model_dir, redis_url=redis_url) as stand:
        delays = reply_delays(stand, REPLIES)
    print(figures(name, delays))  # in the test's output
    return delays


@pytest.mark.parametrize("name", [name for name, layout in LAYOUTS.items() if not layout.redis],
                         ids=lambda name: name.replace(" + ", "-and-").replace(" ", "-"))
def test_officer_replies_reach_the_chat_within_two_seconds(name, matcher, model_dir, tmp_path):
    """`matcher` makes sure the cached model exists, so the processes only load it."""
    delays = measured(name, tmp_path, model_dir)

    assert len(delays) == REPLIES
    assert max(delays) < LIMIT, f"{name}: {[round(d, 2) for d in delays]} s"
    assert statistics.median(delays) < LIMIT / 2


@pytest.mark.redis
@pytest.mark.parametrize("name", [name for name, layout in LAYOUTS.items() if layout.redis],
                         ids=lambda name: name.replace(" + ", "-and-").replace(" ", "-"))
def test_officer_replies_reach_the_chat_within_two_seconds_with_redis(name, matcher, model_dir, tmp_path, redis_url):
    delays = measured(name, tmp_path, model_dir, redis_url)

    assert max(delays) < LIMIT, f"{[round(d, 2) for d in delays]} s"
