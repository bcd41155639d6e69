"""A callback, step by step: the offer, the number (typed, pressed, or said: 幺三八…), and on a spoken channel the
number read back to confirm. Pure logic over the dialogue state; the engine books what a step asks it to.

On the phone every step answers silence, 0 and unclear words, and two misses in a row do what can still be done (a
callback on the number the carrier vouched for, or the number asked for), so a caller never leaves with nothing
booked unless they said no. Written chats keep their own way: words that are not an answer go to the officer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant import intents, texts
from assistant.callback_numbers import attempted, callback_number, what_is_wrong
from assistant.dialogue import CALLBACK_CHOICES, DialogueState, resolve_choice
from assistant.messages import Choice, Reply

MISSES_BEFORE_GIVING_UP = 2
# How people answer "要登记回电吗？" beyond the general yes and no (assistant/intents.py): no is looked for first.
_NO = re.compile(r"不用|不要|不需要|算了|别打")
_YES = re.compile(r"^要的?$|需要|登记|回电|打给我|回个电话")
_CONFIRM = "callback:number:"  # a read-back choice's action: callback:number:<digits>:yes


@dataclass(frozen=True)
class Said:
    """What the citizen did at this step."""

    text: str  # the words as heard or typed, or the keys pressed (numbers are read from these)
    norm: str = ""  # the words normalised (choices and yes/no are read from these)
    key: str | None = None  # one key pressed or tapped
    silent: bool = False
    person: bool = False  # asked for a person: 0, 人工…


@dataclass(frozen=True)
class Step:
    replies: list[Reply]
    book: str | None = None  # book a callback on this number now
    typed: bool = False  # the number was given in this conversation (not the caller's verified one)


def in_progress(state: DialogueState) -> bool:
    return state.awaiting == "phone" or any(c.action.startswith("callback:") for c in state.choices)


def phone_in(text: str) -> str | None:
    """A number typed, pressed or said: 13812345678, 138 1234 5678, 幺三八一二三四五六七八, inside a sentence
    ("号码是一五九…"), a landline with its area code (assistant/callback_numbers.py)."""
    return callback_number(text)


def _bad_number(text: str) -> str:
    """What is wrong with a number that is not one, with an example unlike it; the plain line when no digits show."""
    if (digits := attempted(text)) is None:
        return texts.CALLBACK_BAD_PHONE
    problem, example = what_is_wrong(digits)
    return texts.CALLBACK_WRONG_PHONE.format(problem=problem, example=example)


def confirm_choices(phone: str) -> tuple[Choice, ...]:
    return (Choice("1", texts.CALLBACK_CONFIRM_YES, f"{_CONFIRM}{phone}:yes"),
            Choice("2", texts.CALLBACK_CONFIRM_AGAIN, "callback:again:no"))


def step(state: DialogueState, said: Said, *, known: str | None, on_duty: int) -> Step | None:
    """This step's answer; None when the engine's usual way goes on (the citizen is not in a callback, or asked for
    a person while one is on duty, or wrote words for the officer on a chat)."""
    if not in_progress(state):
        return None
    if state.awaiting == "phone":
        return _number(state, said, on_duty)
    confirming = next((c.action[len(_CONFIRM):].split(":")[0] for c in state.choices
                       if c.action.startswith(_CONFIRM)), None)
    if confirming is not None:
        return _confirm(state, said, confirming, on_duty)
    return _offer(state, said, known, on_duty)


def _offer(state: DialogueState, said: Said, known: str | None, on_duty: int) -> Step | None:
    choice = resolve_choice(said.norm, said.key, state)
    action = choice.action if choice else _yes_no(said.norm)
    if action == "callback:no":
        return _declined(state)
    if said.key is None and (phone := phone_in(said.text)) is not None:  # a number said straight away: a yes
        return _given(state, phone)
    if action == "callback:yes":
        return _wanted(state, known)
    if said.person:
        return None if on_duty else _again(state, texts.NOBODY_ON_DUTY + texts.CALLBACK_WANTED, CALLBACK_CHOICES)
    if not state.spoken and not said.silent:
        return None
    if _missed(state):
        return _wanted(state, known)  # two misses: book on the caller's own number, else ask for one
    return _again(state, texts.CALLBACK_ASK_AGAIN, CALLBACK_CHOICES)


def _number(state: DialogueState, said: Said, on_duty: int) -> Step | None:
    if (phone := phone_in(said.text)) is not None:
        return _given(state, phone)
    if said.person:
        if on_duty:
            state.awaiting = None
            return None
        return _again(state, texts.NOBODY_ON_DUTY + texts.CALLBACK_ASK_PHONE)
    if _yes_no(said.norm) == "callback:no" or intents.yes_no(said.norm) is False:
        state.awaiting = None
        return _declined(state)
    digits = attempted(said.text) is not None  # 幺三八… too
    if not state.spoken:
        if not digits:
            state.awaiting = None  # words, not a number: a message for the officer
            return None
        return _again(state, _bad_number(said.text))
    if _missed(state):
        state.awaiting = None
        return Step([Reply(texts.CALLBACK_NOT_BOOKED, "callback")])
    return _again(state, _bad_number(said.text) if digits else texts.CALLBACK_NO_NUMBER)


def _confirm(state: DialogueState, said: Said, phone: str, on_duty: int) -> Step | None:
    if (other := phone_in(said.text)) is not None and other != phone:
        return _given(state, other)
    choice = resolve_choice(said.norm, said.key, state)
    if choice is not None and choice.action.endswith(":yes"):
        return _book(state, phone)
    if choice is not None:
        state.awaiting, state.misses = "phone", 0
        return Step([Reply(texts.CALLBACK_ASK_PHONE, "callback")])
    if said.person:
        return None if on_duty else _again(state, texts.NOBODY_ON_DUTY + _read_back(phone), confirm_choices(phone))
    if _missed(state):
        return _book(state, phone)  # read back twice and not corrected: the number they gave
    return _again(state, _read_back(phone), confirm_choices(phone))


def _yes_no(norm: str) -> str | None:
    if _NO.search(norm):
        return "callback:no"
    return "callback:yes" if _YES.search(norm) else None


def _wanted(state: DialogueState, known: str | None) -> Step:
    state.misses = 0
    if known is not None:
        return Step([], book=known)
    state.awaiting = "phone"
    return Step([Reply(texts.CALLBACK_ASK_PHONE, "callback")])


def _given(state: DialogueState, phone: str) -> Step:
    state.awaiting, state.misses = None, 0
    if not state.spoken:
        return Step([], book=phone, typed=True)
    return Step([Reply(_read_back(phone), "callback", confirm_choices(phone))])


def _book(state: DialogueState, phone: str) -> Step:
    state.misses = 0
    return Step([], book=phone, typed=True)


def _declined(state: DialogueState) -> Step:
    state.misses = 0
    return Step([Reply(texts.CALLBACK_DECLINED, "callback")])


def _again(state: DialogueState, text: str, choices: tuple[Choice, ...] = ()) -> Step:
    return Step([Reply(text, "callback", choices)])


def _missed(state: DialogueState) -> bool:
    """One more miss at this step; True once there have been two in a row."""
    state.misses += 1
    if state.misses >= MISSES_BEFORE_GIVING_UP:
        state.misses = 0
        return True
    return False


def _read_back(phone: str) -> str:
    return texts.CALLBACK_CONFIRM.format(phone=phone)
