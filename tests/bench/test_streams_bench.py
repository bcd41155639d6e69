"""The streams benchmark, small: a server limited to 256 descriptors keeps answering citizens while one client
tries to hold 300 event streams open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from knowledge.matcher import Matcher

ROOT = Path(__file__).resolve().parents[2]


def test_ordinary_requests_succeed_while_one_address_tries_to_hold_300_streams(matcher: Matcher, model_dir: Path):
    """`matcher` makes sure the cached model exists, so the server only loads it."""
    result = subprocess.run([sys.executable, "-m", "bench.streams", "--streams", "300", "--fd-limit", "256",
                             "--requests", "5", "--model-dir", str(model_dir)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "200 x20, 429 x280" in result.stdout
    assert "5/5 succeeded" in result.stdout
