from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.settings import get_settings


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, model_dir: Path, tmp_path: Path, fresh_db_url: str) -> Iterator[CliRunner]:
    """The command line, using the test run's cached model, a scratch data folder and a fresh database."""
    monkeypatch.setenv("MODEL_DIR", str(model_dir))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", fresh_db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()
