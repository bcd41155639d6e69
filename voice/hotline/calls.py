"""One call, webhook by webhook: each is one engine call, whose replies are played as our own audio; then the call
listens again, goes to a person (Dial or Enqueue), or ends. The engine decides everything said; this module only
decides what the telephone does next."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session
from twilio.twiml.voice_response import VoiceResponse

from assistant.dialogue import DialogueState
from assistant.engine import Turn, UnknownConversation
from assistant.followup import share_checklist
from assistant.messages import Reply
from assistant.runtime import Runtime
from assistant.store import cases as case_store
from assistant.store import citizens as citizen_store
from assistant.store import conversations as conversation_store
from assistant.store.models import Conversation
from assistant.waiting import QueueStatus
from voice import prompts
from voice.hotline import phrases, twiml
from voice.hotline.audio import PhoneAudio
from voice.hotline.caller import CHANNEL, Call
from voice.speech import speaker_from_settings

log = logging.getLogger(__name__)

CALL_ENDED = {"completed", "busy", "failed", "no-answer", "canceled"}
DIAL_REACHED = {"completed", "answered"}
QUEUE_FAILED = {"leave", "queue-full", "error", "system-error"}
# After these, a caller whose case waits goes to a person: they were just handed over, or asked again.
HANDED_OVER = {"queue", "relayed", "emergency"}


@dataclass
class Hotline:
    """What every call shares: the audio, the speech hints, the duty number."""

    audio: PhoneAudio
    hints: str
    duty_number: str | None

    @classmethod
    def build(cls, runtime: Runtime) -> Hotline:
        settings = runtime.settings
        if settings.environment == "production" and settings.twilio_auth_token is None:
            log.warning("TWILIO_AUTH_TOKEN is not set: the hotline believes webhooks nobody signed")
        audio = PhoneAudio(speaker_from_settings(settings), secret=settings.secret_key.get_secret_value().encode(),
                           fmt=settings.hotline_audio_format, slow=settings.hotline_slow_speech)
        return cls(audio, phrases.hints(runtime.matcher.kb.guides.values()), settings.hotline_duty_number)

    def close(self) -> None:
        self.audio.close()


@dataclass(frozen=True)
class Links:
    """Absolute URLs the carrier can follow: our action routes (with the conversation) and our audio files."""

    action_url: Callable[[str, str], str]  # (route, conversation id) -> URL
    audio_url: Callable[[Path], str]


class CallFlow:
    def __init__(self, hotline: Hotline, runtime: Runtime, session: Session, links: Links) -> None:
        self.hotline, self.runtime, self.session, self.links = hotline, runtime, session, links

    # --- the carrier's webhooks ---

    def greet(self, call: Call) -> VoiceResponse:
        turn = self.runtime.assistant.start(self.session, channel=CHANNEL, sender_id=call.sender_id,
                                            contact=call.contact, spoken=True)
        return self.after(turn)

    def heard(self, call: Call, conversation_id: str) -> VoiceResponse:
        return self.after(self.runtime.assistant.handle(self.session, call.incoming(conversation_id)))

    def silence(self, call: Call, conversation_id: str) -> VoiceResponse:
        return self.after(self.runtime.assistant.handle(self.session, call.silence(conversation_id)))

    def dialled(self, conversation_id: str, dial_status: str) -> VoiceResponse:
        """The duty phone was rung: after a talk the call ends; unanswered, a callback is offered."""
        if dial_status in DIAL_REACHED:
            return self._end(self._conversation(conversation_id), [])
        return self._unreachable(conversation_id)

    def waiting(self, conversation_id: str) -> VoiceResponse:
        """The Enqueue wait URL, fetched again after each round: the caller's place, from our own queue."""
        status = self._status(conversation_id)
        if status is None:
            return twiml.leave_queue([])
        if status.on_duty == 0:  # everyone went off duty: leaving the queue leads to a callback offer
            return twiml.leave_queue(self._sounds([status.text]))
        return twiml.hold(self._sounds([status.text, prompts.WAIT_MORE]))

    def left_queue(self, conversation_id: str, result: str) -> VoiceResponse:
        if result in QUEUE_FAILED and self._status(conversation_id) is not None:
            return self._unreachable(conversation_id)
        return self._end(self._conversation(conversation_id), [])

    def call_ended(self, call: Call, call_status: str) -> VoiceResponse:
        """The carrier's status callback: when the call is over, the checklist goes to the citizen's chats."""
        if call_status in CALL_ENDED:
            identity = citizen_store.identity(self.session, channel=CHANNEL, external_id=call.sender_id)
            if identity is not None:
                conversation = conversation_store.latest(self.session, identity_id=identity.id)
                if conversation is not None:
                    self._share_checklist(conversation)
        return twiml.empty()

    # --- after each engine turn ---

    def after(self, turn: Turn, *, may_hand_over: bool = True) -> VoiceResponse:
        conversation = turn.conversation
        status = self._status(conversation.id)
        last: Reply | None = turn.replies[-1] if turn.replies else None
        choices = last.choices if last else ()
        said = [phrases.spoken(reply) for reply in turn.replies]
        handed_over = last is None or (not choices and last.kind in HANDED_OVER)
        if may_hand_over and status is not None and status.on_duty > 0 and handed_over:
            return self._hand_over(conversation, said)
        asks_number = DialogueState.from_dict(conversation.state).awaiting == "phone"
        if _said_goodbye(turn) or (status is not None and not choices and not asks_number):
            return self._end(conversation, said)  # nobody on duty and nothing left to choose
        if phrases.needs_menu("".join(said), choices):
            said.append(phrases.menu(choices))
        if asks_number:
            said.append(prompts.ENTER_NUMBER)
        return twiml.listen(self._sounds(said), action=self.links.action_url("hotline_gather", conversation.id),
                            on_silence=self.links.action_url("hotline_silence", conversation.id),
                            hints=self.hotline.hints, one_key=not asks_number)

    def _hand_over(self, conversation: Conversation, said: list[str]) -> VoiceResponse:
        self._share_checklist(conversation)  # what the assistant answered is final now
        sounds = self._sounds([*said, prompts.TRANSFER])
        if self.hotline.duty_number:
            return twiml.dial(sounds, number=self.hotline.duty_number,
                              action=self.links.action_url("hotline_dialled", conversation.id))
        return twiml.enqueue(sounds, wait_url=self.links.action_url("hotline_wait", conversation.id),
                             action=self.links.action_url("hotline_queue_left", conversation.id))

    def _unreachable(self, conversation_id: str) -> VoiceResponse:
        turn = self.runtime.assistant.person_unreachable(self.session, conversation_id=conversation_id)
        return self.after(turn, may_hand_over=False)

    def _end(self, conversation: Conversation, said: list[str]) -> VoiceResponse:
        self._share_checklist(conversation)
        return twiml.hang_up(self._sounds([*said, prompts.GOODBYE]))

    # --- helpers ---

    def _share_checklist(self, conversation: Conversation) -> None:
        share_checklist(self.session, conversation=conversation, dialogue=self.runtime.assistant.dialogue)
        self.session.commit()

    def _conversation(self, conversation_id: str) -> Conversation:
        conversation = conversation_store.get(self.session, conversation_id=conversation_id)
        if conversation is None or conversation.channel != CHANNEL:
            raise UnknownConversation(conversation_id)
        return conversation

    def _status(self, conversation_id: str) -> QueueStatus | None:
        case = case_store.open_for_conversation(self.session, conversation_id=conversation_id)
        return self.runtime.desk.status(self.session, case=case) if case is not None else None

    def _sounds(self, said: list[str]) -> list[twiml.Sound]:
        sounds = []
        for text in said:
            path = self.hotline.audio.file_for(text)
            sounds.append(twiml.Sound(text, self.links.audio_url(path) if path is not None else None))
        return sounds


def _said_goodbye(turn: Turn) -> bool:
    """The caller's own words were a goodbye ("没事了", "再见")."""
    return bool(turn.messages) and turn.messages[0].role == "citizen" and \
        (turn.messages[0].meta or {}).get("action") == "smalltalk:bye"
