"""The dialogue policy: from what the citizen says and the conversation so far to the assistant's replies.

Pure logic over a small state (no database, no channel): answer, details on request, follow-ups in context,
ask when unsure, repeat or simplify on request, offer a person after two misses, emergencies first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant import intents, safety, texts, topics
from assistant.messages import Choice, Reply, ReplyKind
from assistant.served import ServedMatcher
from knowledge.decision import Decision, Source
from knowledge.loader import Office
from knowledge.matcher import Matcher
from knowledge.normalize import normalize
from knowledge.schema import Guide

# A follow-up like "那在哪办" is about the current service unless the rest of it names another this surely.
NEW_TOPIC_CONFIDENCE = 0.4
# Sure enough that the question is about nothing we cover: say so plainly, rather than "I did not understand".
NOT_COVERED_CONFIDENCE = 0.6
ASKED_NOT_COVERED_CONFIDENCE = 0.4
NAMES_A_MATTER = 4  # characters left besides the detail words: "孙子考大学填志愿咋弄" names something, "那要带啥" not
MISSES_BEFORE_PERSON = 2
# Details worth adding to a first answer when the question names them ("换身份证要多少钱"); "怎么办" is just asking.
FIRST_ANSWER_DETAILS = {"materials", "where", "fee", "proxy", "time", "online"}

HUMAN = Choice("0", texts.HUMAN_LABEL, "human")
DETAIL_CHOICES = tuple(Choice(str(i), label, f"detail:{kind}")
                       for i, (kind, label) in enumerate(texts.DETAIL_LABELS.items(), 1)) + (HUMAN,)
# A spoken menu stays short (at most four options, read aloud): hearing it again, then what callers need most.
SPOKEN_DETAIL_CHOICES = (Choice("1", texts.REPEAT_LABEL, "repeat"),
                         Choice("2", texts.DETAIL_LABELS["materials"], "detail:materials"),
                         Choice("3", texts.DETAIL_LABELS["where"], "detail:where"), HUMAN)
OFFER_CHOICES = (Choice("1", texts.OFFER_YES, "human"), Choice("2", texts.OFFER_RETRY, "retry"))
FEEDBACK_CHOICES = (Choice("1", texts.SOLVED_YES, "feedback:yes"), Choice("2", texts.SOLVED_NO, "feedback:no"))
ASK_ANSWERS = {"human": texts.ASK_HUMAN, "out_of_scope": texts.ASK_OUT_OF_SCOPE}  # a question on its own
LEAVE = Choice("9", texts.LEAVE_LABEL, "leave")  # on the queue's lines: the way back out
CALLBACK_CHOICES = (Choice("1", texts.CALLBACK_YES, "callback:yes"), Choice("2", texts.CALLBACK_NO, "callback:no"))


@dataclass
class DialogueState:
    """What the assistant remembers between messages; kept as JSON on the conversation."""

    guide: str | None = None  # the service being talked about: follow-ups refer to it
    misses: int = 0  # not understood in a row
    choices: list[Choice] = field(default_factory=list)  # what the digits mean right now
    last: list[Reply] = field(default_factory=list)  # for 再说一遍
    awaiting: str | None = None  # "phone" while a callback number is being asked for
    spoken: bool = False  # the channel reads replies aloud (the phone): short menus
    silences: int = 0  # prompts met with silence in a row
    checklist_sent: bool = False  # the answer's essentials went to the citizen's other chats

    def to_dict(self) -> dict[str, Any]:
        return {"guide": self.guide, "misses": self.misses, "choices": [c.to_dict() for c in self.choices],
                "last": [r.to_dict() for r in self.last], "awaiting": self.awaiting, "spoken": self.spoken,
                "silences": self.silences, "checklist_sent": self.checklist_sent}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DialogueState:
        data = data or {}
        return cls(data.get("guide"), data.get("misses", 0), [Choice.from_dict(c) for c in data.get("choices", [])],
                   [Reply.from_dict(r) for r in data.get("last", [])], data.get("awaiting"),
                   data.get("spoken", False), data.get("silences", 0), data.get("checklist_sent", False))

    def show(self, replies: list[Reply], *, remember: bool = True) -> list[Reply]:
        """Replies about to be shown: their choices become what the digits mean."""
        if remember:
            self.last = replies
        self.choices = list(replies[-1].choices) if replies else []
        return replies


@dataclass(frozen=True)
class Outcome:
    replies: list[Reply]
    action: str  # what the assistant did: for the record, the staff summary and the statistics
    label: str | None = None  # the matcher's decided label, when it was asked
    confidence: float | None = None
    request: str | None = None  # for the engine: "human", "emergency", or a picked "feedback:…"/"callback:…"


def resolve_choice(norm: str, key: str | None, state: DialogueState) -> Choice | None:
    """A tapped key, a typed digit, the choice's own words, or yes/no when the choices are a yes/no question."""
    choice = intents.pick(norm, key, state.choices, normalize)
    if choice is not None or key is not None or intents.choice_key(norm) is not None:
        return choice
    answers = {c.action.rsplit(":", 1)[-1]: c for c in state.choices if c.action.endswith((":yes", ":no"))}
    offer = {c.action: c for c in state.choices if c.action in ("human", "retry")}
    if not answers and len(offer) == 2:  # "我请工作人员来帮您，好吗？" answered "好" or "不用"
        answers = {"yes": offer["human"], "no": offer["retry"]}
    if answers:
        said = intents.yes_no(norm)
        return answers.get("" if said is None else "yes" if said else "no")
    return None


