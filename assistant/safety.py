"""The safety advice for an emergency: which kind it is comes from knowledge/rules.yaml (the one place for the safety
vocabulary), the words to say from assistant/texts.py."""

from __future__ import annotations

import re

from assistant import texts
from knowledge.rules import Rules

# Someone other than the speaker is named: the advice speaks of "病人". Normalised text (丈夫 for 老头子, 我 for 俺).
_SOMEONE_ELSE = re.compile(
    r"老伴|丈夫|妻子|老公|老婆|老太|老人|老爷子|妈|爸|爷|奶|姥|外公|外婆|婆婆|公公|孩子|儿子|女儿|孙|媳妇|女婿|邻居|"
    r"朋友|同事|有人|别人|病人|他|她|人家|小孩|宝宝|大爷|大妈|阿姨|叔|哥|姐|弟|妹")
# The patient cannot be the one speaking (fainted, not answering): someone else is with them.
_NOT_SPEAKING = re.compile(
    r"叫不醒|喊不醒|叫不应|不答应|没反应|没了?呼吸|没气|昏|晕倒|晕过去|不省人事|抽搐|抽风|翻白|不动了")


def advice(normalized: str, rules: Rules, *, gas_line: str | None = None) -> str:
    """Plain words on what to do now; when the kind is unclear, the three numbers everyone should know.
    gas_line: the gas company's emergency line, when the office configured a real one."""
    kind = rules.emergency_kind(normalized)
    if kind == "medical" and about_speaker(normalized):
        return texts.EMERGENCY_MEDICAL_SELF
    if kind == "gas" and gas_line:
        return texts.EMERGENCY_ADVICE["gas"] + texts.EMERGENCY_GAS_LINE.format(phone=gas_line)
    return texts.EMERGENCY_ADVICE[kind]


def about_speaker(normalized: str) -> bool:
    """The one in trouble is the one speaking ("我胸口疼", "喘不上气"), not someone beside them ("老伴晕倒了")."""
    if _SOMEONE_ELSE.search(normalized.replace("我自己", "")):
        return False
    return "我" in normalized or _NOT_SPEAKING.search(normalized) is None


def number_to_call(normalized: str, rules: Rules) -> str:
    """The one number to say first (and again) on a spoken channel."""
    return texts.EMERGENCY_NUMBER.get(rules.emergency_kind(normalized), "120")
