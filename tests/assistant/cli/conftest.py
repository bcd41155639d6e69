from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.settings import get_settings


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, model_dir: Path, tmp_path: Path) -> Iterator[CliRunner]:
    """The command line, using the test run's cached model and a scratch data folder."""
    monkeypatch.setenv("MODEL_DIR", str(model_dir))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()
