"""`citizen-help ask` and `citizen-help eval` as the eval contract in DESIGN.md defines them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import app

SAMPLE = [
    {"text": "身份证丢了咋补", "label": "id-card-lost"},
    {"text": "俺要转人工", "label": "human"},
    {"text": "家里煤气味好大", "label": "emergency"},
    {"text": "明天会下雨吗", "label": "out_of_scope"},
    {"text": "养老金认证咋弄", "label": "pension-qualification-cert"},
]


@pytest.fixture
def eval_file(tmp_path: Path) -> Path:
    path = tmp_path / "sample.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in SAMPLE) + "\n", encoding="utf-8")
    return path


def test_eval_json_is_one_object_on_the_last_line(cli, matcher, eval_file):
    result = cli.invoke(app, ["eval", str(eval_file), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["n"] == len(SAMPLE)
    assert {"top1", "top3", "accuracy", "per_label", "latency_ms"} <= set(summary)
    assert 0 <= summary["top1"] <= summary["top3"] <= 1
    assert set(summary["per_label"]) == {"out_of_scope", "human", "emergency"}
    assert all({"precision", "recall"} <= set(v) for v in summary["per_label"].values())
    assert set(summary["latency_ms"]) == {"p50", "p99"}


def test_eval_table_names_the_measures(cli, matcher, eval_file):
    result = cli.invoke(app, ["eval", str(eval_file)])
    assert result.exit_code == 0, result.output
    assert "top1" in result.stdout and "latency" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "身份证丢了", "label": "id-card-lost"}\n{"text": broken\n', ":2: not valid JSON"),
        ('{"text": "身份证丢了", "label": "lost-card"}\n', ":1: unknown label 'lost-card'"),
        ('["身份证丢了", "id-card-lost"]\n', ':1: expected {"text"'),
        ("\n\n", "no questions"),
    ],
)
def test_bad_eval_file_is_a_one_line_error_with_exit_code_2(cli, matcher, tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    result = cli.invoke(app, ["eval", str(path), "--json"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_eval_file_is_exit_code_2(cli, matcher, tmp_path):
    result = cli.invoke(app, ["eval", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_ask_prints_decision_top3_and_short_answer(cli, matcher, kb):
    result = cli.invoke(app, ["ask", "身份证丢了咋补"])
    assert result.exit_code == 0, result.output
    assert "id-card-lost" in result.stdout
    assert kb.guides["id-card-lost"].short_answer[:10] in result.stdout.replace("\n", "")


def test_eval_reports_the_emergency_figures_of_the_emergency_set(cli, matcher):
    """`citizen-help eval tests/knowledge/data/emergency_eval.jsonl --json`: emergency recall and precision apart."""
    from tests.knowledge.test_emergency_eval import EVAL_FILE, MIN_PRECISION, MIN_RECALL

    result = cli.invoke(app, ["eval", str(EVAL_FILE), "--json"])
    assert result.exit_code == 0, result.output
    emergency = json.loads(result.stdout.strip().splitlines()[-1])["per_label"]["emergency"]
    assert emergency["recall"] >= MIN_RECALL and emergency["precision"] >= MIN_PRECISION
    assert emergency["support"] >= 80
