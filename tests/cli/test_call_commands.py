"""`citizen-help call`: the hotline in the terminal, walking the same webhook routes a carrier would."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from knowledge.loader import KnowledgeBase
from voice import prompts


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, cli: CliRunner) -> CliRunner:
    monkeypatch.setenv("GTTS_ENABLED", "false")  # no network from a test
    return cli


def test_a_call_in_the_terminal_greets_answers_and_reads_the_menu(offline: CliRunner, kb: KnowledgeBase) -> None:
    result = offline.invoke(app, ["call", "--caller", "+8613812345678"], input="身份证到期了怎么换\n2\nq\n")
    assert result.exit_code == 0, result.output
    guide = kb.guides["id-card-renewal"]
    assert "模拟来电：138****5678" in result.output
    assert f"热线：{prompts.GREETING}" in result.output
    assert f"热线：{guide.short_answer}" in result.output
    assert "热线：按1重听，按2听材料，按3听地址，按0找人工。" in result.output
    assert f"办“{guide.title}”要带" in result.output
    assert result.output.rstrip().endswith("（通话结束）")


def test_silence_is_an_empty_line_and_the_callback_offer_is_heard(offline: CliRunner) -> None:
    result = offline.invoke(app, ["call", "--scratch"], input="\n0\n1\n")
    assert result.exit_code == 0, result.output
    assert f"热线：{prompts.REPROMPT}" in result.output
    assert "按1登记回电，按2不用。" in result.output
    assert "已经登记了" in result.output
    assert f"热线：{prompts.GOODBYE}" in result.output


def test_scratch_leaves_the_configured_database_alone(offline: CliRunner, tmp_path: Path) -> None:
    result = offline.invoke(app, ["call", "--scratch"], input="人工\n")
    assert "现在没有工作人员值班" in result.output  # handed over, on a throwaway database
    assert not (tmp_path / "data" / "citizen-help.db").exists()
