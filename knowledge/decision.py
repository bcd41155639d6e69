"""The decision rule: from a question's scores to what the assistant acts on. Explicit, ordered, tested."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, NamedTuple

from knowledge.rules import Rules

EMERGENCY = "emergency"
HUMAN = "human"
OUT_OF_SCOPE = "out_of_scope"
SPECIAL_LABELS = (OUT_OF_SCOPE, HUMAN, EMERGENCY)

Action = Literal["answer", "clarify", "human", "emergency", "out_of_scope"]


@dataclass(frozen=True)
class Thresholds:
    # Safety bias: a modest emergency score is enough, because answering an emergency as routine is the worst error.
    emergency_floor: float = 0.50
    human_floor: float = 0.40
    # Below this the best service is a guess: say so and offer a person rather than answer wrongly.
    confidence_floor: float = 0.10
    # Between the floor and this, or with the top two closer than the margin: ask which one the citizen means.
    clarify_below: float = 0.35
    ambiguity_margin: float = 0.15
    # "Out of scope" wins only by this much over the best service; closer than that, ask.
    out_of_scope_margin: float = 0.05


class Source(StrEnum):
    """What decided: an explicit rule (knowledge/rules.yaml), the classifier's scores, or nothing to go on."""

    RULE = "rule"
    MODEL = "model"
    NONE = "none"  # an empty question


class Scored(NamedTuple):  # a tuple, not a dataclass: every question makes one per label
    id: str
    score: float


@dataclass(frozen=True)
class Decision:
    label: str  # a service id or a special label: what the assistant acts on
    action: Action
    confidence: float
    ranking: tuple[Scored, ...]  # every label, best first
    reason: str  # which step of the rule decided: for logs, the staff summary and tests

    @property
    def source(self) -> Source:
        """Whether a rule decided (an emergency or a request for a person said outright) or the scores did."""
        kind = self.reason.partition(":")[0]
        return Source.RULE if kind == "rule" else Source.NONE if self.reason == "empty" else Source.MODEL

    @property
    def top3(self) -> tuple[Scored, ...]:
        return self.ranking[:3]

    def services(self, n: int = 3) -> tuple[Scored, ...]:
        """The best n services (special labels left out): the choices offered when the assistant asks."""
        return tuple(s for s in self.ranking if s.id not in SPECIAL_LABELS)[:n]


def decide(normalized: str, ranking: tuple[Scored, ...], rules: Rules, limits: Thresholds) -> Decision:
    """Emergency first, then an explicit request for a person, then out of scope, then answer or ask."""
    scores = dict(ranking)

    def made(label: str, action: Action, confidence: float, reason: str) -> Decision:
        return Decision(label, action, round(confidence, 4), ranking, reason)

    if not normalized:
        return made(OUT_OF_SCOPE, "out_of_scope", 1.0, "empty")
    if rules.is_emergency(normalized):
        return made(EMERGENCY, "emergency", 1.0, "rule:emergency")
    if scores.get(EMERGENCY, 0.0) >= limits.emergency_floor and not rules.only_past(normalized):
        return made(EMERGENCY, "emergency", scores[EMERGENCY], "model:emergency")
    if rules.asks_for_person(normalized):
        return made(HUMAN, "human", 1.0, "rule:human")
    if scores.get(HUMAN, 0.0) >= limits.human_floor:
        return made(HUMAN, "human", scores[HUMAN], "model:human")
    best, runner_up = _two_best(ranking)
    outside = scores.get(OUT_OF_SCOPE, 0.0)
    if outside > best.score + limits.out_of_scope_margin:
        return made(OUT_OF_SCOPE, "out_of_scope", outside, "model:out_of_scope")
    if best.score < limits.confidence_floor:
        return made(OUT_OF_SCOPE, "out_of_scope", best.score, "low-confidence")
    if outside > best.score:
        return made(best.id, "clarify", best.score, "maybe-out-of-scope")
    if best.score < limits.clarify_below or best.score - runner_up.score < limits.ambiguity_margin:
        return made(best.id, "clarify", best.score, "unsure")
    return made(best.id, "answer", best.score, "model:service")


def _two_best(ranking: tuple[Scored, ...]) -> tuple[Scored, Scored]:
    services = [s for s in ranking if s.id not in SPECIAL_LABELS]
    return services[0], services[1]
