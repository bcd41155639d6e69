"""A caller on a spoken channel, talking to the engine directly: the phone without its TwiML."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.identity import Proof
from assistant.messages import Incoming, Reply, VerifiedContact
from assistant.runtime import Runtime
from assistant.store import cases as case_store
from assistant.store.models import Case


class Caller:
    """One caller on a spoken channel: a conversation opened with start(spoken=True), then one call per input.
    phone: the number the carrier vouched for (a signed webhook); None: withheld or unsigned."""

    def __init__(self, runtime: Runtime, session: Session, phone: str | None = "13812345678"):
        self.runtime, self.session = runtime, session
        self.sender = phone or "call:CA-withheld"
        contact = VerifiedContact(phone, Proof.CARRIER_CALLER_ID) if phone else None
        turn = runtime.assistant.start(session, channel="phone", sender_id=self.sender, contact=contact, spoken=True)
        self.conversation_id = turn.conversation.id

    def say(self, text: str) -> list[Reply]:
        return self._handle(text, {})

    def press(self, key: str) -> list[Reply]:
        return self._handle(key, {"choice": key})

    def silence(self) -> list[Reply]:
        return self._handle("", {"silence": True})

    @property
    def case(self) -> Case | None:
        return case_store.open_for_conversation(self.session, conversation_id=self.conversation_id)

    def _handle(self, text: str, meta: dict) -> list[Reply]:
        incoming = Incoming("phone", self.sender, text, {**meta, "conversation_id": self.conversation_id})
        return self.runtime.assistant.handle(self.session, incoming).replies
