"""A collecting channel for engine tests, and the expectations a transcript is written in.

A transcript is a list of steps: (what the citizen says, what the assistant's replies must show), or an officer's
action. Expectations check the reply kind and text drawn from the guides themselves, so the tables stay true while
the guides' wording is edited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from assistant import texts
from assistant.messages import Incoming, Reply, Tap, Text
from assistant.runtime import Runtime
from assistant.store import cases as case_store
from assistant.store.models import Case, Officer
from knowledge.schema import Guide


class Chat:
    """One citizen talking to the engine on a test channel; every call is one unit of work, like a request."""

    def __init__(self, runtime: Runtime, session: Session, sender: str = "citizen-1", channel: str = "test"):
        self.runtime, self.session, self.sender, self.channel = runtime, session, sender, channel
        self.conversation_id: str | None = None

    def say(self, text: str, choice: str | None = None) -> list[Reply]:
        said = Tap(choice, text) if choice else Text(text)
        turn = self.runtime.assistant.handle(self.session, Incoming(self.channel, self.sender, said))
        self.conversation_id = turn.conversation.id
        return turn.replies

    @property
    def case(self) -> Case | None:
        """The conversation's open case, else its last resolved one."""
        assert self.conversation_id is not None
        return (case_store.open_for_conversation(self.session, conversation_id=self.conversation_id)
                or case_store.last_resolved(self.session, conversation_id=self.conversation_id))


# --- expectations ---

@dataclass(frozen=True)
class Expect:
    """The last reply's kind, and text it must contain; extra checks on the whole turn."""

    kind: str
    contains: tuple[str, ...] = ()
    check: Callable[[list[Reply], Chat], bool] | None = field(default=None, compare=False)
    label: str = ""

    def __repr__(self) -> str:
        return self.label or f"{self.kind} containing {self.contains}"

    def met_by(self, replies: list[Reply], chat: Chat) -> bool:
        if not replies:
            return self.kind == "nothing"
        text = "\n".join(r.text for r in replies)
        return (replies[-1].kind == self.kind and all(c in text for c in self.contains)
                and (self.check is None or self.check(replies, chat)))


def _guide(chat: Chat, service_id: str) -> Guide:
    return chat.runtime.matcher.kb.guides[service_id]


def answers(service_id: str) -> Expect:
    """The guide's short answer, with the four detail choices and the way to a person."""
    def check(replies: list[Reply], chat: Chat) -> bool:
        answer = next(r for r in replies if r.kind == "answer")
        keys = [c.key for c in replies[-1].choices]
        return answer.text.startswith(_guide(chat, service_id).short_answer) and keys == ["1", "2", "3", "4", "0"]
    return Expect("answer", check=check, label=f"the short answer of {service_id}")


def answers_with_detail(service_id: str, detail: str) -> Expect:
    def check(replies: list[Reply], chat: Chat) -> bool:
        return replies[0].text.startswith(_guide(chat, service_id).short_answer) and \
            replies[-1].text == chat.runtime.assistant.dialogue.detail_text(_guide(chat, service_id), detail)
    return Expect("detail", check=check, label=f"the short answer of {service_id}, then its {detail}")


def details(service_id: str, detail: str) -> Expect:
    def check(replies: list[Reply], chat: Chat) -> bool:
        return replies[-1].text == chat.runtime.assistant.dialogue.detail_text(_guide(chat, service_id), detail)
    return Expect("detail", check=check, label=f"the {detail} of {service_id}")


def asks_which(*service_ids: str) -> Expect:
    def check(replies: list[Reply], chat: Chat) -> bool:
        picks = [c.action.removeprefix("pick:") for c in replies[-1].choices if c.action.startswith("pick:")]
        return replies[-1].text.startswith("您是想问") and set(service_ids) <= set(picks) and \
            replies[-1].choices[-1].action == "human"
    return Expect("clarify", check=check, label=f"您是想问 … offering {service_ids}")


def in_queue(position: int = 1, *, urgent: bool = False, reason: str | None = None) -> Expect:
    def check(replies: list[Reply], chat: Chat) -> bool:
        case = chat.case
        return case is not None and case.status == "waiting" and (case.priority > 0) == urgent and \
            (reason is None or case.reason == reason)
    place = "您排在第一位" if position == 1 else f"您前面还有{position - 1}位"
    return Expect("queue", (place,), check, label=f"a case opened, place {position} told")


def offers_callback() -> Expect:
    return Expect("callback", ("给您回电话",), label="a callback offered at a stated time")


def miss(text: str = texts.NOT_UNDERSTOOD) -> Expect:
    return Expect("miss", (text,), label="not understood, asked to say it again")


def not_covered() -> Expect:
    return Expect("out_of_scope", (texts.NOT_COVERED,), label="said plainly it is not covered, a person offered")


def offers_person() -> Expect:
    def check(replies: list[Reply], chat: Chat) -> bool:
        return [c.action for c in replies[-1].choices] == ["human", "retry"]
    return Expect("offer_person", (texts.OFFER_PERSON,), check, label="a person offered")


def emergency_advice(*words: str) -> Expect:
    def check(replies: list[Reply], chat: Chat) -> bool:
        return replies[0].kind == "emergency" and replies[0].priority and chat.case is not None and \
            chat.case.priority > 0
    return Expect("queue", words, check, label=f"safety advice mentioning {words} first, an urgent case")


def says(kind: str, *words: str) -> Expect:
    return Expect(kind, words)


NOTHING = Expect("nothing", label="no reply from the assistant: the officer answers")


# --- officer steps inside a transcript ---

@dataclass(frozen=True)
class OfficerStep:
    action: str  # claim | reply | resolve
    text: str = ""

    def run(self, chat: Chat, officer: Officer) -> None:
        desk, session, case = chat.runtime.desk, chat.session, chat.case
        assert case is not None, "no case to act on"
        if self.action == "claim":
            desk.claim(session, case=case, officer=officer)
        elif self.action == "reply":
            desk.reply(session, case=case, officer=officer, text=self.text)
        elif self.action == "resolve":
            desk.resolve(session, case=case, officer=officer)
        session.commit()


def officer(action: str, text: str = "") -> OfficerStep:
    return OfficerStep(action, text)


Step = tuple[str, Expect] | tuple[str, str, Expect] | OfficerStep


def run_transcript(chat: Chat, steps: list[Step], officer_on_duty: Officer | None = None) -> None:
    for number, step in enumerate(steps, 1):
        if isinstance(step, OfficerStep):
            assert officer_on_duty is not None, "an officer step needs an officer"
            step.run(chat, officer_on_duty)
            continue
        text, *choice, expect = step
        replies = chat.say(text, *choice)
        got = [(r.kind, r.text) for r in replies]
        assert expect.met_by(replies, chat), f"step {number}: citizen said {text!r}, expected {expect!r}, got {got}"
