"""The engine: one call per citizen message, whatever the channel. Incoming in, replies out, everything stored.

The citizen's message is committed with its reply, in one transaction; if producing the reply fails, the message is
still committed on its own. While a case is open their messages go to the officer; otherwise the dialogue answers,
and escalates to the desk when asked, stuck, or in an emergency.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from assistant import identity as identities
from assistant import inputs, safety, texts
from assistant.cases import NORMAL, URGENT, Desk
from assistant.dialogue import CALLBACK_CHOICES, HUMAN, Dialogue, DialogueState, resolve_choice
from assistant.identity import CODE_LIFETIME, Proof, Redeemed
from assistant.messages import Incoming, Once, Reply, VerifiedContact
from assistant.outbox import send_to_citizen
from assistant.privacy import mask_phone, parse_phone
from assistant.schedule import local
from assistant.store import cases as case_store
from assistant.store import citizens as citizen_store
from assistant.store import conversations as conversation_store
from assistant.store import replays as replay_store
from assistant.store.models import Case, ChannelIdentity, Conversation, Message
from knowledge.normalize import normalize

BAD_INPUT = {"empty": texts.EMPTY, "too_long": texts.TOO_LONG, "garbled": texts.GARBLED}
# What the citizen saw just before asking for a person says why they were handed over.
ESCALATION_REASON = {"offer_person": "two_misses", "out_of_scope": "out_of_scope"}
SILENCES_BEFORE_PERSON = 2
LINK_ANSWERS = {Redeemed.ALREADY: texts.LINK_ALREADY, Redeemed.LOCKED: texts.LINK_LOCKED,
                Redeemed.WRONG: texts.LINK_WRONG}


class UnknownConversation(LookupError):
    pass


@dataclass(frozen=True)
class Turn:
    conversation: Conversation
    messages: list[Message]  # as stored: the citizen's message (if any) first, then the replies
    replies: list[Reply]
    replayed: bool = False  # an earlier turn, returned again for a request sent again (Once)


class Assistant:
    def __init__(self, dialogue: Dialogue, desk: Desk):
        self.dialogue = dialogue
        self.desk = desk

    def start(self, session: Session, *, channel: str, sender_id: str, contact: VerifiedContact | None = None,
              spoken: bool = False, once: Once | None = None) -> Turn:
        """A new conversation, opened with a greeting. contact: a number the channel verified for the sender.
        spoken: the channel reads every reply aloud (the phone), so its menus stay short. once: a start sent again
        gets the first one's conversation back."""
        if once is not None and (earlier := self._earlier(session, once)) is not None:
            return earlier
        identity = self._identity(session, channel, sender_id, contact)
        conversation = conversation_store.start(session, identity=identity)
        state = DialogueState(spoken=spoken)
        replies = state.show([Reply(texts.GREETING, "greeting")])
        messages = self._store(session, conversation, replies, state)
        return self._commit(session, once, Turn(conversation, messages, replies))

    def start_or_resume(self, session: Session, *, channel: str, sender_id: str) -> Turn:
        """A messenger's /start: while a case of the citizen's latest conversation is open, that conversation goes
        on (what they say next still reaches the officer); otherwise a new one is opened with a greeting."""
        latest = self._latest(session, channel, sender_id)
        case = case_store.open_for_conversation(session, conversation_id=latest.id) if latest else None
        if latest is None or case is None:
            return self.start(session, channel=channel, sender_id=sender_id)
        state = DialogueState.from_dict(latest.state)
        status = self.desk.status(session, case=case)
        replies = state.show([Reply(f"{texts.WELCOME_BACK}{status.text}", "queue")])
        messages = self._store(session, latest, replies, state)
        session.commit()
        return Turn(latest, messages, replies)

    def handle(self, session: Session, incoming: Incoming) -> Turn:
        """meta: "choice" (a tapped or pressed key), "conversation_id", "phone", and "silence" (a voice channel's
        prompt timed out with nothing said). With incoming.once, a message sent again gets the first one's turn back."""
        if incoming.once is not None and (earlier := self._earlier(session, incoming.once)) is not None:
            return earlier
        text, problem = inputs.clean(incoming.text)
        meta: dict[str, object] = {"problem": problem} if problem else {}
        if problem == "empty" and incoming.meta.get("silence"):
            meta["silence"] = True
        conversation = self._conversation(session, incoming)
        try:
            return self._turn(session, incoming, conversation, text, problem, meta)
        except Exception:
            session.rollback()
            self._keep_words(session, incoming, text, meta)
            raise

    def _turn(self, session: Session, incoming: Incoming, conversation: Conversation, text: str,
              problem: str | None, meta: dict[str, object]) -> Turn:
        """The citizen's words, the reply and the new state in one transaction: one commit per message."""
        # Locked before the words are written (PostgreSQL): a second message of the conversation waits, and its
        # words get ids after this turn's replies, so a page reading "after id N" never skips one.
        conversation_store.get(session, conversation_id=conversation.id, for_update=True)
        if incoming.once is not None and (earlier := self._earlier(session, incoming.once)) is not None:
            session.commit()  # the same message, handled while this one waited for the lock
            return earlier
        said = conversation_store.add_message(session, conversation=conversation, role="citizen", text=text,
                                              meta=meta)
        silent = bool(meta.get("silence"))
        state = DialogueState.from_dict(conversation.state)
        if not silent:
            state.silences = 0
        case = case_store.open_for_conversation(session, conversation_id=conversation.id)
        key = incoming.meta.get("choice")
        key = str(key) if key is not None else None
        if silent:
            replies = self._silence(session, conversation, state, case)
        elif problem:
            replies = self._bad_input(session, problem, state, case, said)
        elif case is not None:
            replies = self._while_case_open(session, conversation, state, case, text, key, said)
        else:
            replies = self._converse(session, conversation, state, text, key, said)
        messages = self._store(session, conversation, replies, state)
        return self._commit(session, incoming.once, Turn(conversation, [said, *messages], replies))

    def _keep_words(self, session: Session, incoming: Incoming, text: str, meta: dict[str, object]) -> None:
        """After a turn that failed: the citizen's words are kept all the same, for the officer and the page."""
        conversation = self._conversation(session, incoming)
        said = conversation_store.add_message(session, conversation=conversation, role="citizen", text=text,
                                              meta=meta)
        self._commit(session, incoming.once, Turn(conversation, [said], []))

    def unreadable(self, session: Session, *, channel: str, sender_id: str, kind: str) -> list[Reply] | None:
        """Something the channel cannot pass on (kind: a key of texts.UNREADABLE) sent while a person is on the
        citizen's case: the officer is told it was sent, the citizen that it cannot reach the officer. None when no
        case is open: the channel answers in its own words."""
        latest = self._latest(session, channel, sender_id)
        case = case_store.open_for_conversation(session, conversation_id=latest.id) if latest else None
        if latest is None or case is None:
            return None
        what = texts.UNREADABLE.get(kind, texts.UNREADABLE["other"])
        said = conversation_store.add_message(session, conversation=latest, role="citizen",
                                              text=texts.UNREADABLE_SENT.format(what=what), meta={"unreadable": kind})
        self.desk.relay(session, case=case, message=said)
        state = DialogueState.from_dict(latest.state)
        replies = state.show([Reply(texts.UNREADABLE_FOR_OFFICER.format(what=what), "relayed")])
        self._store(session, latest, replies, state)
        session.commit()
        return replies

    def person_unreachable(self, session: Session, *, conversation_id: str, once: Once | None = None) -> Turn:
        """A live hand-over failed (nobody picked up): the case stays in the queue and a callback is offered."""
        if once is not None and (earlier := self._earlier(session, once)) is not None:
            return earlier
        conversation = conversation_store.get(session, conversation_id=conversation_id, for_update=True)
        if conversation is None:
            raise UnknownConversation(conversation_id)
        state = DialogueState.from_dict(conversation.state)
        replies = state.show([Reply(texts.PERSON_UNREACHABLE, "queue"), self._callback_offer()])
        messages = self._store(session, conversation, replies, state)
        return self._commit(session, once, Turn(conversation, messages, replies))

    def link_phone(self, session: Session, *, channel: str, sender_id: str, phone: str,
                   proof: Proof = Proof.TELEGRAM_CONTACT) -> list[Reply]:
        """A phone number the channel vouches for (a messenger's shared contact of the sender's own account): this
        identity joins the citizen the number was verified for on any channel, recorded. A callback waiting for a
        number is booked with it."""
        number = parse_phone(phone)
        if number is None:
            return [Reply(texts.CALLBACK_BAD_PHONE, "bad_input")]
        identity = self._identity(session, channel, sender_id, VerifiedContact(number, proof))
        session.commit()
        latest = conversation_store.latest(session, identity_id=identity.id)
        if latest is not None and DialogueState.from_dict(latest.state).awaiting == "phone":
            return self.handle(session, Incoming(channel, sender_id, number)).replies
        return [Reply(texts.PHONE_LINKED.format(phone=mask_phone(number)), "system")]

    def link_code(self, session: Session, *, channel: str, sender_id: str) -> Reply:
        """A one-time code to type on another channel, so both are known as this citizen."""
        identity = self._identity(session, channel, sender_id, None)
        code = identities.issue_code(session, identity=identity, secret=self._secret, at=self.desk.clock())
        session.commit()
        minutes = int(CODE_LIFETIME.total_seconds() // 60)
        return Reply(texts.LINK_CODE_SHOWN.format(code=" ".join(code), minutes=minutes), "system")

    def use_link_code(self, session: Session, *, channel: str, sender_id: str, code: str) -> Reply:
        """A code shown on another channel, typed here: this identity joins the citizen who was shown it, who is
        told on their own chat (so a code typed by somebody else does not go unnoticed)."""
        identity = self._identity(session, channel, sender_id, None)
        redeemed = identities.redeem_code(session, identity=identity, code=code, secret=self._secret,
                                          at=self.desk.clock())
        issuer = redeemed.issuer
        if redeemed.outcome is not Redeemed.LINKED or issuer is None:
            session.commit()  # a wrong code counts against the tries
            return Reply(LINK_ANSWERS[redeemed.outcome], "system")
        self._tell_issuer(session, issuer, channel)
        session.commit()
        return Reply(texts.LINK_DONE.format(channel=texts.CHANNEL_NAMES.get(issuer.channel, issuer.channel)), "system")

    def last_words(self, session: Session, *, channel: str, sender_id: str) -> list[Reply]:
        """What was last said to the citizen (the assistant's answer, an officer's words), e.g. to read it aloud."""
        conversation = self._latest(session, channel, sender_id)
        if conversation is None:
            return []
        rows = conversation_store.last_said_to_citizen(session, conversation_id=conversation.id)
        return [Reply.from_dict({**(row.meta or {}), "text": row.text}) for row in rows]

    # --- the paths ---

    def _silence(self, session: Session, conversation: Conversation, state: DialogueState,
                 case: Case | None) -> list[Reply]:
        """Nothing said when it was the citizen's turn: one gentle re-prompt, then a person. Silence after a person
        was offered is taken as yes."""
        state.silences += 1
        offered = bool(state.last) and state.last[-1].kind == "offer_person"
        if state.silences < SILENCES_BEFORE_PERSON and not offered:
            return state.show([Reply(texts.SILENCE, "silence", tuple(state.choices) or (HUMAN,))], remember=False)
        state.silences = 0
        if case is not None:
            status = self.desk.status(session, case=case)
            return state.show([Reply(f"{texts.ALREADY_WAITING}{status.text}", "relayed")])
        return state.show(self._escalate(session, conversation, state, reason="silence", priority=NORMAL))


    def _bad_input(self, session: Session, problem: str, state: DialogueState, case: Case | None,
                   said: Message) -> list[Reply]:
        if case is not None and problem != "empty":
            self.desk.relay(session, case=case, message=said)
        choices = tuple(state.choices) or (HUMAN,)  # digits keep their meaning: a slip costs nothing
        return [Reply(BAD_INPUT[problem], "bad_input", choices)]

    def _converse(self, session: Session, conversation: Conversation, state: DialogueState, text: str,
                  key: str | None, said: Message) -> list[Reply]:
        previous = state.last[-1].kind if state.last else None
        outcome = self.dialogue.respond(text, state, key=key)
        said.meta = {"action": outcome.action, "label": outcome.label, "confidence": outcome.confidence}
        replies = list(outcome.replies)
        if outcome.request == "human":
            reason = ESCALATION_REASON.get(previous or "", "asked")
            replies += self._escalate(session, conversation, state, reason=reason, priority=NORMAL)
        elif outcome.request == "emergency":
            replies += self._escalate(session, conversation, state, reason="emergency", priority=URGENT)
        elif outcome.request in ("feedback:yes", "feedback:no"):
            return self._feedback(session, conversation, state, solved=outcome.request == "feedback:yes")
        elif outcome.request is not None:  # a callback answer, but no case is waiting any more
            return state.show([Reply(texts.NO_SUCH_CHOICE, "miss", (HUMAN,))])
        else:
            return replies
        return state.show(replies)

    def _while_case_open(self, session: Session, conversation: Conversation, state: DialogueState, case: Case,
                         text: str, key: str | None, said: Message) -> list[Reply]:
        """Everything goes to the officer; the assistant only speaks for safety, callbacks and the queue."""
        self.desk.relay(session, case=case, message=said)
        norm = normalize(text)
        if self.dialogue.matcher.rules.is_emergency(norm):
            self.desk.raise_priority(session, case=case)
            status = self.desk.status(session, case=case)
            return state.show([Reply(safety.advice(norm), "emergency", priority=True),
                               Reply(f"{texts.EMERGENCY_ALERTED}{status.text}", "queue")])
        if state.awaiting == "phone" and (booked := self._phone_given(session, conversation, state, case, text)):
            return booked
        choice = resolve_choice(norm, key, state)
        action = choice.action if choice else None
        if action == "callback:yes":
            return self._callback_wanted(session, conversation, state, case)
        if action == "callback:no":
            return state.show([Reply(texts.CALLBACK_DECLINED, "callback")])
        if case.status == "claimed":
            return []  # the officer is in the conversation: they answer
        status = self.desk.status(session, case=case)
        asked_again = key == "0" or action == "human" or self.dialogue.matcher.rules.asks_for_person(norm)
        lead = texts.ALREADY_WAITING if asked_again else texts.RELAYED
        return state.show([Reply(f"{lead}{status.text}", "relayed")])

    # --- escalation, callbacks, feedback ---

    def _escalate(self, session: Session, conversation: Conversation, state: DialogueState, *, reason: str,
                  priority: int) -> list[Reply]:
        case = self.desk.open_case(session, conversation=conversation, reason=reason, priority=priority,
                                   service_id=state.guide)
        status = self.desk.status(session, case=case)
        lead = texts.EMERGENCY_ALERTED if priority == URGENT else texts.QUEUE_STARTED
        replies = [Reply(f"{lead}{status.text}{texts.HANDED_OVER_NOTE}", "queue")]
        if status.on_duty == 0:
            replies.append(self._callback_offer())
        return replies

    def _callback_offer(self) -> Reply:
        when = texts.spoken_time(local(self.desk.callback_due(), self.desk.settings),
                                 local(self.desk.clock(), self.desk.settings))
        return Reply(texts.CALLBACK_OFFER.format(when=when), "callback", CALLBACK_CHOICES)

    def _callback_wanted(self, session: Session, conversation: Conversation, state: DialogueState,
                         case: Case) -> list[Reply]:
        phone = conversation.citizen.phone
        if phone is None:
            state.awaiting = "phone"
            return state.show([Reply(texts.CALLBACK_ASK_PHONE, "callback")])
        return state.show([self._book(session, case, phone)])

    def _phone_given(self, session: Session, conversation: Conversation, state: DialogueState, case: Case,
                     text: str) -> list[Reply] | None:
        """None: this message was not a phone number at all, so it is just a message for the officer."""
        phone = parse_phone(text)
        if phone is None:
            if any(c.isdigit() for c in text):
                return state.show([Reply(texts.CALLBACK_BAD_PHONE, "callback")])
            state.awaiting = None
            return None
        state.awaiting = None
        case.summary = {**case.summary, "phone": phone}  # a number to call back for this case, not proof of anyone
        return state.show([self._book(session, case, phone)])

    def _book(self, session: Session, case: Case, phone: str) -> Reply:
        callback = self.desk.book_callback(session, case=case, phone=phone)
        settings = self.desk.settings
        when = texts.spoken_time(local(callback.due_at, settings), local(self.desk.clock(), settings))
        return Reply(texts.CALLBACK_BOOKED.format(when=when, phone=phone), "callback")

    def _feedback(self, session: Session, conversation: Conversation, state: DialogueState,
                  solved: bool) -> list[Reply]:
        case = case_store.last_resolved(session, conversation_id=conversation.id)
        if case is None:
            return state.show([Reply(texts.NO_SUCH_CHOICE, "miss", (HUMAN,))])
        self.desk.feedback(session, case=case, solved=solved)
        if solved:
            return state.show([Reply(texts.FEEDBACK_THANKS, "feedback")])
        status = self.desk.status(session, case=case)
        replies = [Reply(f"{texts.REOPENED}{status.text}", "queue")]
        if status.on_duty == 0:
            replies.append(self._callback_offer())
        return state.show(replies)

    # --- once per key ---

    def _commit(self, session: Session, once: Once | None, turn: Turn) -> Turn:
        """Commit the turn, with its key's record in the same transaction. When a request with the same key committed
        first (two sent at once), this turn is undone and theirs returned: one of them takes effect."""
        if once is None:
            session.commit()
            return turn
        try:
            replay_store.record(session, scope=once.scope, key=once.key, digest=once.digest,
                                conversation_id=turn.conversation.id, message_ids=[m.id for m in turn.messages])
        except replay_store.AlreadyDone:
            session.rollback()
            if (earlier := self._earlier(session, once)) is None:
                raise
            return earlier
        session.commit()
        return turn

    def _earlier(self, session: Session, once: Once) -> Turn | None:
        """The turn stored under this key, as it was stored: its messages, and the replies among them. KeyReused
        when the key was recorded for another request."""
        row = replay_store.earlier(session, scope=once.scope, key=once.key, digest=once.digest)
        conversation = conversation_store.get(session, conversation_id=row.conversation_id or "") if row else None
        if row is None or conversation is None:
            return None
        messages = conversation_store.by_ids(session, conversation_id=conversation.id, ids=row.message_ids)
        replies = [Reply.from_dict({**(m.meta or {}), "text": m.text}) for m in messages if m.role == "assistant"]
        return Turn(conversation, messages, replies, replayed=True)

    # --- storage ---

    def _conversation(self, session: Session, incoming: Incoming) -> Conversation:
        """The conversation named in meta (web), else the sender's latest on this channel, else a new one."""
        conversation_id = incoming.meta.get("conversation_id")
        if conversation_id is not None:
            conversation = conversation_store.get(session, conversation_id=str(conversation_id))
            if conversation is None or conversation.channel != incoming.channel:
                raise UnknownConversation(conversation_id)
            return conversation
        contact = incoming.meta.get("contact")
        identity = self._identity(session, incoming.channel, incoming.sender_id,
                                  contact if isinstance(contact, VerifiedContact) else None)
        latest = conversation_store.latest(session, identity_id=identity.id)
        return latest or conversation_store.start(session, identity=identity)

    def _identity(self, session: Session, channel: str, sender_id: str,
                  contact: VerifiedContact | None) -> ChannelIdentity:
        identity = citizen_store.identify(session, channel=channel, external_id=sender_id)
        if contact is not None:
            identities.verified_phone(session, identity=identity, phone=contact.phone, proof=Proof(contact.proof),
                                      at=self.desk.clock())
            session.refresh(identity)
        return identity

    def _latest(self, session: Session, channel: str, sender_id: str) -> Conversation | None:
        identity = citizen_store.identity(session, channel=channel, external_id=sender_id)
        return conversation_store.latest(session, identity_id=identity.id) if identity is not None else None

    def _tell_issuer(self, session: Session, issuer: ChannelIdentity, used_on: str) -> None:
        latest = conversation_store.latest(session, identity_id=issuer.id)
        if latest is not None:
            where = texts.CHANNEL_NAMES.get(used_on, used_on)
            notice = conversation_store.add_message(session, conversation=latest, role="assistant",
                                                    text=texts.LINK_NOTICE.format(channel=where),
                                                    meta={"kind": "system"})
            send_to_citizen(session, latest, notice)

    @property
    def _secret(self) -> bytes:
        return self.desk.settings.secret_key.get_secret_value().encode()

    def _store(self, session: Session, conversation: Conversation, replies: list[Reply],
               state: DialogueState) -> list[Message]:
        said = [(reply.text, {k: v for k, v in reply.to_dict().items() if k != "text"}) for reply in replies]
        return conversation_store.save_replies(session, conversation=conversation, said=said, state=state.to_dict())
