"""The engine: one call per citizen action, whatever the channel. An Incoming in, a Turn out, everything stored.

`Assistant.handle` is the one entry point: what the citizen did (assistant/messages.py: text, a tapped choice,
silence, a start, a shared contact…) goes in; the replies, the case as the citizen sees it and what the channel
should do next come out (assistant/turn.py). The turn is one transaction, committed here: the citizen's words, the
replies and the new state together; if producing the reply fails, the words are still committed on their own.
While a case is open their messages go to the officer; otherwise the dialogue answers, and escalates to the desk
when asked, stuck, or in an emergency.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from assistant import callback_steps, emergency_call, inputs, texts
from assistant import identity as identities
from assistant.cases import NORMAL, Desk
from assistant.channels import channel as channel_of
from assistant.dialogue import CALLBACK_CHOICES, HUMAN, LEAVE, Dialogue, DialogueState, resolve_choice
from assistant.identity import CODE_LIFETIME, Proof, Redeemed
from assistant.intents import leaves_queue
from assistant.messages import (
    Incoming,
    LinkCodeTyped,
    LinkCodeWanted,
    NobodyAnswered,
    Once,
    ReadBack,
    Reply,
    SharedContact,
    Silence,
    Start,
    Tap,
    Text,
    Unreadable,
    VerifiedContact,
)
from assistant.outbox import send_to_citizen
from assistant.privacy import mask_phone, parse_phone
from assistant.schedule import local
from assistant.store import cases as case_store
from assistant.store import citizens as citizen_store
from assistant.store import conversations as conversation_store
from assistant.store import replays as replay_store
from assistant.store.models import Case, ChannelIdentity, Conversation, Message
from assistant.store.types import OPEN_STATUSES, CaseStatus
from assistant.turn import Next, Turn
from assistant.waiting import URGENT, QueueStatus
from knowledge.normalize import normalize

BAD_INPUT = {"empty": texts.EMPTY, "too_long": texts.TOO_LONG, "garbled": texts.GARBLED}
# What the citizen saw just before asking for a person says why they were handed over.
ESCALATION_REASON = {"offer_person": "two_misses", "out_of_scope": "out_of_scope"}
SILENCES_BEFORE_PERSON = 2
LINK_ANSWERS = {Redeemed.ALREADY: texts.LINK_ALREADY, Redeemed.LOCKED: texts.LINK_LOCKED,
                Redeemed.WRONG: texts.LINK_WRONG}
# After these, a citizen whose case waits is put through to a person: they were just handed over, or asked again.
HANDED_OVER = {"queue", "relayed", "emergency"}
# What the assistant still answers while a case waits for a person (dialogue actions, by their first part). Small
# talk is not among them: "在吗", "没事了谢谢" are for the officer, and the queue line answers them.
# A guess ("您是想问…") is not among them either: "人怎么还没来" is for the officer, not a menu of services.
WHILE_WAITING = {"answer", "detail", "repeat", "simpler", "no_such_choice"}

__all__ = ["Assistant", "Next", "Turn", "UnknownConversation"]


class UnknownConversation(LookupError):
    pass


@dataclass
class _Context:
    """One citizen message being handled: what the paths below read and change."""

    session: Session
    conversation: Conversation
    state: DialogueState
    case: Case | None  # the open case: loaded with the conversation, or opened (reopened) by this turn
    said: Message  # the citizen's words, written with the replies (or earlier, once relayed to an officer)
    goodbye: bool = False
    next: Next | None = None  # what the channel does next, when this turn decided it (the phone's emergency step)
    answered_waiting: bool = False  # the assistant answered while the case waits: the officer sees its answer too


class Assistant:
    def __init__(self, dialogue: Dialogue, desk: Desk):
        self.dialogue = dialogue
        self.desk = desk

    def handle(self, session: Session, incoming: Incoming) -> Turn:
        """What the citizen did, answered: the one way every channel reaches the engine. With incoming.once, the
        same request sent again gets the first one's turn back. UnknownConversation: incoming names a conversation
        that is not one of this channel's."""
        said = incoming.said
        if isinstance(said, Text | Tap | Silence):
            return self._message(session, incoming)
        if isinstance(said, Start):
            return self._resume(session, incoming) if said.resume else self._start(session, incoming)
        if isinstance(said, NobodyAnswered):
            return self._nobody_answered(session, incoming)
        if isinstance(said, SharedContact):
            return self._shared_contact(session, incoming, said)
        if isinstance(said, LinkCodeWanted):
            return self._link_code(session, incoming)
        if isinstance(said, LinkCodeTyped):
            return self._use_link_code(session, incoming, said.code)
        if isinstance(said, Unreadable):
            return self._unreadable(session, incoming, said.kind, with_words=said.with_words)
        if isinstance(said, ReadBack):
            return self._read_back(session, incoming)
        raise TypeError(f"not something a citizen can send: {said!r}")

    # --- starting ---

    def _start(self, session: Session, incoming: Incoming) -> Turn:
        """A new conversation, opened with a greeting; a channel that reads every reply aloud (the phone) gets
        short menus. A start sent again gets the first one's conversation back."""
        if incoming.once is not None and (earlier := self._earlier(session, incoming.once)) is not None:
            return earlier
        identity = self._identity(session, incoming.channel, incoming.sender_id, incoming.contact)
        conversation = conversation_store.start(session, identity=identity)
        state = DialogueState(spoken=channel_of(incoming.channel).speaks)
        replies = state.show([Reply(texts.GREETING, "greeting")])
        messages = self._store(session, conversation, replies, state)
        return self._commit(session, incoming.once, Turn(conversation, messages, replies))

    def _resume(self, session: Session, incoming: Incoming) -> Turn:
        """A messenger's /start: while a case of the citizen's latest conversation is open, that conversation goes
        on (what they say next still reaches the officer); otherwise a new one is opened with a greeting."""
        found = self._latest_with_case(session, incoming)
        if found is None or (case := found[1]) is None:
            return self._start(session, incoming)
        latest = found[0]
        state = DialogueState.from_dict(latest.state)
        status = self.desk.status(session, case=case)
        way_back = (LEAVE,) if status.status == CaseStatus.WAITING else ()
        replies = state.show([Reply(f"{texts.WELCOME_BACK}{status.text}", "queue", way_back)])
        messages = self._store(session, latest, replies, state)
        session.commit()
        return Turn(latest, messages, replies, status, self._next(replies, status, state))

    # --- a message: words, a tap, or silence ---

    def _message(self, session: Session, incoming: Incoming) -> Turn:
        said = incoming.said
        raw = said.text if isinstance(said, Text) else (said.label or said.key) if isinstance(said, Tap) else ""
        key = said.key if isinstance(said, Tap) else None
        text, problem = inputs.clean(raw)
        meta: dict[str, object] = {"problem": problem} if problem else {}
        if problem == "empty" and isinstance(said, Silence):
            meta["silence"] = True
        try:
            return self._turn(session, incoming, text, key, problem, meta)
        except UnknownConversation:
            session.rollback()
            raise
        except Exception:
            session.rollback()
            self._keep_words(session, incoming, text, meta)
            raise

    def _turn(self, session: Session, incoming: Incoming, text: str, key: str | None, problem: str | None,
              meta: dict[str, object]) -> Turn:
        """The citizen's words, the reply and the new state in one transaction: one commit per message."""
        conversation, case = self._locked(session, incoming)
        if incoming.once is not None and (earlier := self._earlier(session, incoming.once)) is not None:
            session.commit()  # the same message, handled before (or while this one waited for the lock)
            return earlier
        said = conversation_store.citizen_message(conversation=conversation, text=text, meta=meta)
        silent = bool(meta.get("silence"))
        turn = _Context(session, conversation, DialogueState.from_dict(conversation.state), case, said)
        if not silent:
            turn.state.silences = 0
        if silent:
            replies = self._silence(turn)
        elif problem:
            replies = self._bad_input(turn, problem)
        elif case is not None:
            replies = self._while_case_open(turn, text, key)
        else:
            replies = self._converse(turn, text, key)
        messages = self._store(session, conversation, replies, turn.state, first=said)
        if turn.answered_waiting and turn.case is not None:
            self.desk.answered_while_waiting(session, case=turn.case, messages=messages)
        status = self._status(session, turn.case)
        next_step = turn.next or self._next(replies, status, turn.state, goodbye=turn.goodbye)
        return self._commit(session, incoming.once, Turn(conversation, [said, *messages], replies, status, next_step))

    def _keep_words(self, session: Session, incoming: Incoming, text: str, meta: dict[str, object]) -> None:
        """After a turn that failed: the citizen's words are kept all the same, for the officer and the page."""
        conversation, _ = self._locked(session, incoming)
        said = conversation_store.add_message(session, conversation=conversation, role="citizen", text=text,
                                              meta=meta)
        self._commit(session, incoming.once, Turn(conversation, [said], []))

    def _silence(self, turn: _Context) -> list[Reply]:
        """Nothing said when it was the citizen's turn: one gentle re-prompt, then a person. Silence after a person
        was offered is taken as yes."""
        state = turn.state
        if turn.case is not None and (step := self._callback(turn, turn.case, "", None, silent=True)) is not None:
            return step
        state.silences += 1
        if turn.case is not None and state.last and state.last[-1].kind == "emergency_call":
            return self._emergency_silence(turn)
        state.misses += 1  # the cap counts silences and unclear words alike: no loops of re-prompts
        offered = bool(state.last) and state.last[-1].kind == "offer_person"
        if state.misses < SILENCES_BEFORE_PERSON and not offered:
            return state.show([Reply(texts.SILENCE, "silence", tuple(state.choices) or (HUMAN,))], remember=False)
        state.silences = state.misses = 0
        if turn.case is not None:
            status = self.desk.status(turn.session, case=turn.case)
            return state.show([Reply(f"{texts.ALREADY_WAITING}{status.text}", "relayed")])
        return state.show(self._escalate(turn, reason="silence", priority=NORMAL))

    def _bad_input(self, turn: _Context, problem: str) -> list[Reply]:
        if turn.case is not None and problem != "empty":
            self._relay(turn)
        choices = tuple(turn.state.choices) or (HUMAN,)  # digits keep their meaning: a slip costs nothing
        return [Reply(BAD_INPUT[problem], "bad_input", choices)]

    def _converse(self, turn: _Context, text: str, key: str | None) -> list[Reply]:
        state = turn.state
        previous = state.last[-1].kind if state.last else None
        outcome = self.dialogue.respond(text, state, key=key)
        turn.said.meta = {"action": outcome.action, "label": outcome.label, "confidence": outcome.confidence}
        turn.goodbye = outcome.action == "smalltalk:bye"
        replies = list(outcome.replies)
        if outcome.request == "human":
            reason = "two_misses" if outcome.action == "two_misses" else ESCALATION_REASON.get(previous or "", "asked")
            replies += self._escalate(turn, reason=reason, priority=NORMAL)
        elif outcome.request == "emergency" and channel_of(turn.conversation.channel).speaks:
            replies += self._emergency_call(turn, normalize(text))
        elif outcome.request == "emergency":
            replies += self._escalate(turn, reason="emergency", priority=URGENT)
            self._mark_emergency(turn, normalize(text))
        elif outcome.request in ("feedback:yes", "feedback:no"):
            return self._feedback(turn, solved=outcome.request == "feedback:yes")
        elif outcome.request == "leave":  # the queue's old button, but no case is waiting any more
            return state.show([Reply(texts.NOT_WAITING, "smalltalk")])
        elif outcome.request is not None:  # a callback answer, but no case is waiting any more
            return state.show([Reply(texts.NO_SUCH_CHOICE, "miss", (HUMAN,))])
        else:
            return replies
        return state.show(replies)

    def _while_case_open(self, turn: _Context, text: str, key: str | None) -> list[Reply]:
        """Everything goes to the officer; the assistant only speaks for safety, callbacks and the queue."""
        session, state, case = turn.session, turn.state, turn.case
        assert case is not None
        self._relay(turn)
        norm = normalize(text)
        if self.dialogue.matcher.rules.is_emergency(norm):
            self.desk.raise_priority(session, case=case)
            status = self.desk.status(session, case=case)
            advice = Reply(self.dialogue.safety_advice(norm), "emergency", priority=True)
            if channel_of(turn.conversation.channel).speaks:  # the phone's own step: the number, then what next
                step = emergency_call.first_step(self._mark_emergency(turn, norm), on_duty=status.on_duty,
                                                 duty_number=self.desk.settings.hotline_duty_number,
                                                 gas_line=self.dialogue.gas_line)
                turn.next = step.next
                return state.show([advice, step.reply])
            lead = texts.EMERGENCY_ALERTED if status.on_duty and status.status == CaseStatus.WAITING else ""
            return state.show([advice, Reply(f"{lead}{status.text}", "queue")])
        if key is None and leaves_queue(norm):  # 不要人工了, 不等了: before any callback step reads "不要" as its no
            return self._leave(turn, case)
        if (callback := self._callback(turn, case, text, key)) is not None:
            return callback
        choice = resolve_choice(norm, key, state)
        action = choice.action if choice else None
        if action == "repeat" and state.last:
            return state.show(state.last)
        if action == "leave":
            return self._leave(turn, case)
        if case.status == CaseStatus.CLAIMED:
            return []  # the officer is in the conversation: they answer
        asked_again = key == "0" or action == "human" or self.dialogue.matcher.rules.asks_for_person(norm)
        if not asked_again and (answered := self._answer_while_waiting(turn, text, key)) is not None:
            return answered
        status = self.desk.status(session, case=case)
        lead = texts.ALREADY_WAITING if asked_again else texts.RELAYED
        return state.show([Reply(f"{lead}{status.text}", "relayed", (LEAVE,))])

    def _answer_while_waiting(self, turn: _Context, text: str, key: str | None) -> list[Reply] | None:
        """A question asked while the case waits is still answered (an old button keeps its own meaning); None
        when there is nothing the assistant can answer: the words are for the officer, and the queue line says so.
        A miss here is no miss: the citizen already waits for a person."""
        trial = DialogueState.from_dict(turn.state.to_dict())  # kept only if the assistant answers
        outcome = self.dialogue.respond(text, trial, key=key)
        if outcome.request or not outcome.replies or outcome.action.split(":")[0] not in WHILE_WAITING:
            return None  # nothing answered: the menu and the count of misses stay as they were
        turn.state = trial
        turn.said.meta = {**(turn.said.meta or {}), "action": outcome.action, "label": outcome.label,
                          "confidence": outcome.confidence}
        turn.answered_waiting = True
        return list(outcome.replies)

    def _leave(self, turn: _Context, case: Case) -> list[Reply]:
        """No person wanted any more: the case is closed as the citizen's choice, and they are told in a line."""
        self.desk.leave(turn.session, case=case)
        turn.case = None
        turn.state.awaiting = None
        return turn.state.show([Reply(texts.LEFT, "left")])

    def _relay(self, turn: _Context) -> None:
        """The citizen's words go to the officer now: written first, so the officer's event can name them."""
        assert turn.case is not None
        turn.said.case_id = turn.case.id
        turn.session.add(turn.said)
        turn.session.flush()
        self.desk.relay(turn.session, case=turn.case, message=turn.said)

    # --- the other things a citizen can do ---

    def _nobody_answered(self, session: Session, incoming: Incoming) -> Turn:
        """A live hand-over failed (nobody picked up): the case stays in the queue and a callback is offered."""
        if incoming.once is not None and (earlier := self._earlier(session, incoming.once)) is not None:
            return earlier
        conversation, case = self._locked(session, incoming)
        state = DialogueState.from_dict(conversation.state)
        urgent = case is not None and case.priority >= URGENT
        if urgent and case is not None:  # an emergency: the number once more, never a callback hours later
            replies = state.show([emergency_call.farewell(case.summary.get("emergency", "general"), unanswered=True)])
        else:
            replies = state.show([Reply(texts.PERSON_UNREACHABLE, "queue"), self._callback_offer()])
        messages = self._store(session, conversation, replies, state)
        status = self._status(session, case)
        next_step = Next.HANG_UP if urgent else self._next(replies, status, state, may_hand_over=False)
        turn = Turn(conversation, messages, replies, status, next_step)
        return self._commit(session, incoming.once, turn)

    def _shared_contact(self, session: Session, incoming: Incoming, contact: SharedContact) -> Turn:
        """A phone number the channel vouches for (a messenger's shared contact of the sender's own account): this
        identity joins the citizen the number was verified for on any channel, recorded. A callback waiting for a
        number is booked with it."""
        number = parse_phone(contact.phone)
        if number is None:
            return self._said(session, incoming, [Reply(texts.CALLBACK_BAD_PHONE, "bad_input")])
        identity = self._identity(session, incoming.channel, incoming.sender_id,
                                  VerifiedContact(number, contact.proof))
        session.commit()
        latest = conversation_store.latest(session, identity_id=identity.id)
        if latest is not None and DialogueState.from_dict(latest.state).awaiting == "phone":
            return self.handle(session, Incoming(incoming.channel, incoming.sender_id, Text(number)))
        return self._said(session, incoming, [Reply(texts.PHONE_LINKED.format(phone=mask_phone(number)), "system")],
                          latest)

    def _link_code(self, session: Session, incoming: Incoming) -> Turn:
        """A one-time code to type on another channel, so both are known as this citizen."""
        identity = self._identity(session, incoming.channel, incoming.sender_id, None)
        code = identities.issue_code(session, identity=identity, secret=self._secret, at=self.desk.clock())
        session.commit()
        minutes = int(CODE_LIFETIME.total_seconds() // 60)
        reply = Reply(texts.LINK_CODE_SHOWN.format(code=" ".join(code), minutes=minutes), "system")
        return self._said(session, incoming, [reply])

    def _use_link_code(self, session: Session, incoming: Incoming, code: str) -> Turn:
        """A code shown on another channel, typed here: this identity joins the citizen who was shown it, who is
        told on their own chat (so a code typed by somebody else does not go unnoticed)."""
        identity = self._identity(session, incoming.channel, incoming.sender_id, None)
        redeemed = identities.redeem_code(session, identity=identity, code=code, secret=self._secret,
                                          at=self.desk.clock())
        issuer = redeemed.issuer
        if redeemed.outcome is not Redeemed.LINKED or issuer is None:
            session.commit()  # a wrong code counts against the tries
            return self._said(session, incoming, [Reply(LINK_ANSWERS[redeemed.outcome], "system")])
        self._tell_issuer(session, issuer, incoming.channel)
        session.commit()
        where = texts.CHANNEL_NAMES.get(issuer.channel, issuer.channel)
        return self._said(session, incoming, [Reply(texts.LINK_DONE.format(channel=where), "system")])

    def _unreadable(self, session: Session, incoming: Incoming, kind: str, *, with_words: bool = False) -> Turn:
        """Something the channel cannot pass on sent while a person is on the citizen's case: the officer is told it
        was sent, the citizen that it cannot reach the officer (and, with_words, that their words do: the channel
        passes them on next). No replies when no case is open: the channel answers in its own words."""
        found = self._latest_with_case(session, incoming)
        if found is None or (case := found[1]) is None:
            return self._said(session, incoming, [], found[0] if found else None)
        latest = found[0]
        what = texts.UNREADABLE.get(kind, texts.UNREADABLE["other"])
        said = conversation_store.add_message(session, conversation=latest, role="citizen", case_id=case.id,
                                              text=texts.UNREADABLE_SENT.format(what=what), meta={"unreadable": kind})
        self.desk.relay(session, case=case, message=said)
        state = DialogueState.from_dict(latest.state)
        told = texts.UNREADABLE_CAPTION_FOR_OFFICER if with_words else texts.UNREADABLE_FOR_OFFICER
        replies = state.show([Reply(told.format(what=what), "relayed")])
        messages = self._store(session, latest, replies, state)
        status = self._status(session, case)
        session.commit()
        return Turn(latest, [said, *messages], replies, status)

    def _read_back(self, session: Session, incoming: Incoming) -> Turn:
        """What was last said to the citizen (the assistant's answer, an officer's words), e.g. to read it aloud."""
        conversation = self._latest(session, incoming.channel, incoming.sender_id)
        if conversation is None:
            return self._said(session, incoming, [])
        rows = conversation_store.last_said_to_citizen(session, conversation_id=conversation.id)
        replies = [Reply.from_dict({**(row.meta or {}), "text": row.text}) for row in rows]
        return Turn(conversation, rows, replies)

    # --- escalation, callbacks, feedback ---

    def _escalate(self, turn: _Context, *, reason: str, priority: int) -> list[Reply]:
        case = self.desk.open_case(turn.session, conversation=turn.conversation, reason=reason, priority=priority,
                                   service_id=turn.state.guide, now_said=turn.said.text)
        turn.case = case
        status = self.desk.status(turn.session, case=case)
        if priority == URGENT and status.on_duty == 0:
            return [Reply(status.text, "queue")]  # call the number now: no callback hours later
        lead = texts.EMERGENCY_ALERTED if priority == URGENT else texts.QUEUE_STARTED
        way_back = () if priority == URGENT else (LEAVE,)
        replies = [Reply(f"{lead}{status.text}{texts.HANDED_OVER_NOTE}", "queue", way_back)]
        if status.on_duty == 0:
            replies.append(self._callback_offer())
        return replies

    def _emergency_call(self, turn: _Context, norm: str) -> list[Reply]:
        """The phone's emergency step: an urgent case for the officers, and the number to call, then a person at
        once, the duty phone, or (gas, nobody reachable) the caller hangs up and calls (assistant/emergency_call.py)."""
        case = self.desk.open_case(turn.session, conversation=turn.conversation, reason="emergency", priority=URGENT,
                                   service_id=turn.state.guide, now_said=turn.said.text)
        turn.case = case
        kind = self._mark_emergency(turn, norm)
        status = self.desk.status(turn.session, case=case)
        step = emergency_call.first_step(kind, on_duty=status.on_duty, gas_line=self.dialogue.gas_line,
                                         duty_number=self.desk.settings.hotline_duty_number)
        turn.next = step.next
        return [step.reply]

    def _mark_emergency(self, turn: _Context, norm: str) -> str:
        """Which kind of emergency, on the case: the officer sees it at once; the call's later steps use it."""
        assert turn.case is not None
        kind = self.dialogue.matcher.rules.emergency_kind(norm)
        turn.case.summary = {**turn.case.summary, "emergency": kind}
        return kind

    def _emergency_silence(self, turn: _Context) -> list[Reply]:
        """Silence after the emergency step: the advice and the number again, then a kind goodbye."""
        state = turn.state
        if state.silences < SILENCES_BEFORE_PERSON:
            return state.show(list(state.last), remember=False)
        assert turn.case is not None
        turn.next = Next.HANG_UP
        return state.show([emergency_call.farewell(turn.case.summary.get("emergency", "general"))])

    def _callback_offer(self) -> Reply:
        when = texts.spoken_time(local(self.desk.callback_due(), self.desk.settings),
                                 local(self.desk.clock(), self.desk.settings))
        return Reply(texts.CALLBACK_OFFER.format(when=when), "callback", CALLBACK_CHOICES)

    def _callback(self, turn: _Context, case: Case, text: str, key: str | None, *,
                  silent: bool = False) -> list[Reply] | None:
        """A step of a callback being arranged (assistant/callback_steps.py); None when the citizen is not in one,
        or their words go the usual way."""
        state = turn.state
        if not callback_steps.in_progress(state):
            return None
        norm = normalize(text)
        person = key == "0" or (not silent and self.dialogue.matcher.rules.asks_for_person(norm))
        said = callback_steps.Said(text, norm, key, silent, person)
        on_duty = self.desk.status(turn.session, case=case).on_duty
        step = callback_steps.step(state, said, known=turn.conversation.citizen.phone, on_duty=on_duty)
        if step is None:
            return None
        replies = list(step.replies)
        if step.book is not None:
            if step.typed:  # a number to call back for this case, not proof of anyone
                case.summary = {**case.summary, "phone": step.book}
            replies.append(self._book(turn.session, case, step.book))
        return state.show(replies)

    def _book(self, session: Session, case: Case, phone: str) -> Reply:
        callback = self.desk.book_callback(session, case=case, phone=phone)
        settings = self.desk.settings
        when = texts.spoken_time(local(callback.due_at, settings), local(self.desk.clock(), settings))
        return Reply(texts.CALLBACK_BOOKED.format(when=when, phone=phone), "callback")

    def _feedback(self, turn: _Context, solved: bool) -> list[Reply]:
        session, state = turn.session, turn.state
        case = case_store.last_resolved(session, conversation_id=turn.conversation.id)
        if case is None:
            return state.show([Reply(texts.NO_SUCH_CHOICE, "miss", (HUMAN,))])
        self.desk.feedback(session, case=case, solved=solved)
        if solved:
            return state.show([Reply(texts.FEEDBACK_THANKS, "feedback")])
        turn.case = case  # back in the queue
        status = self.desk.status(session, case=case)
        replies = [Reply(f"{texts.REOPENED}{status.text}", "queue", (LEAVE,))]
        if status.on_duty == 0:
            replies.append(self._callback_offer())
        return state.show(replies)

    # --- what the channel does next ---

    def _status(self, session: Session, case: Case | None) -> QueueStatus | None:
        """The open case after the turn, as the citizen sees it (the queue was read once for the whole turn)."""
        if case is None or case.status not in OPEN_STATUSES:
            return None
        return self.desk.status(session, case=case)

    @staticmethod
    def _next(replies: list[Reply], case: QueueStatus | None, state: DialogueState, *, goodbye: bool = False,
              may_hand_over: bool = True) -> Next:
        last = replies[-1] if replies else None
        choices = tuple(c for c in last.choices if c.action != "leave") if last else ()  # the way out is no menu
        handed_over = last is None or (not choices and last.kind in HANDED_OVER)
        if may_hand_over and case is not None and case.on_duty > 0 and handed_over:
            return Next.HAND_OVER
        asks_number = state.awaiting == "phone"
        if goodbye or (case is not None and not choices and not asks_number):
            return Next.HANG_UP  # nobody on duty and nothing left to choose: a callback is what comes next
        return Next.LISTEN_FOR_NUMBER if asks_number else Next.LISTEN

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
        """The turn stored under this key, as it was stored: its messages, and the replies among them, with the case
        as it is now. KeyReused when the key was recorded for another request."""
        row = replay_store.earlier(session, scope=once.scope, key=once.key, digest=once.digest)
        conversation = conversation_store.get(session, conversation_id=row.conversation_id or "") if row else None
        if row is None or conversation is None:
            return None
        messages = conversation_store.by_ids(session, conversation_id=conversation.id, ids=row.message_ids)
        replies = [Reply.from_dict({**(m.meta or {}), "text": m.text}) for m in messages if m.role == "assistant"]
        case = case_store.open_for_conversation(session, conversation_id=conversation.id)
        return Turn(conversation, messages, replies, self._status(session, case), replayed=True)

    # --- storage ---

    def _locked(self, session: Session, incoming: Incoming) -> tuple[Conversation, Case | None]:
        """The conversation named (web, phone), else the sender's latest on this channel, else a new one; with its
        open case, read in one statement and locked until the turn commits."""
        if incoming.conversation_id is not None:
            found = conversation_store.for_turn(session, conversation_id=incoming.conversation_id)
            if found is None or found[0].channel != incoming.channel:
                raise UnknownConversation(incoming.conversation_id)
            return found
        identity = self._identity(session, incoming.channel, incoming.sender_id, incoming.contact)
        found = conversation_store.for_turn(session, identity_id=identity.id)
        return found or (conversation_store.start(session, identity=identity), None)

    def _latest_with_case(self, session: Session, incoming: Incoming) -> tuple[Conversation, Case | None] | None:
        identity = citizen_store.identity(session, channel=incoming.channel, external_id=incoming.sender_id)
        return conversation_store.for_turn(session, identity_id=identity.id) if identity is not None else None

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

    def _said(self, session: Session, incoming: Incoming, replies: list[Reply],
              conversation: Conversation | None = None) -> Turn:
        """A turn that only answers (nothing of the conversation is stored): the sender's latest conversation, or
        a new one when they have none yet."""
        session.commit()  # nothing is left open: the reads above end here too
        if conversation is None:
            conversation = self._latest(session, incoming.channel, incoming.sender_id)
        if conversation is None:
            identity = self._identity(session, incoming.channel, incoming.sender_id, None)
            conversation = conversation_store.start(session, identity=identity)
            session.commit()
        return Turn(conversation, [], replies)

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

    def _store(self, session: Session, conversation: Conversation, replies: list[Reply], state: DialogueState,
               first: Message | None = None) -> list[Message]:
        said = [(reply.text, {k: v for k, v in reply.to_dict().items() if k != "text"}) for reply in replies]
        if first is not None and first in session:
            first = None  # written already (relayed to the officer)
        return conversation_store.save_replies(session, conversation=conversation, said=said,
                                               state=state.to_dict(), first=first)
