"""The login limiter: failures counted per name and per address, within a sliding window."""

from __future__ import annotations

import pytest

from api.ratelimit import LoginLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limiter(clock: Clock) -> LoginLimiter:
    return LoginLimiter(max_failures=3, window_seconds=60, clock=clock)


def test_a_name_waits_after_its_failures_until_the_oldest_leaves_the_window(limiter, clock):
    for _ in range(3):
        assert limiter.wait_seconds("wangfang", "10.0.0.1") == 0
        limiter.failed("wangfang", "10.0.0.1")
        clock.now += 10
    assert limiter.wait_seconds("wangfang", "10.0.0.2") == 30  # from another address too
    assert limiter.wait_seconds("WangFang ", "10.0.0.1") == 30  # the name as typed
    clock.now += 30
    assert limiter.wait_seconds("wangfang", "10.0.0.1") == 0


def test_an_address_trying_many_names_waits_too(limiter):
    for n in range(12):
        limiter.failed(f"name{n}", "10.0.0.9")
    assert limiter.wait_seconds("name99", "10.0.0.9") > 0
    assert limiter.wait_seconds("name99", "10.0.0.8") == 0


def test_a_success_forgets_the_names_failures(limiter):
    limiter.failed("wangfang", "10.0.0.1")
    limiter.failed("wangfang", "10.0.0.1")
    limiter.succeeded("wangfang", "10.0.0.1")
    limiter.failed("wangfang", "10.0.0.1")
    assert limiter.wait_seconds("wangfang", "10.0.0.1") == 0
