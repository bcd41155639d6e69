"""What the phone says for the engine's replies: the same words, degraded for listening.

Buttons become keys ("按“找人工”" becomes "按0"), numbered lists become "第一，…", menus are read as "按1，…；按2，…",
and a few kinds of reply have the phone's own pre-rendered prompt (the greeting names 0 and 人工).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from assistant import texts
from assistant.dialogue import CALLBACK_CHOICES, HUMAN, OFFER_CHOICES, SPOKEN_DETAIL_CHOICES
from assistant.messages import Choice, Reply
from knowledge.loader import Office
from knowledge.schema import Guide
from voice.prompts import CLARIFY, GREETING, NOT_HEARD, PROMPTS, REPROMPT

KIND_PROMPTS = {"greeting": GREETING, "silence": REPROMPT, "clarify": CLARIFY}
MAX_OPTIONS = 4  # a menu read aloud: more than four and the first is forgotten
PERSON_WORDS = ("人工", "转人工", "找人工", "工作人员", "再听一遍")
# Twilio's limits for Gather hints: at most 500 entries of at most 100 characters.
MAX_HINTS, MAX_HINT_CHARS = 500, 100

_LIST_ITEM = re.compile(r"^(\d+)\.\s*")
_PHONE_NUMBER = re.compile(r"(?<!\d)\d{7,12}(?!\d)")
# What a key does, said short; other choices (a service's title) are said by their label.
_SPOKEN_LABELS = {"repeat": "重听", "detail:materials": "听材料", "detail:where": "听地址", "human": "找人工",
                  "retry": "换个说法", "callback:yes": "登记回电", "callback:no": "不用"}
_PAUSES = "。！？；：，…、"
# Sentences the engine may say on any call, besides the guides' own: worth rendering ahead.
_ENGINE_SENTENCES = (texts.NOT_UNDERSTOOD, texts.NOT_COVERED, texts.NEED_TOPIC, texts.NO_SUCH_CHOICE,
                     texts.OFFER_PERSON, texts.RETRY, texts.CALLBACK_DECLINED, texts.PERSON_UNREACHABLE,
                     texts.EMPTY, *texts.SMALLTALK.values(), *texts.EMERGENCY_ADVICE.values())


def spoken(reply: Reply) -> str:
    """The words the caller hears for one reply."""
    if reply.kind == "silence" and any(c.key != HUMAN.key for c in reply.choices):
        return NOT_HEARD  # the menu read again after it says what to do
    if reply.kind == "callback":
        return _PHONE_NUMBER.sub(_grouped, for_listening(reply.text))
    return KIND_PROMPTS.get(reply.kind) or for_listening(reply.text)


def for_listening(text: str) -> str:
    """Keys instead of buttons; every line a sentence, so the voice pauses between list items."""
    text = text.replace(f"按“{texts.HUMAN_LABEL}”", f"按0{texts.HUMAN_LABEL}")  # the key and what it does
    lines = [_LIST_ITEM.sub(lambda m: f"第{m.group(1)}，", line.strip()) for line in text.splitlines()]
    return "".join(line if line[-1] in _PAUSES else f"{line}。" for line in lines if line)


def menu(choices: Sequence[Choice]) -> str:
    """"按1重听，按2听材料，按3听地址，按0找人工。": at most four options, each in a word or two (a menu read aloud
    stays under 8 seconds), the way to a person kept."""
    return "，".join(f"按{c.key}{_SPOKEN_LABELS.get(c.action, c.label)}" for c in shown(choices)) + "。"


def _grouped(digits: re.Match[str]) -> str:
    """A phone number read back in groups, with a pause between them: 138，1234，5678."""
    number = digits.group()
    if len(number) == 11 and number.startswith("1"):
        return f"{number[:3]}，{number[3:7]}，{number[7:]}"
    cut = len(number) % 4 or 4
    return "，".join([number[:cut], *(number[i:i + 4] for i in range(cut, len(number), 4))])


def shown(choices: Sequence[Choice]) -> list[Choice]:
    if len(choices) <= MAX_OPTIONS:
        return list(choices)
    person = [c for c in choices if c.key == HUMAN.key]
    return [c for c in choices if c.key != HUMAN.key][:MAX_OPTIONS - len(person)] + person


def needs_menu(said: str, choices: Sequence[Choice]) -> bool:
    """False when the words already name every key (a miss that ends "也可以按0")."""
    return bool(choices) and not all(f"按{c.key}" in said for c in shown(choices))


def hints(guides: Iterable[Guide]) -> str:
    """Speech-recognition hints: the words callers use for what we cover, every title before any keyword."""
    guides = list(guides)
    words = [*PERSON_WORDS, *(g.title for g in guides), *(k for g in guides for k in g.keywords)]
    cleaned = (w.replace(",", " ").strip()[:MAX_HINT_CHARS] for w in words)
    return ",".join(list(dict.fromkeys(w for w in cleaned if w))[:MAX_HINTS])


def texts_to_warm(guides: Iterable[Guide], offices: dict[str, Office], today: dt.date | None = None) -> list[str]:
    """Everything a call is likely to play: prompts, menus, the engine's fixed sentences, and for every guide its
    answer (as of `today`, by default the day it is warmed), what to bring, and where and when."""
    today = today or dt.date.today()
    said = [*PROMPTS.values(), *(for_listening(t) for t in _ENGINE_SENTENCES)]
    said += [menu(c) for c in (SPOKEN_DETAIL_CHOICES, OFFER_CHOICES, CALLBACK_CHOICES, (HUMAN,))]
    for guide in guides:
        said += [for_listening(texts.answer(guide, past_review=guide.is_past_review(today))),
                 for_listening(texts.materials(guide)),
                 for_listening(texts.where(guide, offices.get(guide.office)))]
    return list(dict.fromkeys(said))
