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
# Words that are not questions: a message made only of these pieces is small talk. Which kind it is: a farewell
# when it says goodbye or closes ("没事了，谢谢", "好的谢谢": thanks after an okay ends the talk), else thanks,
# else a greeting, else an okay.
_THANKS = r"谢谢你|谢谢您|谢谢|多谢|感谢|谢了|麻烦你了|麻烦了|辛苦了|辛苦你了|太感谢了|非常感谢|谢"
_HELLO = r"你好|您好|喂|在吗|在不在|有人吗|有人在吗|哈喽|hello|hi|早上好|上午好|下午好|晚上好|早|大家好"
_BYE = (r"再见|拜拜|拜|回见|没事了|没事|没别的事了|没有别的事了|没别的了|没有了|就这些|就这样|先这样|那就这样|"
        r"不用了|不问了|挂了|我挂了|bye")
_OK = r"好的|好嘞|好咧|好|行|行了|可以|知道了|明白了|晓得了|懂了|清楚了|收到|ok|okay|嗯好|对|是"
_GLUE = r"那|那就|就|了|啦|啊|哈|呀|你|您|的|也|哦|喔|我|先|ok了"
_SMALL_PIECE = re.compile(rf"{_BYE}|{_THANKS}|{_HELLO}|{_OK}|{_GLUE}")
_SMALLTALK_KINDS = (("bye", re.compile(_BYE)), ("thanks", re.compile(_THANKS)), ("hello", re.compile(_HELLO)),
                    ("ok", re.compile(_OK)))

# Not words at all: no Chinese character (letters typed at random, symbols), or one syllable or pair said over and
# over ("哈哈哈", "阿巴阿巴"), or laughter.
_CJK = re.compile(r"[\u4e00-\u9fff]")
_REPEATED = re.compile(r"^(.{1,2})\1+$")
_LAUGHTER = re.compile(r"^(哈|呵|嘿|嘻|嗨|哇|啦|噢|喔|咦|哼)+$")
# A household appliance that broke: the maker's after-sales, not a public service.
_APPLIANCE = re.compile(r"冰箱|洗衣机|空调|电视机?|热水器|微波炉|油烟机|抽油烟机|电饭煲|电饭锅|电磁炉|烤箱|"
                        r"洗碗机|饮水机|净水器|扫地机|吸尘器|电风扇|电扇|电暖气|取暖器|热水壶|电水壶|豆浆机|榨汁机|吹风机|音响")
_BROKEN = re.compile(r"坏|修|不转|不制冷|不制热|不凉|不热|不亮|不工作|不出水|不出热水|没热水|不加热|漏水|"
                     r"滴水|没反应|开不了|打不开|不能用|用不了|响|售后|保修|维修|故障|毛病|报修")

_DANGER = re.compile(r"漏气|气味|冒烟|烟|火|焦|电线|触电|漏电|爆")


_ASKING_ABOUT = re.compile(r"问|咨询|请教|打听|了解")
_PERSON_WORDS = re.compile(r"人工|真人|客服|工作人员|接线员|话务员|活人|找人|找个人|换个?人|有人|领导|负责|机器|电脑"
                           r"|(叫|找|来|弄|整)个?人|人来|同志|坐班|管事|值班|转过去|转一下|接一下|按零|按0|按几|当面")


def mentions_a_person(text: str) -> bool:
    """Words that ask for someone, in any of the ways people say it ("叫个人来", "找个同志"): never second-guessed."""
    return _PERSON_WORDS.search(text) is not None


def asks_about_a_matter(text: str) -> bool:
    """"我想问个事", "我妈的事我来问问": a question is coming, no person is asked for."""
    return _ASKING_ABOUT.search(text) is not None and not mentions_a_person(text)


_WHERE_TO_GO = re.compile(r"找谁|找哪|谁管|归谁|哪里管|哪个部门|怎么办|怎么弄|怎么处理|去哪|到哪|帮我|想买|想找"
                          r"|能不能帮")


