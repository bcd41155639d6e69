"""Explicit rules that come before the classifier: a clear emergency, an explicit request for a person."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.loader import PACKAGE_DIR

RULES_FILE = PACKAGE_DIR / "rules.yaml"


@dataclass(frozen=True)
class Rules:
    emergency: re.Pattern[str]
    past: re.Pattern[str]
    now: re.Pattern[str]
    human: re.Pattern[str]
    advice: tuple[tuple[str, re.Pattern[str]], ...] = ()  # emergency kinds, in the order they are tried

    @classmethod
    def load(cls, path: Path = RULES_FILE) -> Rules:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        def joined(key: str) -> re.Pattern[str]:
            return re.compile("|".join(f"(?:{p})" for p in data[key]))

        advice = tuple((kind, re.compile(pattern)) for kind, pattern in (data.get("advice") or {}).items())
        return cls(joined("emergency"), joined("past"), joined("now"), joined("human"), advice=advice)

    def emergency_kind(self, normalized: str) -> str:
        """Which safety advice fits: the first kind whose words appear, else "general"."""
        return next((kind for kind, pattern in self.advice if pattern.search(normalized)), "general")

    def is_emergency(self, normalized: str) -> bool:
        return self.emergency.search(normalized) is not None and not self.only_past(normalized)

    def only_past(self, normalized: str) -> bool:
        """Talks about something that happened before, and of nothing happening now."""
        return self.past.search(normalized) is not None and self.now.search(normalized) is None

    def asks_for_person(self, normalized: str) -> bool:
        return self.human.search(normalized) is not None
