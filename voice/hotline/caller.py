"""What the carrier tells us about a call: who is calling, and what they said or pressed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.messages import Incoming
from assistant.privacy import parse_phone

CHANNEL = "phone"
# What carriers put in From when the caller hides their number (Twilio: "+266696687", others a word).
WITHHELD = {"", "anonymous", "restricted", "unknown", "unavailable", "private", "+266696687"}
_NOT_A_KEY = re.compile(r"[^0-9*#]")
MAX_KEYS = 32


@dataclass(frozen=True)
class Call:
    sid: str
    number: str | None  # the caller's number as plain digits; None when withheld or not a number
    speech: str = ""
    keys: str = ""

    @classmethod
    def from_form(cls, form: Mapping[str, str]) -> Call:
        caller = form.get("From", "").strip()
        number = None if caller.lower() in WITHHELD else parse_phone(caller)
        keys = _NOT_A_KEY.sub("", form.get("Digits", ""))[:MAX_KEYS]
        return cls(form.get("CallSid", "").strip()[:64], number, form.get("SpeechResult", "").strip(), keys)

    @property
    def sender_id(self) -> str:
        """The caller is known by their number, so every call from it is the same citizen; a withheld number leaves
        only this call's id."""
        return self.number or self.sid or "withheld"

    def incoming(self, conversation_id: str) -> Incoming:
        """One key is a menu choice; several are typed digits (a phone number); otherwise the words heard."""
        meta: dict[str, object] = {"conversation_id": conversation_id}
        if len(self.keys) == 1 and self.keys.isdigit():
            meta["choice"] = self.keys
        return Incoming(CHANNEL, self.sender_id, self.keys or self.speech, meta)

    def silence(self, conversation_id: str) -> Incoming:
        return Incoming(CHANNEL, self.sender_id, "", {"conversation_id": conversation_id, "silence": True})
