"""Debian's chromium driven by Playwright: where it is, how it is started, where pictures go, which axe rules run."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"  # gitignored: screenshots and measured figures
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
