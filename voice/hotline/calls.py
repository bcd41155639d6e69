"""One call, webhook by webhook: each is one engine call, whose replies are played as our own audio; then the call
listens again, goes to a person (Dial or Enqueue), or ends, as the turn says (Turn.next). The engine decides
everything said and what comes next; this module renders it for the telephone."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session
from twilio.twiml.voice_response import VoiceResponse

from assistant import texts
from assistant.engine import Next, Turn, UnknownConversation
from assistant.followup import share_checklist
from assistant.messages import Choice, Incoming, NobodyAnswered, Once, Reply, Text
from assistant.runtime import Runtime
from assistant.served import ServedMatcher
from assistant.store import cases as case_store
from assistant.store import citizens as citizen_store
from assistant.store import conversations as conversation_store
from assistant.store import replays as replay_store
from assistant.store.models import Conversation
from assistant.store.types import utcnow
from assistant.waiting import QueueStatus
from knowledge.matcher import Matcher
from voice import prompts
from voice.hotline import phrases, twiml
from voice.hotline.audio import PhoneAudio
from voice.hotline.caller import CHANNEL, Call
from voice.speech.shared import shared_speaker

log = logging.getLogger(__name__)

CALL_ENDED = {"completed", "busy", "failed", "no-answer", "canceled"}
DIAL_REACHED = {"completed", "answered"}
QUEUE_FAILED = {"leave", "queue-full", "error", "system-error"}
# No call lasts longer (the carrier's own limit, Twilio's Dial timeLimit): a webhook for an older conversation is a
# replay, refused even once its record has been forgotten.
LONGEST_CALL = dt.timedelta(hours=4)
LEAVE_KEY = "1"  # while waiting in the queue: the only key there, so the first
CANTONESE_KEY = "9"  # never one of the engine's keys on the phone (its menus use 1-4 and 0)


@dataclass
class Hotline:
    """What every call shares: the audio, the speech hints, the duty number."""

    audio: PhoneAudio
    served: ServedMatcher
    duty_number: str | None
    cantonese: str | None = None  # the carrier's language code for Cantonese, when the operator offers it
    _hints: tuple[Matcher, str] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, runtime: Runtime) -> Hotline:
        settings = runtime.settings  # production without TWILIO_AUTH_TOKEN does not start (settings.unsafe_to_serve)
        audio = PhoneAudio(shared_speaker(settings), secret=settings.secret_key.get_secret_value().encode(),
                           fmt=settings.hotline_audio_format, slow=settings.hotline_slow_speech or settings.slow_speech)
        return cls(audio, runtime.served, settings.hotline_duty_number, settings.hotline_cantonese_language or None)

    @property
    def hints(self) -> str:
        """The carrier's speech hints, of the model serving now: a retrained model's new guides are heard too."""
        matcher = self.served.current
        if self._hints is None or self._hints[0] is not matcher:  # made once per model
            self._hints = (matcher, phrases.hints(matcher.kb.guides.values()))
        return self._hints[1]

    def close(self) -> None:
        self.audio.close()


@dataclass(frozen=True)
class Links:
    """Absolute URLs the carrier can follow: our action routes (with the conversation) and our audio files."""

    action_url: Callable[[str, str, int, dict[str, str]], str]  # (route, conversation id, step, params) -> URL
    audio_url: Callable[[Path], str]


class CallFlow:
    def __init__(self, hotline: Hotline, runtime: Runtime, session: Session, links: Links) -> None:
        self.hotline, self.runtime, self.session, self.links = hotline, runtime, session, links
        self.step = 0  # of the webhook being answered: the URLs in its answer name the next one
        self.language = twiml.LANGUAGE  # what the carrier recognises: the caller may choose Cantonese (9)

    def once(self, call: Call, route: str, act: Callable[[Once | None], VoiceResponse], *, step: int = 0,
             conversation_id: str | None = None) -> str:
        """The TwiML for one step of a call, made once: the same webhook again (a carrier's retry, a replayed
        request) gets the answer it got the first time and does nothing twice. The step is in the signed URL, so a
        replay cannot change it. act does the work, handing `once` to the engine (or to _claim)."""
        self.step = step
        if conversation_id is not None:
            self._live(conversation_id)
        if not call.sid:  # not a carrier's request (only possible without TWILIO_AUTH_TOKEN)
            return act(None).to_xml()
        once = Once(f"{CHANNEL}:{call.sid}", f"{route}:{step}")
        earlier = replay_store.earlier(self.session, scope=once.scope, key=once.key)
        if earlier is not None and earlier.answer is not None:
            return earlier.answer
        answer = act(once).to_xml()
        replay_store.keep_answer(self.session, scope=once.scope, key=once.key, answer=answer)
        self.session.commit()
        return answer

    # --- the carrier's webhooks ---

    def greet(self, call: Call, once: Once | None = None) -> VoiceResponse:
        lead = (prompts.BARGE_IN, prompts.CANTONESE) if self.hotline.cantonese else (prompts.BARGE_IN,)
        return self.after(self.runtime.assistant.handle(self.session, call.start(once)), lead)

    def heard(self, call: Call, conversation_id: str, once: Once | None = None, *, page: int = 0) -> VoiceResponse:
        if page and (call.keys == "1" or (not call.keys and phrases.asks_for_more(call.speech))):
            return self.more(conversation_id, page)
        if call.keys == CANTONESE_KEY and self.hotline.cantonese and self.language != self.hotline.cantonese:
            self.language = self.hotline.cantonese  # the carrier listens for Cantonese from now on (our voice
            return self._listen(conversation_id, [prompts.CANTONESE_ON], (), number=False)  # stays Mandarin)
        return self.after(self.runtime.assistant.handle(self.session, call.incoming(conversation_id, once)))

    def silence(self, call: Call, conversation_id: str, once: Once | None = None, *, page: int = 0,
                bye: bool = False) -> VoiceResponse:
        if page:  # quiet at "按1继续听": the caller is listening, so the next page follows
            return self.more(conversation_id, page)
        if bye:  # quiet after "不客气，还有别的事吗": they are done; a person would now be a surprise
            return self._end(self._conversation(conversation_id), [])
        return self.after(self.runtime.assistant.handle(self.session, call.silence(conversation_id, once)))

    def dialled(self, conversation_id: str, dial_status: str, once: Once | None = None) -> VoiceResponse:
        """The duty phone was rung: after a talk the call ends; unanswered, a callback is offered."""
        if dial_status in DIAL_REACHED:
            conversation = self._conversation(conversation_id)
            self._claim(once, conversation)
            return self._end(conversation, [])
        return self._unreachable(conversation_id, once)

    def waiting(self, conversation_id: str) -> VoiceResponse:
        """The Enqueue wait URL, fetched again after each round: the caller's place, from our own queue."""
        status = self._status(conversation_id)
        if status is None:
            return twiml.leave_queue([])
        if status.on_duty == 0:  # everyone went off duty: leaving the queue leads to a callback offer
            return twiml.leave_queue(self._sounds([status.text]))
        if status.urgent:  # each round: a person is coming, and the number, should they not wait
            return twiml.hold(self._sounds([status.text, texts.WAIT_URGENT, self._number_reminder(conversation_id)]))
        return twiml.hold(self._sounds([status.text, prompts.WAIT_MORE, prompts.LEAVE_QUEUE]),
                          on_key=self._next("hotline_wait_key", conversation_id))

    def leave_by_key(self, call: Call, conversation_id: str, once: Once | None = None) -> VoiceResponse:
        """A key while waiting: LEAVE_KEY says the caller's words for leaving the queue to the engine (which
        answers them: ReplyKind "left"), then the caller leaves the carrier's queue (its action URL follows).
        Another key changes nothing: the wait goes on."""
        if call.keys != LEAVE_KEY:
            return twiml.empty()
        leave = Incoming(CHANNEL, call.sender_id, Text(prompts.LEAVE_WORDS), conversation_id=conversation_id,
                         once=once)
        turn = self.runtime.assistant.handle(self.session, leave)
        return twiml.leave_queue(self._sounds([phrases.spoken(reply) for reply in turn.replies]))

    def left_queue(self, conversation_id: str, result: str, once: Once | None = None) -> VoiceResponse:
        if result in QUEUE_FAILED and self._status(conversation_id) is not None:
            return self._unreachable(conversation_id, once)
        conversation = self._conversation(conversation_id)
        self._claim(once, conversation)
        return self._end(conversation, [])

    def call_ended(self, call: Call, call_status: str, once: Once | None = None) -> VoiceResponse:
        """The carrier's status callback: when the call is over, the checklist goes to the citizen's chats."""
        if call_status in CALL_ENDED:
            identity = citizen_store.identity(self.session, channel=CHANNEL, external_id=call.sender_id)
            if identity is not None:
                conversation = conversation_store.latest(self.session, identity_id=identity.id)
                if conversation is not None:
                    self._claim(once, conversation)
                    self._share_checklist(conversation)
        return twiml.empty()

    # --- after each engine turn ---

    def after(self, turn: Turn, lead: tuple[str, ...] = ()) -> VoiceResponse:
        """The turn rendered for the telephone: its replies as our audio, then what the engine says comes next.
        lead: the phone's own sentences before them (the greeting's)."""
        said = [phrases.spoken(reply) for reply in turn.replies]
        if turn.next is Next.HAND_OVER:
            return self._hand_over(turn.conversation, said)
        farewell = any(reply.kind == "goodbye" for reply in turn.replies)
        if turn.next is Next.HANG_UP or farewell:
            # One goodbye, not two: the phone's own in place of the chat's ("有事随时来问" suits a page, not a call).
            said = [words for words, reply in zip(said, turn.replies, strict=True) if reply.kind != "goodbye"]
            emergency = bool(turn.replies) and turn.replies[-1].kind == "emergency_call"
            return self._end(turn.conversation, said, farewell=not emergency)  # it ends with its own kind words
        choices = turn.replies[-1].choices if turn.replies else ()
        thanked = bool(turn.replies) and phrases.is_thanks(turn.replies[-1])
        urgent = any(reply.priority or reply.kind == "emergency_call" for reply in turn.replies)
        return self._listen(turn.conversation.id, [*said, *lead], choices, number=turn.next is Next.LISTEN_FOR_NUMBER,
                            quiet_ends=thanked, whole=urgent)

    def more(self, conversation_id: str, page: int) -> VoiceResponse:
        """The next page of what was said last (1 at "还有3项，按1继续听", or silence: the caller is listening)."""
        rows = conversation_store.last_said_to_citizen(self.session, conversation_id=conversation_id)
        replies = [Reply.from_dict({**(row.meta or {}), "text": row.text}) for row in rows if row.role == "assistant"]
        choices = replies[-1].choices if replies else ()
        return self._listen(conversation_id, [phrases.spoken(reply) for reply in replies], choices, number=False,
                            page=page)

    def _listen(self, conversation_id: str, said: list[str], choices: tuple[Choice, ...], *, number: bool,
                page: int = 0, quiet_ends: bool = False, whole: bool = False) -> VoiceResponse:
        """Listen after saying one page of the words; the menu after the last page. A page's own menu is
        "按1继续听": its gather and silence URLs name the next page."""
        # An emergency's advice and number are said whole: nobody in danger is asked to press 1 to hear the rest.
        pages = [said] if number or whole else phrases.pages(said, self.hotline.audio.slow)
        page = min(page, len(pages) - 1)
        more = {"page": str(page + 1)} if page + 1 < len(pages) else {}
        said = list(pages[page])
        if more:
            said.append(phrases.more(pages[page + 1:]))
        elif phrases.needs_menu("".join(said), choices):
            said.append(phrases.menu(choices))
        if number:
            said.append(prompts.ENTER_NUMBER)
        return twiml.listen(self._sounds(said), action=self._next("hotline_gather", conversation_id, more),
                            on_silence=self._next("hotline_silence", conversation_id,
                                                  {**more, "bye": "1"} if quiet_ends else more),
                            hints=self.hotline.hints, one_key=not number, language=self.language)

    def _hand_over(self, conversation: Conversation, said: list[str]) -> VoiceResponse:
        self._share_checklist(conversation)  # what the assistant answered is final now
        sounds = self._sounds([*said, prompts.TRANSFER])
        if self.hotline.duty_number:
            return twiml.dial(sounds, number=self.hotline.duty_number,
                              action=self._next("hotline_dialled", conversation.id))
        return twiml.enqueue(sounds, wait_url=self._next("hotline_wait", conversation.id),
                             action=self._next("hotline_queue_left", conversation.id))

    def _unreachable(self, conversation_id: str, once: Once | None = None) -> VoiceResponse:
        incoming = Incoming(CHANNEL, "", NobodyAnswered(), conversation_id=conversation_id, once=once)
        return self.after(self.runtime.assistant.handle(self.session, incoming))

    def _end(self, conversation: Conversation, said: list[str], *, farewell: bool = True) -> VoiceResponse:
        self._share_checklist(conversation)
        return twiml.hang_up(self._sounds([*said, prompts.GOODBYE] if farewell else said))

    # --- helpers ---

    def _next(self, route: str, conversation_id: str, extra: dict[str, str] | None = None) -> str:
        params = {**(extra or {}), **({"lang": self.language} if self.language != twiml.LANGUAGE else {})}
        return self.links.action_url(route, conversation_id, self.step + 1, params)

    def _claim(self, once: Once | None, conversation: Conversation) -> None:
        """For work the engine does not record itself: the record joins the transaction that _share_checklist
        commits. One of two requests racing with one key gets it; the other's work is then already done."""
        if once is None:
            return
        try:
            replay_store.record(self.session, scope=once.scope, key=once.key, conversation_id=conversation.id)
        except replay_store.AlreadyDone:
            self.session.rollback()

    def _live(self, conversation_id: str) -> None:
        """A webhook names a conversation of a call that can still be going on."""
        conversation = self._conversation(conversation_id)
        if conversation.created_at < utcnow() - LONGEST_CALL:
            raise UnknownConversation(conversation_id)

    def _share_checklist(self, conversation: Conversation) -> None:
        share_checklist(self.session, conversation=conversation, dialogue=self.runtime.assistant.dialogue)
        self.session.commit()

    def _conversation(self, conversation_id: str) -> Conversation:
        conversation = conversation_store.get(self.session, conversation_id=conversation_id)
        if conversation is None or conversation.channel != CHANNEL:
            raise UnknownConversation(conversation_id)
        return conversation

    def _number_reminder(self, conversation_id: str) -> str:
        case = case_store.open_for_conversation(self.session, conversation_id=conversation_id)
        kind = case.summary.get("emergency", "general") if case is not None else "general"
        return texts.CALL_WAITING_NUMBER.format(number=texts.EMERGENCY_NUMBER.get(kind, "120"))

    def _status(self, conversation_id: str) -> QueueStatus | None:
        case = case_store.open_for_conversation(self.session, conversation_id=conversation_id)
        return self.runtime.desk.status(self.session, case=case) if case is not None else None

    def _sounds(self, said: list[str]) -> list[twiml.Sound]:
        sounds = []
        for text in said:
            path = self.hotline.audio.file_for(text)
            sounds.append(twiml.Sound(text, self.links.audio_url(path) if path is not None else None))
        return sounds

