"""The phone's own emergency step (ReplyKind "emergency_call"): after the safety advice, the one number to call,
and then what the call does. A caller cannot read the advice again, so the number is said plainly and repeated on
silence. Gas: hang up and call from outside (a phone is a spark). Otherwise: a person at once when someone is on
duty, or the office's duty phone; with neither, the number, the offer to hear it again, and a kind goodbye: never a
callback hours later."""

from __future__ import annotations

from dataclasses import dataclass

from assistant import texts
from assistant.messages import Choice, Reply
from assistant.turn import Next

REPEAT = Choice("1", texts.REPEAT_LABEL, "repeat")


@dataclass(frozen=True)
class Step:
    reply: Reply
    next: Next


def first_step(kind: str, *, on_duty: int, duty_number: str | None, gas_line: str | None) -> Step:
    """Said right after the advice."""
    number = texts.EMERGENCY_NUMBER.get(kind, "120")
    if kind == "gas":
        extra = texts.CALL_GAS_LINE.format(phone=gas_line) if gas_line else ""
        return Step(Reply(texts.CALL_GAS_OUTSIDE.format(extra=extra), "emergency_call"), Next.HANG_UP)
    if on_duty > 0:
        return Step(Reply(texts.CALL_TRANSFER.format(number=number), "emergency_call"), Next.HAND_OVER)
    if duty_number:
        return Step(Reply(texts.CALL_TO_DUTY_PHONE.format(number=number), "emergency_call"), Next.HAND_OVER)
    now = texts.CALL_CRISIS_NOW if kind == "self_harm" else texts.CALL_NUMBER_NOW.format(number=number)
    return Step(Reply(now, "emergency_call", (REPEAT,)), Next.LISTEN)


def farewell(kind: str, *, unanswered: bool = False) -> Reply:
    """The call ends kindly, with the number once more."""
    number = texts.EMERGENCY_NUMBER.get(kind, "120")
    lead = texts.CALL_DUTY_UNANSWERED if unanswered else ""
    last = texts.CALL_CRISIS_FAREWELL if kind == "self_harm" else texts.CALL_FAREWELL.format(number=number)
    return Reply(lead + last, "emergency_call")


def sentences(gas_line: str | None = None) -> list[str]:
    """Every line this step can say, for every kind: worth rendering ahead, so no caller in danger waits for a voice."""
    numbers = dict.fromkeys(texts.EMERGENCY_NUMBER.values())
    said = [texts.EMERGENCY_MEDICAL_SELF, texts.CALL_GAS_OUTSIDE.format(extra=""), texts.WAIT_URGENT,
            texts.CALL_CRISIS_NOW, texts.CALL_CRISIS_FAREWELL, texts.CALL_DUTY_UNANSWERED + texts.CALL_CRISIS_FAREWELL]
    if gas_line:
        said.append(texts.CALL_GAS_OUTSIDE.format(extra=texts.CALL_GAS_LINE.format(phone=gas_line)))
    for number in numbers:
        said += [texts.CALL_TRANSFER.format(number=number), texts.CALL_TO_DUTY_PHONE.format(number=number),
                 texts.CALL_NUMBER_NOW.format(number=number), texts.CALL_FAREWELL.format(number=number),
                 texts.CALL_DUTY_UNANSWERED + texts.CALL_FAREWELL.format(number=number),
                 texts.CALL_WAITING_NUMBER.format(number=number)]
    return said