def _detail_choices(state: DialogueState) -> tuple[Choice, ...]:
    return SPOKEN_DETAIL_CHOICES if state.spoken else DETAIL_CHOICES


@dataclass(frozen=True)
class Asked:
    """One question answered without a conversation (POST /api/ask): the decision, and the answer to show."""

    decision: Decision
    answer: str


class Dialogue:
    def __init__(self, served: ServedMatcher, offices: dict[str, Office],
                 today: Callable[[], dt.date] = dt.date.today, *, gas_line: str | None = None):
        self.served = served
        self.offices = offices
        self.today = today  # for "this guide is due for review": the model itself keeps no clock
        self.gas_line = gas_line  # the gas company's emergency line (Settings.gas_line), said in the gas advice

    @property
    def matcher(self) -> Matcher:
        """The model serving now (assistant/matching.py holds it)."""
        return self.served.current

    @property
    def guides(self) -> dict[str, Guide]:
        return self.matcher.kb.guides

    def ask(self, text: str) -> Asked:
        """A question on its own: a service's short answer, the safety advice, or what to do instead."""
        decision = self.matcher.decide(text)
        guide = self.guides.get(decision.label)
        if guide is not None:
            answer = texts.answer(guide, past_review=guide.is_past_review(self.today()))
        elif decision.label == "emergency":
            answer = self.safety_advice(normalize(text))
        else:
            answer = ASK_ANSWERS[decision.label]
        return Asked(decision, answer)

    def safety_advice(self, norm: str) -> str:
        """What to do right now in this emergency, with the number to call (and the office's gas line)."""
        return safety.advice(norm, self.matcher.rules, gas_line=self.gas_line)

    def respond(self, text: str, state: DialogueState, *, key: str | None = None) -> Outcome:
        """The assistant's turn; updates state in place."""
        norm = normalize(text)
        decision = self.matcher.decide(text)
        if decision.source is Source.RULE and decision.action == "emergency":
            return self._emergency(norm, state, decision)
        choice = resolve_choice(norm, key, state)
        if choice is not None:
            return self._chosen(choice, state)
        if key is not None and norm and intents.choice_key(norm) is None:
            key = None  # an old button tapped late: its words are the question
        picked_key = key or intents.choice_key(norm)
        if picked_key is None and intents.leaves_queue(norm):  # "不要人工了" is not a request for one
            return Outcome([Reply(texts.NOT_WAITING, "smalltalk")], "smalltalk:no_person")
        if picked_key == "0" or (decision.source is Source.RULE and decision.action == "human"):
            return self._to_person(state, decision)
        if picked_key is not None:
            return self._no_such_choice(picked_key, state, decision)
        if (early := self._conversational(norm, state)) is not None:
            return early
        detail = intents.detail_kind(norm)
        if detail and state.guide in self.guides:
            new_topic = self._new_topic(norm, state.guide)
            if new_topic is None:
                return self._detail(self.guides[state.guide], detail, state)
            decision = new_topic
        return self._consoled(norm, self._decided(decision, norm, detail, state), state)

    @staticmethod
    def _consoled(norm: str, outcome: Outcome, state: DialogueState) -> Outcome:
        """An answer to someone who lost a family member begins with condolence."""
        if not outcome.replies or outcome.action not in ("answer", "clarify") or not topics.bereaved(norm):
            return outcome
        first, *rest = outcome.replies
        replies = [dataclasses.replace(first, text=f"{texts.CONDOLENCE}{first.text}"), *rest]
        return dataclasses.replace(outcome, replies=state.show(replies))

    def _conversational(self, norm: str, state: DialogueState) -> Outcome | None:
        """再说一遍, 说简单点, thanks and hello: answered without the matcher's opinion."""
        if intents.is_repeat(norm):
            return self._repeat(state)
        if intents.is_simpler(norm) and state.last:
            simple = [Reply(texts.simpler(state.last[0].text), "detail", state.last[-1].choices)]
            return Outcome(state.show(simple, remember=False), "simpler")
        if (kind := intents.smalltalk(norm)) is not None:
            reply_kind: ReplyKind = "goodbye" if kind == "bye" else "smalltalk"  # the phone ends the call on it
            return Outcome([Reply(texts.SMALLTALK[kind], reply_kind)], f"smalltalk:{kind}")
        return None

    def _decided(self, decision: Decision, norm: str, detail: str | None, state: DialogueState) -> Outcome:
        if decision.action == "emergency":
            return self._emergency(norm, state, decision)
        decision = topics.steer(norm, decision, self.guides)  # "问下那个补贴的事儿" asks which, not for a person
        if decision.action == "human" and decision.source is Source.MODEL and intents.asks_about_a_matter(norm):
            return self._miss(state, texts.NEED_TOPIC, "need_topic", decision)  # "我想问个事": which one?
        if decision.action == "human":
            return self._to_person(state, decision)
        if intents.broken_appliance(norm):  # not a public service, however the scores look ("冰箱坏了找谁修")
            return self._miss(state, texts.NOT_COVERED_APPLIANCE, "out_of_scope", decision, kind="out_of_scope")
        if decision.action == "answer":
            return self._answer(self.guides[decision.label], state, decision, detail)
        if decision.action == "clarify":
            return self._clarify(decision, state)
        if detail and state.guide is None and len(intents.without_details(norm)) < NAMES_A_MATTER:
            return self._miss(state, texts.NEED_TOPIC, "need_topic", decision)  # "那要带啥": about what?
        not_covered = decision.source is Source.MODEL and decision.reason == "model:out_of_scope"
        if intents.is_nonsense(norm):
            return self._miss(state, texts.NOT_UNDERSTOOD, "not_understood", decision)
        # A request plainly made ("快递丢了找谁") but for nothing we cover: where to go, even when less sure.
        asked_where = intents.asks_where_to_go(norm) and decision.confidence >= ASKED_NOT_COVERED_CONFIDENCE
        if not_covered and (decision.confidence >= NOT_COVERED_CONFIDENCE or asked_where):
            return self._miss(state, texts.NOT_COVERED, "out_of_scope", decision, kind="out_of_scope")
        return self._miss(state, texts.NOT_UNDERSTOOD, "not_understood", decision)

    def _new_topic(self, norm: str, current: str) -> Decision | None:
        """"养老金在哪领" moves on to another service; "能不能让家里人代办" is still about this one, even though the
        detail words alone look like a service of their own. So what is left without the detail words decides."""
        rest = intents.without_details(norm)
        if len(rest) < 2:
            return None
        decision = self.matcher.decide(rest)
        names_another = decision.action in ("answer", "clarify") and decision.label != current
        return decision if names_another and decision.confidence >= NEW_TOPIC_CONFIDENCE else None

    def _chosen(self, choice: Choice, state: DialogueState) -> Outcome:
        kind, _, arg = choice.action.partition(":")
        if kind == "detail":
            if state.guide not in self.guides:
                return self._miss(state, texts.NEED_TOPIC, "need_topic", None)
            return self._detail(self.guides[state.guide], arg, state)
        if kind == "pick":
            return self._answer(self.guides[arg], state, None, None)
        if kind == "human":
            return self._to_person(state, None)
        if kind == "retry":
            return Outcome(state.show([Reply(texts.RETRY, "miss", (HUMAN,))]), "retry")
        if kind == "repeat":
            return self._repeat(state)
        return Outcome([], choice.action, request=choice.action)  # feedback and callback answers: the engine's

    def _answer(self, guide: Guide, state: DialogueState, decision: Decision | None, detail: str | None) -> Outcome:
        state.guide, state.misses = guide.id, 0
        detail = detail if detail in FIRST_ANSWER_DETAILS else None
        text = texts.answer(guide, past_review=guide.is_past_review(self.today()))
        choices = _detail_choices(state)
        replies = [Reply(text, "answer", () if detail else choices)]
        if detail:
            replies.append(Reply(self.detail_text(guide, detail), "detail", choices))
        return Outcome(state.show(replies), "answer", guide.id, decision.confidence if decision else None)

    def _detail(self, guide: Guide, kind: str, state: DialogueState) -> Outcome:
        state.misses = 0
        reply = Reply(self.detail_text(guide, kind), "detail", _detail_choices(state))
        return Outcome(state.show([reply]), f"detail:{kind}", guide.id)

    @staticmethod
    def _repeat(state: DialogueState) -> Outcome:
        replies = state.last or [Reply(texts.GREETING, "greeting")]
        return Outcome(state.show(replies), "repeat")

    def detail_text(self, guide: Guide, kind: str) -> str:
        if kind == "where":
            return texts.where(guide, self.offices.get(guide.office))
        render = {"materials": texts.materials, "fee": texts.fee, "proxy": texts.proxy, "time": texts.processing_time,
                  "steps": texts.steps, "online": texts.online, "elderly": texts.elderly}[kind]
        return render(guide)

    def _clarify(self, decision: Decision, state: DialogueState) -> Outcome:
        state.misses += 1
        options = [s.id for s in decision.services(3) if s.id in self.guides]
        choices = tuple(Choice(str(i), self.guides[g].title, f"pick:{g}") for i, g in enumerate(options, 1))
        text = texts.clarify([self.guides[g].title for g in options])
        if state.misses >= MISSES_BEFORE_PERSON:
            text = f"{text}{texts.CLARIFY_LAST}"
        reply = Reply(text, "clarify", (*choices, HUMAN))
        return Outcome(state.show([reply]), "clarify", decision.label, decision.confidence)

    def _miss(self, state: DialogueState, text: str, action: str, decision: Decision | None,
              kind: ReplyKind = "miss") -> Outcome:
        state.misses += 1
        label, confidence = (decision.label, decision.confidence) if decision else (None, None)
        if state.misses >= MISSES_BEFORE_PERSON and state.spoken:
            # On the phone a second offer would be one more loop: the caller goes to a person (or a callback).
            state.misses = 0
            return Outcome([Reply(texts.MISSED_TWICE, "offer_person")], "two_misses", label, confidence,
                           request="human")
        if state.misses >= MISSES_BEFORE_PERSON:
            reply = Reply(texts.OFFER_PERSON, "offer_person", OFFER_CHOICES)
            return Outcome(state.show([reply]), "offer_person", label, confidence)
        return Outcome(state.show([Reply(text, kind, (HUMAN,))]), action, label, confidence)

    @staticmethod
    def _no_such_choice(key: str, state: DialogueState, decision: Decision) -> Outcome:
        """A key that is not on offer: a slip, not a misunderstanding. What is on offer is said again and stays."""
        choices = tuple(state.choices) or (HUMAN,)
        reply = Reply(texts.no_such_choice(key, [(c.key, c.label) for c in state.choices]), "miss", choices)
        return Outcome(state.show([reply], remember=False), "no_such_choice", decision.label, decision.confidence)

    def _to_person(self, state: DialogueState, decision: Decision | None) -> Outcome:
        state.misses = 0
        state.show([], remember=False)
        label, confidence = (decision.label, decision.confidence) if decision else ("human", None)
        return Outcome([], "human", label, confidence, request="human")

    def _emergency(self, norm: str, state: DialogueState, decision: Decision) -> Outcome:
        state.misses = 0
        reply = Reply(self.safety_advice(norm), "emergency", priority=True)
        return Outcome(state.show([reply]), "emergency", decision.label, decision.confidence, request="emergency")
