"""Which kind of emergency a message describes, so the first thing the citizen hears is the right safety advice."""

from __future__ import annotations

import re

from assistant import texts

# First match wins: gas before fire (a gas smell is not yet a fire), fraud before violence.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gas", re.compile(r"煤气|燃气|天然气|液化气|瓦斯")),
    ("electric", re.compile(r"触电|电到|电线|插座|电闸")),
    ("fire", re.compile(r"着火|失火|起火|火灾|烧起来|冒烟|冒黑烟|火苗")),
    ("poison", re.compile(r"中毒|农药|吃错|一氧化碳|煤炉")),
    ("fraud", re.compile(r"转账|转钱|打钱|汇钱|汇款|安全账户|骗")),
    ("self_harm", re.compile(r"自杀|不想活|跳楼|寻死|轻生")),
    ("missing", re.compile(r"走丢|走失|找不到了|找不着了|不见了")),
    ("violence", re.compile(r"杀|砍|拿刀|打人|砸门|撬门|闯进|抢")),
    ("medical", re.compile(r"喘|呼吸|胸|心口|心脏|晕|昏|摔|血|噎|喉咙|嘴歪|半边|叫不醒|喊不醒|没气|不动了|疼|痛|病")),
)


def advice(normalized: str) -> str:
    """Plain words on what to do now; when the kind is unclear, the three numbers everyone should know."""
    kind = next((kind for kind, pattern in _KINDS if pattern.search(normalized)), "general")
    return texts.EMERGENCY_ADVICE[kind]
