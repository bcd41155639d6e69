"""What the phone says for the engine's replies: the same words, degraded for listening.

Buttons become keys ("按“找人工”" becomes "按0"), numbered lists become "第一，…", menus are read as "按1，…；按2，…",
and a few kinds of reply have the phone's own pre-rendered prompt (the greeting names 0 and 人工).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from assistant import emergency_call, texts
from assistant.dialogue import CALLBACK_CHOICES, HUMAN, OFFER_CHOICES, SPOKEN_DETAIL_CHOICES
from assistant.messages import Choice, Reply
from knowledge.loader import Office
from knowledge.schema import Guide
from voice.prompts import CLARIFY, GREETING, NOT_HEARD, PROMPTS, REPROMPT, THANKS
from voice.speech.numbers import spell_numbers

KIND_PROMPTS = {"greeting": GREETING, "silence": REPROMPT, "clarify": CLARIFY}
MAX_OPTIONS = 4  # a menu read aloud: more than four and the first is forgotten
PERSON_WORDS = ("人工", "转人工", "找人工", "工作人员", "再听一遍")
# Twilio's limits for Gather hints: at most 500 entries of at most 100 characters.
MAX_HINTS, MAX_HINT_CHARS = 500, 100

_LIST_ITEM = re.compile(r"^(\d+)\.\s*")
_ITEM = re.compile(r"第\d+，")
_SYLLABLE = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE_BREAK = re.compile(r"[，、：,（]")  # a bracket is a pause too
_SENTENCE_END = re.compile(r"[。！？；]")
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]*")
_CLAUSE = re.compile(r"[^，。！？；]+[，。！？；]*")
PAGE_SECONDS = 17.0  # estimated (within 2.4 s); heard, at most about 20 s: what a caller keeps in mind before the menu
SLOW_FACTOR = 1.25  # the slow pace takes about this much longer
_MORE_WORDS = re.compile(r"继续|接着|往下|下面|后面|还有|听完")
MORE_KEYS = "按1继续听，按0找人工。"
# The queue notice, said short on the phone (the chat keeps its words).
_SHORTER = {f"({re.escape(texts.QUEUE_STARTED)})?现在没有工作人员值班，真对不起。[^。]*一上班就会看到。"
            f"({re.escape(texts.HANDED_OVER_NOTE)})?": "现在没有工作人员值班，真对不起。您说的话都记下了。",
            re.escape(texts.HANDED_OVER_NOTE): "您说的话他都看得到。",
            re.escape(texts.QUEUE_STARTED): "这就给您找工作人员。"}
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
    if reply.kind == "queue":
        return for_listening(_shorter_queue(reply.text))
    if is_thanks(reply):
        return THANKS
    return KIND_PROMPTS.get(reply.kind) or for_listening(reply.text)


def is_thanks(reply: Reply) -> bool:
    """The engine's "不客气" to a thanks: on the phone it asks whether there is more, and quiet then ends the call."""
    return reply.kind == "smalltalk" and reply.text == texts.SMALLTALK["thanks"]




def _shorter_queue(text: str) -> str:
    """The queue notice said short: read aloud, the chat's wording took 20 s before the callback was offered."""
    for long, short in _SHORTER.items():
        text = re.sub(long, short, text)
    return text


# --- long content in pages: "还有3项，按1继续听" ---

def seconds(text: str, slow: bool = False) -> float:
    """How long the voice takes to say it, estimated: fitted on the neural voice's renders of the warmed sentences
    (0.25 s a syllable, 0.67 s a clause break, 0.91 s a sentence end; within 2.4 s on 40 of them)."""
    said = spell_numbers(text)
    estimate = (0.25 * len(_SYLLABLE.findall(said)) + 0.67 * len(_CLAUSE_BREAK.findall(text))
                + 0.91 * len(_SENTENCE_END.findall(text)) - 0.45)
    return estimate * (SLOW_FACTOR if slow else 1.0)


def pages(said: Sequence[str], slow: bool = False) -> list[list[str]]:
    """The sounds of one turn in pages a caller can take in (PAGE_SECONDS each, estimated): short sounds whole (as
    warmed), a long one cut between sentences or list items."""
    found: list[list[str]] = [[]]
    used = 0.0
    for unit in (chunk for text in said for chunk in chunks(text, slow)):
        length = seconds(unit, slow)
        if found[-1] and used + length > PAGE_SECONDS:
            found.append([])
            used = 0.0
        found[-1].append(unit)
        used += length
    return found


def chunks(text: str, slow: bool = False) -> list[str]:
    """A sound as it is, or, when longer than a page, its sentences (list items) packed into pages' worth."""
    if seconds(text, slow) <= PAGE_SECONDS:
        return [text]
    out: list[str] = []
    for piece in _pieces(text, slow):
        if out and seconds(out[-1] + piece, slow) <= PAGE_SECONDS:
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _pieces(text: str, slow: bool) -> list[str]:
    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    # a single sentence longer than a page is cut at its clauses
    return [c for s in sentences for c in (_CLAUSE.findall(s) if seconds(s, slow) > PAGE_SECONDS else [s]) if c]


def asks_for_more(speech: str) -> bool:
    return bool(_MORE_WORDS.search(speech))


def more(rest: Sequence[Sequence[str]]) -> str:
    """What the caller hears at the end of a page: how much is left, and the keys."""
    items = len(_ITEM.findall("".join(text for page in rest for text in page)))
    return f"还有{items}项，{MORE_KEYS}" if items else f"后面还有，{MORE_KEYS}"


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
    said = [*PROMPTS.values(), *(for_listening(t) for t in (*_ENGINE_SENTENCES, *emergency_call.sentences()))]
    said += [menu(c) for c in (SPOKEN_DETAIL_CHOICES, OFFER_CHOICES, CALLBACK_CHOICES, (HUMAN,))]
    said += [MORE_KEYS, *(f"还有{n}项，{MORE_KEYS}" for n in range(1, 10)), f"后面还有，{MORE_KEYS}"]
    for guide in guides:
        for text in (texts.answer(guide, past_review=guide.is_past_review(today)), texts.materials(guide),
                     texts.where(guide, offices.get(guide.office))):
            said += chunks(for_listening(text))  # as the caller hears them: long ones in pages
    return list(dict.fromkeys(said))
