from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from knowledge.loader import GUIDES_DIR, SPECIAL_DIR

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = Path(os.environ.get("CATALOGUE_FILE", REPO.parent / "shared" / "catalogue.json"))


@pytest.fixture(scope="session")
def catalogue_ids() -> set[str]:
    if not CATALOGUE.exists():
        pytest.skip(f"catalogue not found at {CATALOGUE} (set CATALOGUE_FILE)")
    return {service["id"] for service in json.loads(CATALOGUE.read_text(encoding="utf-8"))["services"]}


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of the guides and special-label files."""
    guides, special = tmp_path / "guides", tmp_path / "special"
    shutil.copytree(GUIDES_DIR, guides)
    shutil.copytree(SPECIAL_DIR, special)
    return guides, special
