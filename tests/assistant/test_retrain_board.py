"""The retraining board: one retraining at a time, and the same progress for whoever asks, in this process or shared
by every worker through Redis; a worker that died mid-training does not leave it "running" for ever."""

from __future__ import annotations

import logging
import time

import pytest

from assistant.retrain_board import LocalBoard, RedisBoard

RUNNING = {"state": "running", "stage": "分析问法", "percent": 40, "started_by": "zuzhang"}
DONE = {**RUNNING, "state": "done", "stage": "完成", "percent": 100}


@pytest.fixture(params=["in this process", "shared in Redis"])
def board(request):
    if request.param == "in this process":
        yield LocalBoard()
        return
    shared = RedisBoard(request.getfixturevalue("redis_url"), prefix=request.getfixturevalue("redis_prefix"))
    yield shared
    shared.close()


def test_nothing_posted_reads_as_none(board):
    assert board.read() is None


def test_one_retraining_at_a_time_then_another(board):
    assert board.claim(RUNNING)
    assert not board.claim({**RUNNING, "started_by": "someone else"})
    assert board.read() == RUNNING
    board.post(DONE)
    assert board.read() == DONE
    assert board.claim(RUNNING)


@pytest.mark.redis
def test_every_worker_reads_the_same_progress_and_waits_its_turn(redis_url, redis_prefix):
    first, second = (RedisBoard(redis_url, prefix=redis_prefix) for _ in range(2))
    try:
        assert first.claim(RUNNING)
        assert not second.claim(RUNNING)
        first.post({**RUNNING, "percent": 70})
        assert second.read()["percent"] == 70
        first.post(DONE)
        assert second.read() == DONE and second.claim(RUNNING)
    finally:
        first.close()
        second.close()


@pytest.mark.redis
def test_a_retraining_whose_worker_died_reads_as_failed_and_frees_the_board(redis_url, redis_prefix):
    board = RedisBoard(redis_url, prefix=redis_prefix, running_ttl=1)
    try:
        assert board.claim(RUNNING)
        time.sleep(1.2)  # the worker never posted again: its claim ran out
        assert board.read()["state"] == "failed" and "中断" in board.read()["error"]
        assert board.claim(RUNNING)
    finally:
        board.close()


def test_without_redis_the_board_works_in_this_worker_and_says_so(caplog):
    board = RedisBoard("redis://127.0.0.1:1/0", timeout=0.2)  # nothing listens on port 1
    with caplog.at_level(logging.WARNING, logger="citizen_help.retraining"):
        assert board.claim(RUNNING)
        assert not board.claim(RUNNING)
        board.post(DONE)
        assert board.read() == DONE
    assert "Redis error" in caplog.text
    board.close()
