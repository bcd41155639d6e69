"""The neutral message types every channel speaks: one Incoming in (what was said: a small typed union), Replies
out (text, numbered choices, flags); assistant/turn.py wraps them in the Turn a channel renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ReplyKind = Literal[
    "greeting", "answer", "detail", "clarify", "miss", "offer_person", "out_of_scope", "emergency", "queue",
    "relayed", "callback", "feedback", "bad_input", "smalltalk", "system", "silence", "checklist",
    # "left": the citizen left the queue; "goodbye": a farewell (the phone ends the call on it);
    # "emergency_call": the phone's own emergency step (advice, number, then transfer / repeat / hang up).
    "left", "goodbye", "emergency_call",
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


# --- what a citizen can send: one of these, in an Incoming ---

@dataclass(frozen=True)
class Text:
    """Words typed, or heard by the channel's speech recogniser."""

    text: str


@dataclass(frozen=True)
class Tap:
    """A choice tapped or pressed. label: the words of the button as the message that offered it showed them (the
    words then count when that message's choices are no longer the current ones); empty for a key alone."""

    key: str
    label: str = ""


@dataclass(frozen=True)
class Silence:
    """A voice channel's prompt timed out with nothing said."""


@dataclass(frozen=True)
class Start:
    """A new conversation, opened with a greeting. resume: a messenger's /start, which goes on with the citizen's
    latest conversation while a case of it is open."""

    resume: bool = False


@dataclass(frozen=True)
class SharedContact:
    """The sender's own phone number, vouched for by the channel (a messenger's shared contact)."""

    phone: str
    proof: str = "telegram_contact"


@dataclass(frozen=True)
class LinkCodeWanted:
    """A one-time code to type on another channel, so both are known as this citizen."""


@dataclass(frozen=True)
class LinkCodeTyped:
    """A code shown on another channel, typed here."""

    code: str


@dataclass(frozen=True)
class Unreadable:
    """Something the channel cannot pass on (a photo, a voice note it cannot transcribe): kind names it
    (a key of assistant.texts.UNREADABLE). with_words: words were sent with it (a photo's caption), which the
    channel passes on next, as the citizen's own message."""

    kind: str
    with_words: bool = False


@dataclass(frozen=True)
class NobodyAnswered:
    """A live hand-over failed: the person the channel put the citizen through to did not pick up."""


@dataclass(frozen=True)
class ReadBack:
    """What was last said to the citizen, again (to read it aloud); nothing is stored."""


Said = (Text | Tap | Silence | Start | SharedContact | LinkCodeWanted | LinkCodeTyped | Unreadable | NobodyAnswered
        | ReadBack)


@dataclass(frozen=True)
class Incoming:
    """What a citizen sent on some channel.
    conversation_id: the conversation it belongs to, when the channel names one (the web page, a call); otherwise
    the sender's latest on the channel. contact: a number the channel itself verified for the sender (the carrier's
    caller id), never one typed. once: the request's key when the channel may send it again (a retry): the engine
    then handles it only once."""

    channel: str
    sender_id: str
    said: Said
    conversation_id: str | None = None
    contact: VerifiedContact | None = None
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