def asks_where_to_go(text: str) -> bool:
    """"快递丢了找谁", "帮我叫个出租车": a request, plainly made."""
    return _WHERE_TO_GO.search(text) is not None


def is_nonsense(text: str) -> bool:
    """Letters typed at random, a sound repeated, laughter: nothing to answer, so "not understood", never "not one
    of our services"."""
    squeezed = text.replace(" ", "")
    if not squeezed or choice_key(squeezed) is not None:
        return False
    if not _CJK.search(squeezed):
        return not squeezed.isdigit()  # digits alone may be a number being given
    return bool(_REPEATED.match(squeezed) or _LAUGHTER.match(squeezed))


def broken_appliance(text: str) -> bool:
    """"冰箱坏了找谁修", "洗衣机不转了": the maker's after-sales is where to go."""
    return _APPLIANCE.search(text) is not None and _BROKEN.search(text) is not None and not _DANGER.search(text)


# Leaving the queue: no person wanted any more ("不要人工了", "那先不等了", "算了，取消吧").
_LEAVE = re.compile(r"(不|别|甭|不用|不想)(再)?(要|找|叫|转|等)?(人工|真人|客服|工作人员|人)了"
                    r"|(不|别|甭|不用|不想)(再)?要?(等|排)|取消(排队|人工|了|掉)|^(那)?(算了|取消)$|不等人|先不找")


def leaves_queue(text: str) -> bool:
    return _LEAVE.search(text.replace(" ", "")) is not None


# Order matters: "多长时间" is about duration, not opening hours, so time comes before where.
DETAILS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("time", re.compile(r"多久|多长时间|几天|多少天|几个月|多快|什么时候(能|可以)?(拿|领|到|好|办好|下来)")),
    ("materials", re.compile(r"材料|带什么|带哪些|要带|拿什么|准备什么|准备哪些|证件|资料|手续")),
    ("fee", re.compile(r"钱|收费|费用|免费|工本费|价格|贵不贵")),
    ("proxy", re.compile(r"代办|代理|代替|替我|帮我办|家里人|家人|子女|儿子|女儿|孩子|老伴|亲戚|别人|委托|本人"
                         r"|(帮|替|代|给)(他|她|老人|我爸|我妈|父母|爸|妈)[^。]{0,4}(办|去|跑|领|换|补|申请|交|认证)"
                         r"|我(去)?(帮|替|代)(他|她)|家属")),
    ("online", re.compile(r"网上|手机上|线上|app|小程序|公众号")),
    ("where", re.compile(r"在哪|哪里|什么地方|地址|地点|去哪|几点|上班|开门|关门|办公时间|电话|窗口")),
    ("steps", re.compile(r"怎么办|怎么弄|流程|步骤|怎么操作|怎么申请")),
    ("elderly", re.compile(r"老年人|老人|照顾|优待|绿色通道|腿脚|行动不便|上门")),
)

_NO = re.compile(r"没解决|没有|没好|不行|还没|不是|没办成|不对|没用|不用|不要|不需要|不可以")
_YES = re.compile(r"解决了|好了|可以了|办好了|是的|对的|行了|好的|^是$|^对$|^好$|^行$|^可以$|^要$")

_DIGIT_WORDS = {"一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8",
                "九": "9", "零": "0"}
_KEY = re.compile(r"^(第|选|按|要)?([0-9一二两三四五六七八九零])(个|号|项)?$")


def is_repeat(text: str) -> bool:
    return _REPEAT.search(text) is not None


def is_simpler(text: str) -> bool:
    return _SIMPLER.search(text) is not None


def smalltalk(text: str) -> str | None:
    """"thanks", "hello", "bye" (a farewell: the phone may end the call), "ok"; None when it says more."""
    text = text.replace(" ", "")
    if not text or _SMALL_PIECE.sub("", text):
        return None
    found = [kind for kind, pattern in _SMALLTALK_KINDS if pattern.search(text)]
    if not found:
        return None
    if "thanks" in found and "ok" in found:
        return "bye"  # "好的谢谢", "行，谢谢您": the talk is done
    return found[0]


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
