"""What the carrier tells us about a call: who is calling, and what they said or pressed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.identity import Proof
from assistant.messages import Incoming, Once, Silence, Start, Tap, Text, VerifiedContact
from assistant.privacy import parse_phone

CHANNEL = "phone"
# What carriers put in From when the caller hides their number (Twilio: "+266696687", others a word).
WITHHELD = {"", "anonymous", "restricted", "unknown", "unavailable", "private", "+266696687"}
_NOT_A_KEY = re.compile(r"[^0-9*#]")
MAX_KEYS = 32


@dataclass(frozen=True)
class Call:
    sid: str
    # The caller's number as plain digits, only when the carrier signed the webhook that names it (otherwise
    # anybody could post any From); None when withheld, unsigned or not a number.
    number: str | None
    speech: str = ""
    keys: str = ""

    @classmethod
    def from_form(cls, form: Mapping[str, str], *, signed: bool) -> Call:
        caller = form.get("From", "").strip()
        number = None if not signed or caller.lower() in WITHHELD else parse_phone(caller)
        keys = _NOT_A_KEY.sub("", form.get("Digits", ""))[:MAX_KEYS]
        return cls(form.get("CallSid", "").strip()[:64], number, form.get("SpeechResult", "").strip(), keys)

    @property
    def sender_id(self) -> str:
        """A verified number is the caller, so every call from it is the same citizen; otherwise only this call is
        known (prefixed, so a CallSid can never pose as somebody's number)."""
        return self.number or f"call:{self.sid or 'withheld'}"

    @property
    def contact(self) -> VerifiedContact | None:
        return VerifiedContact(self.number, Proof.CARRIER_CALLER_ID) if self.number else None

    def incoming(self, conversation_id: str, once: Once | None = None) -> Incoming:
        """One key is a menu choice; several are typed digits (a phone number); otherwise the words heard."""
        said = Tap(self.keys, self.keys) if len(self.keys) == 1 and self.keys.isdigit() else \
            Text(self.keys or self.speech)
        return Incoming(CHANNEL, self.sender_id, said, conversation_id=conversation_id, once=once)

    def silence(self, conversation_id: str, once: Once | None = None) -> Incoming:
        return Incoming(CHANNEL, self.sender_id, Silence(), conversation_id=conversation_id, once=once)

    def start(self, once: Once | None = None) -> Incoming:
        """A call comes in: a new conversation, with the caller's number if the carrier vouched for it."""
        return Incoming(CHANNEL, self.sender_id, Start(), contact=self.contact, once=once)
