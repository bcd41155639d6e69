"""The crash test, small: a real server SIGKILLed with requests in flight, then restarted; the clients send what was
cut off again with the same Idempotency-Key. It must have cut requests off, and the database must hold everything
acknowledged, nothing twice. On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (CI sets it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.matcher import Matcher
from tests.utils.db import POSTGRES_ENV

ROOT = Path(__file__).resolve().parents[2]


def crash_test(model_dir: Path, *options: str, env: dict[str, str] | None = None) -> dict:
    """`python -m bench.crash_test` from the repository's root, as documented; its figures."""
    command = [sys.executable, "-m", "bench.crash_test", "--clients", "6", "--seconds", "4", "--down", "0.3",
               "--model-dir", str(model_dir), "--json", *options]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, **(env or {})})
    print(result.stdout)  # the figures, in the test's output
    assert result.returncode == 0, result.stdout + result.stderr
    assert "NOTHING LOST, NOTHING TWICE" in result.stdout
    assert "killed the server (SIGKILL)" in result.stdout
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_proves_something(figures: dict) -> None:
    assert figures["cut by the kill"] >= 1  # a kill of an idle server would prove nothing
    assert figures["cut, sent again and answered"] == figures["cut by the kill"]
    assert figures["never answered"] == 0
    for what in ("conversations", "cases"):
        assert figures[f"{what} found"] == figures[f"{what} acknowledged"] > 0
    assert figures["messages found unchanged"] == figures["messages acknowledged"] > 0
    assert figures["conversations stored twice"] == figures["citizen messages stored twice"] == 0
    assert figures["conversations with more than one case"] == 0


def test_a_server_killed_with_requests_in_flight_loses_nothing_and_stores_nothing_twice_sqlite(
        matcher: Matcher, model_dir: Path):
    """`matcher` makes sure the cached model exists, so the server only loads it."""
    assert_proves_something(crash_test(model_dir))


@pytest.mark.postgres
def test_a_server_killed_with_requests_in_flight_loses_nothing_and_stores_nothing_twice_postgresql(
        matcher: Matcher, model_dir: Path):
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL crash test skipped: set {POSTGRES_ENV}")
    figures = crash_test(model_dir, "--backend", "postgresql", env={"BENCH_DATABASE_URL": url})
    assert figures["backend"] == "postgresql"
    assert_proves_something(figures)
