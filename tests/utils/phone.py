"""A caller on a spoken channel, talking to the engine directly: the phone without its TwiML."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.identity import Proof
from assistant.messages import Incoming, Reply, Said, Silence, Start, Tap, Text, VerifiedContact
from assistant.runtime import Runtime
from assistant.store import cases as case_store
from assistant.store.models import Case


class Caller:
    """One caller on a spoken channel: a conversation opened with Start() on the phone (short menus), then one call
    per input.
    phone: the number the carrier vouched for (a signed webhook); None: withheld or unsigned."""

    def __init__(self, runtime: Runtime, session: Session, phone: str | None = "13812345678"):
        self.runtime, self.session = runtime, session
        self.sender = phone or "call:CA-withheld"
        contact = VerifiedContact(phone, Proof.CARRIER_CALLER_ID) if phone else None
        turn = runtime.assistant.handle(session, Incoming("phone", self.sender, Start(), contact=contact))
        self.conversation_id = turn.conversation.id

    def say(self, text: str) -> list[Reply]:
        return self._handle(Text(text))

    def press(self, key: str) -> list[Reply]:
        return self._handle(Tap(key, key))

    def silence(self) -> list[Reply]:
        return self._handle(Silence())

    @property
    def case(self) -> Case | None:
        return case_store.open_for_conversation(self.session, conversation_id=self.conversation_id)

    def _handle(self, said: Said) -> list[Reply]:
        incoming = Incoming("phone", self.sender, said, conversation_id=self.conversation_id)
        return self.runtime.assistant.handle(self.session, incoming).replies
