"""The limiters: failed logins counted per name and per address, public requests per address, within a sliding
window; the same rules in one process and, through Redis, across workers."""

from __future__ import annotations

import pytest

from api.ratelimit import LoginLimiter, RequestLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["in memory", "shared in Redis"])
def limiter(request, clock: Clock):
    if request.param == "in memory":
        yield LoginLimiter(max_failures=3, window_seconds=60, clock=clock)
        return
    from api.shared_limits import SharedLoginLimiter

    shared = SharedLoginLimiter(request.getfixturevalue("redis_url"), 3, 60,
                                prefix=request.getfixturevalue("redis_prefix"), clock=clock)
    yield shared
    shared.close()


@pytest.fixture(params=["in memory", "shared in Redis"])
def make_public_limiter(request, clock: Clock):
    """Limiters of two requests a minute; with Redis, each call is another worker sharing the count."""
    made = []

    def make():
        if request.param == "in memory":
            limiter = made[0] if made else RequestLimiter(2, 60, clock=clock)
        else:
            from api.shared_limits import SharedRequestLimiter

            limiter = SharedRequestLimiter(request.getfixturevalue("redis_url"), 2, 60,
                                           prefix=request.getfixturevalue("redis_prefix"), clock=clock)
        made.append(limiter)
        return limiter

    yield make


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


async def test_an_address_over_its_requests_waits_for_the_oldest_to_leave_the_window(make_public_limiter, clock):
    first_worker, second_worker = make_public_limiter(), make_public_limiter()
    assert await first_worker.take("10.0.0.1") == 0
    clock.now += 20
    assert await second_worker.take("10.0.0.1") == 0
    assert await first_worker.take("10.0.0.1") == 40  # counted together: the third within the minute waits
    assert await second_worker.take("10.0.0.2") == 0  # another address has its own count
    clock.now += 40
    assert await second_worker.take("10.0.0.1") == 0


async def test_without_redis_each_worker_still_limits_on_its_own(clock):
    from api.shared_limits import SharedLoginLimiter, SharedRequestLimiter

    public = SharedRequestLimiter("redis://127.0.0.1:1/0", 1, 60, clock=clock)  # nothing listens on port 1
    assert await public.take("10.0.0.1") == 0
    assert await public.take("10.0.0.1") > 0
    login = SharedLoginLimiter("redis://127.0.0.1:1/0", 1, 60, clock=clock)
    login.failed("wangfang", "10.0.0.1")
    assert login.wait_seconds("wangfang", "10.0.0.1") > 0
