"""Recognise the dialogue's own words (再说一遍, 说简单点, 要带啥, 1..4, 解决了) in normalised text.

The text has been through knowledge.normalize: simplified, synonyms applied (啥->什么, 咋->怎么, 哪儿->哪里),
punctuation and fillers removed. Patterns therefore use the canonical words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.messages import Choice

_REPEAT = re.compile(r"^(请|麻烦)?(你)?(再|重新)(说|讲|念|读|听)(一遍|一次|一下)?|没听(清|见|清楚)|重复一(下|遍)")
_SIMPLER = re.compile(r"(说|讲)(得)?(简单|明白|慢|清楚)(一|1)?(点|些)|简单(点|些)说|听不懂|听不明白|太长了|太复杂"
                      r"|什么意思")
_SMALLTALK = {
    "thanks": re.compile(r"^(谢谢|多谢|感谢|谢了|谢谢你|谢谢您|麻烦你了)+(了|啦)?$"),
    "hello": re.compile(r"^(你好|您好|喂|在吗|有人吗|你好啊|哈喽|hello|hi)+$"),
    "bye": re.compile(r"^(再见|拜拜|没事了|没别的事了|好的再见)+$"),
}

# Order matters: "多长时间" is about duration, not opening hours, so time comes before where.
DETAILS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("time", re.compile(r"多久|多长时间|几天|多少天|几个月|多快|什么时候(能|可以)?(拿|领|到|好|办好|下来)")),
    ("materials", re.compile(r"材料|带什么|带哪些|要带|拿什么|准备什么|准备哪些|证件|资料|手续")),
    ("fee", re.compile(r"钱|收费|费用|免费|工本费|价格|贵不贵")),
    ("proxy", re.compile(r"代办|代理|代替|替我|帮我办|家里人|家人|子女|儿子|女儿|孩子|老伴|亲戚|别人|委托|本人")),
    ("online", re.compile(r"网上|手机上|线上|app|小程序|公众号")),
    ("where", re.compile(r"在哪|哪里|什么地方|地址|地点|去哪|几点|上班|开门|关门|办公时间|电话|窗口")),
    ("steps", re.compile(r"怎么办|怎么弄|流程|步骤|怎么操作|怎么申请")),
    ("elderly", re.compile(r"老年人|老人|照顾|优待|绿色通道|腿脚|行动不便|上门")),
)

_NO = re.compile(r"没解决|没有|没好|不行|还没|不是|没办成|不对|没用")
_YES = re.compile(r"解决了|好了|可以了|办好了|是的|对的|行了|好的|^是$|^对$|^好$|^行$")

_DIGIT_WORDS = {"一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8",
                "九": "9", "零": "0"}
_KEY = re.compile(r"^(第|选|按|要)?([0-9一二两三四五六七八九零])(个|号|项)?$")


def is_repeat(text: str) -> bool:
    return _REPEAT.search(text) is not None


def is_simpler(text: str) -> bool:
    return _SIMPLER.search(text) is not None


def smalltalk(text: str) -> str | None:
    return next((kind for kind, pattern in _SMALLTALK.items() if pattern.match(text)), None)


def detail_kind(text: str) -> str | None:
    """Which detail of a service the citizen asks about, if any."""
    return next((kind for kind, pattern in DETAILS if pattern.search(text)), None)


def without_details(text: str) -> str:
    """The text with every detail word taken out: what is left names the service, if anything does."""
    for _, pattern in DETAILS:
        text = pattern.sub("", text)
    return text.strip()


def yes_no(text: str) -> bool | None:
    if _NO.search(text):
        return False
    if _YES.search(text):
        return True
    return None


def choice_key(text: str) -> str | None:
    """"1", "第一个", "按2", "三": the key of a numbered choice."""
    match = _KEY.match(text.replace(" ", ""))
    if match is None:
        return None
    key = match.group(2)
    return _DIGIT_WORDS.get(key, key)


def pick(text: str, key: str | None, choices: list[Choice], normalise: Callable[[str], str]) -> Choice | None:
    """The choice the citizen means: a tapped button (key and its words), a typed or spoken digit, or the words.

    A tapped button whose words no longer match the choice under its key (an old button, tapped late) counts as
    its words only. A key sent with the key itself as its text is a key press (a phone's keypad).
    """
    by_words = next((c for c in choices if normalise(c.label) == text), None) if text else None
    tapped = key is not None and bool(text) and choice_key(text) != key
    key = key or choice_key(text)
    if key is None:
        return by_words
    by_key = next((c for c in choices if c.key == key), None)
    if tapped and by_key is not None and by_words is not by_key:
        return by_words
    return by_key
