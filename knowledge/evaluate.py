"""Score the matcher on a labelled question file, as the eval contract in DESIGN.md defines it."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.decision import SPECIAL_LABELS, Decision


class EvalFileError(Exception):
    """The eval file cannot be used; the message names the line."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str


def read_examples(path: Path, known_labels: Iterable[str]) -> list[Example]:
    known = set(known_labels)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise EvalFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalFileError(f"{path}: cannot read: {exc}") from None
    examples = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFileError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not isinstance(row.get("label"), str):
            raise EvalFileError(f'{path}:{number}: expected {{"text": "...", "label": "..."}}')
        if row["label"] not in known:
            raise EvalFileError(f"{path}:{number}: unknown label '{row['label']}'")
        examples.append(Example(row["text"], row["label"]))
    if not examples:
        raise EvalFileError(f"{path}: no questions in the file")
    return examples


@dataclass(frozen=True)
class Outcome:
    example: Example
    decision: Decision
    seconds: float


def run(examples: list[Example], decide: Callable[[str], Decision]) -> list[Outcome]:
    outcomes = []
    for example in examples:
        start = time.perf_counter()
        decision = decide(example.text)
        outcomes.append(Outcome(example, decision, time.perf_counter() - start))
    return outcomes


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    """The contract's JSON object: n, top1, top3, accuracy, per_label, latency_ms."""
    services = [o for o in outcomes if o.example.label not in SPECIAL_LABELS]
    top1 = sum(o.decision.top3[0].id == o.example.label for o in services)
    top3 = sum(o.example.label in {s.id for s in o.decision.top3} for o in services)
    accuracy = sum(o.decision.label == o.example.label for o in outcomes)
    per_label = {}
    for label in SPECIAL_LABELS:
        predicted = sum(o.decision.label == label for o in outcomes)
        actual = sum(o.example.label == label for o in outcomes)
        both = sum(o.decision.label == label == o.example.label for o in outcomes)
        per_label[label] = {
            "precision": _ratio(both, predicted),
            "recall": _ratio(both, actual),
            "support": actual,
        }
    ms = np.array([o.seconds * 1000 for o in outcomes])
    return {
        "n": len(outcomes),
        "top1": _ratio(top1, len(services)),
        "top3": _ratio(top3, len(services)),
        "accuracy": _ratio(accuracy, len(outcomes)),
        "per_label": per_label,
        "latency_ms": {"p50": round(float(np.percentile(ms, 50)), 3), "p99": round(float(np.percentile(ms, 99)), 3)},
    }


def confusions(outcomes: list[Outcome], limit: int = 15) -> list[tuple[str, str, int]]:
    """The most frequent (expected, decided) mistakes."""
    pairs = Counter((o.example.label, o.decision.label) for o in outcomes if o.decision.label != o.example.label)
    return [(gold, got, n) for (gold, got), n in pairs.most_common(limit)]
