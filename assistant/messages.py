"""The neutral message types every channel speaks: one Incoming in, a list of Reply out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ReplyKind = Literal[
    "greeting", "answer", "detail", "clarify", "miss", "offer_person", "out_of_scope", "emergency", "queue",
    "relayed", "callback", "feedback", "bad_input", "smalltalk", "system", "silence", "checklist",
]


@dataclass(frozen=True)
class Once:
    """A request that must take effect once, however often it is sent: its key within a scope (a conversation, a
    call), and a digest of what it asked, so the same key asking something else is refused (None: not compared)."""

    scope: str
    key: str
    digest: str | None = None


@dataclass(frozen=True)
class VerifiedContact:
    """A phone number the channel itself vouches for, and how (assistant/identity.py Proof): never one typed."""

    phone: str
    proof: str


@dataclass(frozen=True)
class Incoming:
    """What a citizen sent on some channel; meta carries channel extras (a tapped choice key, a conversation id,
    a VerifiedContact under "contact").
    once: the request's key when the channel may send it again (a retry): the engine then handles it only once."""

    channel: str
    sender_id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    once: Once | None = None


@dataclass(frozen=True)
class Choice:
    """A numbered option: a button on screens, a keypad digit on the phone."""

    key: str  # "1".."9", "0" is always the way to a person
    label: str
    action: str  # what picking it means to the engine, e.g. "detail:materials", "pick:id-card-renewal", "human"

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "label": self.label, "action": self.action}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Choice:
        return cls(data["key"], data["label"], data["action"])


@dataclass(frozen=True)
class Reply:
    text: str
    kind: ReplyKind = "answer"
    choices: tuple[Choice, ...] = ()
    speakable: bool = True  # can be read aloud as it is
    priority: bool = False  # an emergency: channels show or say it first and loudest

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "choices": [c.to_dict() for c in self.choices],
                "speakable": self.speakable, "priority": self.priority}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        choices = tuple(Choice.from_dict(c) for c in data.get("choices") or ())
        return cls(data["text"], data.get("kind", "answer"), choices, data.get("speakable", True),
                   data.get("priority", False))
