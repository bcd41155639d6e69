"""The matcher's own emergency figures, on an eval set of its own (tests/knowledge/data/emergency_eval.jsonl):
emergencies of every kind, worded as callers word them, and service questions that mention a past event or an
emergency word ("我中过一次风，想申请居家养老服务"). Run it by hand with
`citizen-help eval tests/knowledge/data/emergency_eval.jsonl`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge import evaluate
from knowledge.decision import EMERGENCY
from knowledge.loader import KnowledgeBase
from knowledge.matcher import Matcher
from knowledge.normalize import normalize

EVAL_FILE = Path(__file__).parent / "data" / "emergency_eval.jsonl"
SHARED_EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev.jsonl"
MIN_RECALL, MIN_PRECISION = 0.98, 0.95
MIN_EACH = 80


@pytest.fixture(scope="module")
def examples(kb: KnowledgeBase) -> list[evaluate.Example]:
    return evaluate.read_examples(EVAL_FILE, kb.labels)


def test_the_set_holds_enough_of_both_sides(examples: list[evaluate.Example]) -> None:
    emergencies = sum(e.label == EMERGENCY for e in examples)
    assert emergencies >= MIN_EACH and len(examples) - emergencies >= MIN_EACH


def test_no_question_of_the_set_is_one_the_matcher_learned_from(examples, kb: KnowledgeBase) -> None:
    """Figures on questions the model was trained on would say nothing."""
    trained = {normalize(q) for q in kb.training_pairs()[0]}
    shared = ({normalize(json.loads(line)["text"]) for line in SHARED_EVAL.read_text(encoding="utf-8").splitlines()
               if line.strip()} if SHARED_EVAL.exists() else set())
    assert [e.text for e in examples if normalize(e.text) in trained | shared] == []


def test_emergency_recall_and_precision_meet_their_targets(examples, matcher: Matcher) -> None:
    summary = evaluate.summarise(evaluate.run(examples, matcher.decide))
    figures = summary["per_label"][EMERGENCY]
    missed = [e.text for e in examples if e.label == EMERGENCY and matcher.decide(e.text).label != EMERGENCY]
    false_alarms = [e.text for e in examples if e.label != EMERGENCY and matcher.decide(e.text).label == EMERGENCY]
    assert figures["recall"] >= MIN_RECALL, missed
    assert figures["precision"] >= MIN_PRECISION, false_alarms
