"""The crash test, small: a real server SIGKILLed under load and restarted loses nothing it acknowledged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from knowledge.matcher import Matcher

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "crash_test.py"


def test_a_killed_server_loses_no_acknowledged_message_or_case(matcher: Matcher, model_dir: Path):
    """`matcher` makes sure the cached model exists, so the server only loads it."""
    result = subprocess.run([sys.executable, str(SCRIPT), "--clients", "4", "--seconds", "4", "--down", "0.3",
                             "--model-dir", str(model_dir)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "NOTHING LOST" in result.stdout
    assert "killed the server (SIGKILL)" in result.stdout
