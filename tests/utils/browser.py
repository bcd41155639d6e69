"""Debian's chromium driven by Playwright: where it is, how it is started, where pictures go, which axe rules run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
# Screenshots and measured figures: outside the repository (the suite writes nothing into it), kept after the run.
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR") or Path(tempfile.gettempdir()) / "citizen-help-test-artifacts")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
