"""The limiters: failed logins counted per (name, address) and per address, never per name alone, each further
failure waiting twice as long up to a cap; public requests per address, within a sliding window; the same rules in
one process and, through Redis, across workers."""

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


# Three free failures per (name, address), twelve per address; then 10 s, 20 s, 40 s, and never more than 40 s.
LOGIN_RULE = {"max_failures": 3, "window_seconds": 600, "backoff_seconds": 10, "backoff_max_seconds": 40}


@pytest.fixture(params=["in memory", "shared in Redis"])
def limiter(request, clock: Clock):
    if request.param == "in memory":
        yield LoginLimiter(**LOGIN_RULE, clock=clock)
        return
    from api.shared_limits import SharedLoginLimiter

    shared = SharedLoginLimiter(request.getfixturevalue("redis_url"), **LOGIN_RULE,
                                prefix=request.getfixturevalue("redis_prefix"), clock=clock)
    yield shared
    shared.close()


def fail(limiter, username: str, address: str, times: int = 1) -> None:
    """Failed logins: each let through, and never succeeding."""
    for _ in range(times):
        assert limiter.begin(username, address).wait == 0


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


def test_a_name_failing_from_an_address_waits_longer_after_each_further_failure(limiter, clock):
    fail(limiter, "wangfang", "10.0.0.1", times=3)
    assert limiter.begin("wangfang", "10.0.0.1").wait == 10
    assert limiter.begin("WangFang ", "10.0.0.1").wait == 10  # the name as meant, not as typed
    clock.now += 10
    fail(limiter, "wangfang", "10.0.0.1")
    assert limiter.begin("wangfang", "10.0.0.1").wait == 20
    clock.now += 20
    fail(limiter, "wangfang", "10.0.0.1")
    assert limiter.begin("wangfang", "10.0.0.1").wait == 40
    clock.now += 40
    fail(limiter, "wangfang", "10.0.0.1")
    assert limiter.begin("wangfang", "10.0.0.1").wait == 40  # the cap


def test_failures_of_a_name_from_one_address_do_not_slow_it_from_another(limiter):
    """A stranger failing on purpose for wangfang cannot lock wangfang out: only the stranger's address waits."""
    fail(limiter, "wangfang", "203.0.113.7", times=3)
    assert limiter.begin("wangfang", "203.0.113.7").wait > 0
    assert limiter.begin("wangfang", "10.0.0.1").wait == 0


def test_an_address_trying_many_names_waits_as_a_whole(limiter):
    for n in range(12):
        fail(limiter, f"name{n}", "10.0.0.9")
    assert limiter.begin("name99", "10.0.0.9").wait == 10
    assert limiter.begin("name99", "10.0.0.8").wait == 0


def test_failures_are_forgotten_after_the_window(limiter, clock):
    fail(limiter, "wangfang", "10.0.0.1", times=3)
    clock.now += LOGIN_RULE["window_seconds"]
    assert limiter.begin("wangfang", "10.0.0.1").wait == 0


def test_a_success_forgets_the_names_failures_from_that_address(limiter):
    fail(limiter, "wangfang", "10.0.0.1", times=2)
    limiter.succeeded(limiter.begin("wangfang", "10.0.0.1"))
    fail(limiter, "wangfang", "10.0.0.1", times=2)
    assert limiter.begin("wangfang", "10.0.0.1").wait == 0


def test_a_success_does_not_wipe_what_the_address_failed_for_other_names(limiter):
    """A guesser with one account of their own cannot reset their address's count by logging in."""
    for n in range(11):
        fail(limiter, f"name{n}", "10.0.0.9")
    limiter.succeeded(limiter.begin("mine", "10.0.0.9"))
    fail(limiter, "name11", "10.0.0.9")
    assert limiter.begin("name12", "10.0.0.9").wait > 0


def test_successful_logins_are_not_counted_against_an_office_address(limiter):
    for n in range(30):  # a whole office logging in at nine from one address
        limiter.succeeded(limiter.begin(f"officer{n}", "10.0.0.1"))
    assert limiter.begin("late", "10.0.0.1").wait == 0


def test_attempts_still_being_checked_count_already(limiter):
    """Guesses sent in parallel: each is counted as it is let through, not when its password check ends."""
    in_flight = [limiter.begin("wangfang", "10.0.0.1") for _ in range(3)]
    assert all(attempt.wait == 0 for attempt in in_flight)
    assert limiter.begin("wangfang", "10.0.0.1").wait > 0


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
    assert login.begin("wangfang", "10.0.0.1").wait == 0
    assert login.begin("wangfang", "10.0.0.1").wait > 0
