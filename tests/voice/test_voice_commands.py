"""`citizen-help voice warm` renders every guide's short answer and the fixed prompts; `voice say` renders one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.settings import get_settings
from cli import app
from knowledge.loader import KnowledgeBase
from voice.prompts import PROMPTS

runner = CliRunner()


@pytest.fixture
def voice_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audio_tools: None) -> Iterator[Path]:
    """The commands' settings: a fresh cache and the offline voice only."""
    monkeypatch.setenv("VOICE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("GTTS_ENABLED", "false")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.mark.slow
def test_warm_renders_every_short_answer_and_prompt_then_hits_the_cache(voice_cache: Path, kb: KnowledgeBase,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEURAL_VOICE_ENABLED", "false")  # about the cache: the quicker voice renders the 70 texts
    get_settings.cache_clear()
    texts = {*PROMPTS.values(), *(guide.short_answer for guide in kb.guides.values())}
    first = runner.invoke(app, ["voice", "warm", "--format", "wav8k"])
    assert first.exit_code == 0, first.output
    assert "cache hit rate 0%" in first.output
    assert len(list(voice_cache.glob("*.wav"))) == len(texts)
    second = runner.invoke(app, ["voice", "warm", "--format", "wav8k"])
    assert "cache hit rate 100%" in second.output


def test_say_prints_the_path_of_the_rendered_file(voice_cache: Path) -> None:
    result = runner.invoke(app, ["voice", "say", "您好，再见。", "--format", "ogg_opus"])
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.parent == voice_cache and path.suffix == ".ogg" and path.stat().st_size > 0


def test_an_unknown_format_is_refused_before_any_work(voice_cache: Path) -> None:
    result = runner.invoke(app, ["voice", "warm", "--format", "flac"])
    assert result.exit_code == 2
    assert "unknown format flac" in result.output
    assert list(voice_cache.iterdir()) == []
