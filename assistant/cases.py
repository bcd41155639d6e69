"""The escalation desk: cases in a queue, officers who claim, reply, note, hand over and resolve, callbacks.

Every action is recorded as a case event (who, what, when). Methods change the session and leave the commit to the
caller (one request or one message is one unit of work); live events go out after that commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from assistant import history, texts, views
from assistant.dialogue import FEEDBACK_CHOICES, DialogueState
from assistant.live.events import OFFICERS_TOPIC, QUEUE_TOPIC, conversation_topic
from assistant.messages import Reply
from assistant.outbox import publish_after_commit, send_to_citizen
from assistant.privacy import mask_text
from assistant.schedule import callback_time
from assistant.served import ServedMatcher
from assistant.settings import Settings
from assistant.store import callbacks as callback_store
from assistant.store import cases as case_store
from assistant.store import citizens as citizen_store
from assistant.store import conversations as conversation_store
from assistant.store.models import Callback, Case, Conversation, IdentityLink, Message, Officer
from assistant.store.types import StaffRole, utcnow
from assistant.waiting import URGENT, QueueSnapshot, QueueStatus, snapshot
from knowledge.schema import Guide

NORMAL = 0  # priorities: emergencies (URGENT) are taken first
SUPERVISORS = (StaffRole.SUPERVISOR, StaffRole.ADMIN)
SAID_IN_SUMMARY = 10  # the citizen's last words the officer sees at once


class CaseError(Exception):
    """An action that does not fit the case's state (409)."""


class CaseForbidden(CaseError):
    """An officer acting on a case that is not theirs (403)."""


def _actor(officer: Officer) -> str:
    return f"officer:{officer.username}"


