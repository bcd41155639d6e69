"""The safety advice for an emergency: which kind it is comes from knowledge/rules.yaml (the one place for the safety
vocabulary), the words to say from assistant/texts.py."""

from __future__ import annotations

from assistant import texts
from knowledge.rules import Rules


def advice(normalized: str, rules: Rules) -> str:
    """Plain words on what to do now; when the kind is unclear, the three numbers everyone should know."""
    return texts.EMERGENCY_ADVICE[rules.emergency_kind(normalized)]
