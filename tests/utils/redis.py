"""The Redis of TEST_REDIS_URL for the tests that need one, or a skip that says how to get it."""

from __future__ import annotations

import os

import pytest

REDIS_ENV = "TEST_REDIS_URL"


def redis_url_or_skip() -> str:
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"Redis tests skipped: set {REDIS_ENV} (e.g. redis://localhost:6379/15)")
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis tests skipped: {REDIS_ENV}={url} does not answer ({exc})")
    finally:
        client.close()
    return url