class Desk:
    def __init__(self, settings: Settings, served: ServedMatcher,
                 clock: Callable[[], dt.datetime] = utcnow):
        self.settings = settings
        self.served = served
        self.clock = clock

    @property
    def guides(self) -> dict[str, Guide]:
        """The guides of the model serving now."""
        return self.served.guides

    # --- the citizen's side, called by the engine ---

    def open_case(self, session: Session, *, conversation: Conversation, reason: str, priority: int,
                  service_id: str | None, now_said: str | None = None) -> Case:
        """now_said: the citizen's words of this turn, when they are not written yet (they join the summary)."""
        summary = self._summary(session, conversation, reason, service_id, now_said)
        case = case_store.create(session, conversation=conversation, reason=reason, priority=priority,
                                 service_id=service_id, summary=summary)
        case_store.add_event(session, case=case, kind="opened", actor="citizen",
                             detail={"reason": reason, "priority": priority}, at=self.clock())
        self._announce(session, {"type": "case_opened", "case": views.case(case)})
        return case

    def status(self, session: Session, *, case: Case) -> QueueStatus:
        return self._snapshot(session).status_of(case)

    def relay(self, session: Session, *, case: Case, message: Message) -> None:
        """A citizen's message while the case is open goes to the officer, not to the bot."""
        message.case_id = case.id
        case_store.add_event(session, case=case, kind="citizen_message", actor="citizen",
                             detail={"message_id": message.id}, at=self.clock())
        publish_after_commit(session, OFFICERS_TOPIC, {"type": "citizen_message", "case_id": case.id,
                                                       "message": views.message(message, masked=True)})

    def answered_while_waiting(self, session: Session, *, case: Case, messages: list[Message]) -> None:
        """The assistant answered the citizen while their case waits: the answer belongs to the case, and officers
        see it as it is given, beside the question."""
        for message in messages:
            if message.role == "assistant":
                message.case_id = case.id
                publish_after_commit(session, OFFICERS_TOPIC, {"type": "assistant_message", "case_id": case.id,
                                                               "message": views.message(message, masked=True)})
        session.flush()

    def raise_priority(self, session: Session, *, case: Case) -> None:
        if case.priority < URGENT:
            case_store.set_priority(session, case=case, priority=URGENT)
            case_store.add_event(session, case=case, kind="priority_raised", actor="assistant",
                                 detail={"priority": URGENT}, at=self.clock())
            self._announce(session, {"type": "case_updated", "case": views.case(case)})

    def feedback(self, session: Session, *, case: Case, solved: bool) -> None:
        """The citizen's one answer to "问题解决了吗？"; "no" puts the case back in the queue."""
        case_store.add_event(session, case=case, kind="feedback", actor="citizen", detail={"solved": solved},
                             at=self.clock())
        if not solved:
            case_store.set_status(session, case=case, status="waiting")
            case_store.add_event(session, case=case, kind="reopened", actor="citizen", at=self.clock())
            self._announce(session, {"type": "case_updated", "case": views.case(case)})

    def leave(self, session: Session, *, case: Case) -> None:
        """The citizen no longer wants a person ("不要人工了"): the case is closed, recorded as their choice (a
        "left" event, not "resolved": it counts as neither solved nor handled), and officers see it go."""
        was = case.status
        case_store.set_status(session, case=case, status="resolved", at=self.clock())
        case_store.add_event(session, case=case, kind="left", actor="citizen", detail={"was": was}, at=self.clock())
        # Officers see it go and the others move up; the citizen's own channel is not told "resolved": they were
        # just told, in the turn, that they left.
        publish_after_commit(session, OFFICERS_TOPIC, {"type": "case_updated", "case": views.case(case)})
        self.queue_changed(session)

    def book_callback(self, session: Session, *, case: Case, phone: str) -> Callback:
        due = callback_time(self.clock(), self.settings)
        callback = callback_store.create(session, case=case, phone=phone, due_at=due)
        case_store.add_event(session, case=case, kind="callback_booked", actor="citizen",
                             detail={"callback_id": callback.id, "due_at": due.isoformat()}, at=self.clock())
        publish_after_commit(session, OFFICERS_TOPIC, {"type": "callback_booked", "callback": views.callback(callback)})
        return callback

    def callback_due(self) -> dt.datetime:
        return callback_time(self.clock(), self.settings)

    # --- the officer's side, called by the officer API ---

    def claim(self, session: Session, *, case: Case, officer: Officer) -> None:
        if case.status != "waiting":
            raise CaseError(f"case {case.id} is {case.status}, not waiting")
        case_store.set_status(session, case=case, status="claimed", officer=officer, at=self.clock())
        case_store.add_event(session, case=case, kind="claimed", actor=_actor(officer), officer=officer,
                             at=self.clock())
        self._tell_citizen(session, case, texts.OFFICER_JOINED.format(name=officer.name))
        self._announce(session, {"type": "case_updated", "case": views.case(case)})

    def reply(self, session: Session, *, case: Case, officer: Officer, text: str) -> Message:
        """The officer's words reach the citizen live, on the channel they use."""
        self._check_handling(case, officer)
        conversation = case.conversation
        message = conversation_store.add_message(session, conversation=conversation, role="officer", text=text,
                                                 meta={"kind": "officer"}, case_id=case.id, officer=officer)
        case_store.add_event(session, case=case, kind="officer_reply", actor=_actor(officer), officer=officer,
                             detail={"message_id": message.id}, at=self.clock())
        send_to_citizen(session, conversation, message)
        return message

    def note(self, session: Session, *, case: Case, officer: Officer, text: str) -> None:
        """An internal note: staff see it, the citizen does not. Numbers in it are masked; the words are kept
        beside the chained event, so the purge can clear them and the trail still verifies."""
        case_store.add_event(session, case=case, kind="note", actor=_actor(officer), officer=officer,
                             words=mask_text(text), at=self.clock())

    def hand_over(self, session: Session, *, case: Case, officer: Officer, to: Officer | None,
                  note: str | None = None) -> None:
        """To another officer, or back to the queue (to=None)."""
        self._check_handling(case, officer)
        detail: dict[str, Any] = {"to": to.username if to else None}
        if to is None:
            case_store.set_status(session, case=case, status="waiting")
        else:
            case_store.set_status(session, case=case, status="claimed", officer=to, at=self.clock())
        case_store.add_event(session, case=case, kind="handed_over", actor=_actor(officer), officer=officer,
                             detail=detail, words=mask_text(note) if note else None, at=self.clock())
        if to is not None:
            self._tell_citizen(session, case, texts.OFFICER_JOINED.format(name=to.name))
        self._announce(session, {"type": "case_updated", "case": views.case(case)})

    def resolve(self, session: Session, *, case: Case, officer: Officer, note: str | None = None) -> None:
        """Closed; the citizen is asked once whether it solved their problem."""
        self._check_handling(case, officer)
        case_store.set_status(session, case=case, status="resolved", at=self.clock())
        case_store.add_event(session, case=case, kind="resolved", actor=_actor(officer), officer=officer,
                             words=mask_text(note) if note else None, at=self.clock())
        self._tell_citizen(session, case, texts.CASE_RESOLVED)
        if not case.feedback_asked:
            case_store.mark_feedback_asked(session, case=case)
            self._ask_feedback(session, case)
        self._announce(session, {"type": "case_updated", "case": views.case(case)})

    def reveal(self, session: Session, *, case: Case, officer: Officer, what: str) -> None:
        """Full ID or phone numbers shown to an officer: recorded with who and when, like every other action."""
        case_store.add_event(session, case=case, kind="revealed", actor=_actor(officer), officer=officer,
                             detail={"what": what}, at=self.clock())

    def undo_link(self, session: Session, *, case: Case, link: IdentityLink, officer: Officer) -> None:
        """A supervisor separates channels that were joined to this case's citizen: recorded on the case."""
        if officer.role not in SUPERVISORS:
            raise CaseForbidden("only a supervisor can undo a link")
        if link.citizen_id != case.citizen_id or link.undone_at is not None:
            raise CaseError(f"link {link.id} is not an active link of this citizen")
        detail = {"link_id": link.id, "proof": link.proof, "channel": link.identity.channel}
        citizen_store.undo(session, link=link, officer=officer, at=self.clock())
        case_store.add_event(session, case=case, kind="link_undone", actor=_actor(officer), officer=officer,
                             detail=detail, at=self.clock())

    def close_callback(self, session: Session, *, callback: Callback, officer: Officer, reached: bool) -> None:
        if callback.status != "pending":
            raise CaseError(f"callback {callback.id} is already {callback.status}")
        status = "done" if reached else "missed"
        callback_store.close(session, callback=callback, status=status, officer=officer, at=self.clock())
        case = case_store.get(session, case_id=callback.case_id)
        assert case is not None  # a foreign key guarantees it
        case_store.add_event(session, case=case, kind=f"callback_{status}", actor=_actor(officer), officer=officer,
                             detail={"callback_id": callback.id}, at=self.clock())

    def queue_changed(self, session: Session) -> None:
        """An officer went on or off duty (or a citizen left the queue): every waiting citizen's place and wait
        change, and each channel is told."""
        queue = self._snapshot(session)
        publish_after_commit(session, QUEUE_TOPIC, {"type": "queue_changed", "queue": queue.to_event()})

    # --- helpers ---

    def _snapshot(self, session: Session) -> QueueSnapshot:
        return snapshot(session, now=self.clock(), default_seconds=self.settings.queue_default_handling_minutes * 60)

    def _check_handling(self, case: Case, officer: Officer) -> None:
        if case.status == "resolved":
            raise CaseError(f"case {case.id} is resolved")
        if officer.role in SUPERVISORS:
            return
        if case.claimed_by != officer.id:
            raise CaseForbidden(f"case {case.id} is not claimed by you")

    def _summary(self, session: Session, conversation: Conversation, reason: str, service_id: str | None,
                 now_said: str | None) -> dict[str, Any]:
        """What the officer needs so the citizen never has to repeat themselves."""
        guide = self.guides.get(service_id) if service_id else None
        said = conversation_store.citizen_texts(session, conversation_id=conversation.id,
                                                limit=SAID_IN_SUMMARY - (now_said is not None))
        if now_said is not None:
            said.append(now_said)
        return {"service_id": service_id, "service_title": guide.title if guide else None, "reason": reason,
                "channel": conversation.channel, "phone": conversation.citizen.phone, "said": said,
                "earlier": history.earlier(session, conversation=conversation)}

    def _tell_citizen(self, session: Session, case: Case, text: str, reply: Reply | None = None) -> Message:
        reply = reply or Reply(text, "system")
        meta = {k: v for k, v in reply.to_dict().items() if k != "text"}
        message = conversation_store.add_message(session, conversation=case.conversation, role="assistant",
                                                 text=reply.text, meta=meta, case_id=case.id)
        send_to_citizen(session, case.conversation, message)
        return message

    def _ask_feedback(self, session: Session, case: Case) -> None:
        reply = Reply(texts.FEEDBACK_QUESTION, "feedback", FEEDBACK_CHOICES)
        self._tell_citizen(session, case, reply.text, reply)
        state = DialogueState.from_dict(case.conversation.state)
        state.show([reply], remember=False)
        conversation_store.save_state(session, conversation=case.conversation, state=state.to_dict())

    def _announce(self, session: Session, event: dict[str, Any]) -> None:
        """Tell officers; and tell every waiting citizen their refreshed place and wait, in one event for all of
        them (each channel picks out its own citizens: assistant/waiting.py QueueSnapshot.from_event)."""
        publish_after_commit(session, OFFICERS_TOPIC, event)
        queue = self._snapshot(session)
        publish_after_commit(session, QUEUE_TOPIC, {"type": "queue_changed", "queue": queue.to_event()})
        if event.get("case") and event["case"]["status"] != "waiting":
            case = case_store.get(session, case_id=event["case"]["id"])
            if case is not None:  # no longer in the queue: its citizen is told how it stands
                publish_after_commit(session, conversation_topic(case.conversation_id),
                                     {"type": "queue", "case": queue.status_of(case).to_dict()})
