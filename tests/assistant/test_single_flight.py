"""FreshValue: computed at most once per period, and by one caller at a time when many ask at once."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.single_flight import FreshValue


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_callers_arriving_during_a_computation_wait_for_it_and_share_its_result():
    value: FreshValue[int] = FreshValue(60)
    calls, results = [], []
    entered = threading.Event()

    def compute() -> int:
        calls.append(1)
        entered.set()
        time.sleep(0.3)  # the others arrive meanwhile
        return len(calls)

    threads = [threading.Thread(target=lambda: results.append(value.get(compute))) for _ in range(8)]
    threads[0].start()
    assert entered.wait(5)
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1] and results == [1] * 8


def test_a_fresh_value_is_not_computed_again_and_a_stale_one_is():
    clock = Clock()
    value: FreshValue[float] = FreshValue(60, clock=clock)
    assert value.get(lambda: 1.0) == 1.0
    clock.now = 59.9
    assert value.get(lambda: 2.0) == 1.0
    clock.now = 60.0
    assert value.get(lambda: 3.0) == 3.0


def test_a_failed_computation_leaves_the_next_caller_to_try_again():
    value: FreshValue[int] = FreshValue(60)

    def broken() -> int:
        raise RuntimeError("database away")

    with pytest.raises(RuntimeError):
        value.get(broken)
    assert value.get(lambda: 7) == 7
