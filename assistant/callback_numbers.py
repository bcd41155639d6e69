"""The number a citizen gives for a callback, as people give it: inside a sentence ("号码是一五九…", "打这个 186…"),
with spaces or dashes, in full-width digits or Chinese numerals (幺 too), a landline with its area code. A number
that cannot be one is answered with what is wrong with it and an example unlike what was typed.

A number found here is a callback number for one case, never proof of who the citizen is (issue 15)."""

from __future__ import annotations

import re

from assistant.numbers_in_text import digit_runs, phone_numbers

MOBILE_EXAMPLES = ("13812345678", "15987654321")
LANDLINE_EXAMPLES = ("010-65123456", "0571-87654321")
# A run this short among words is a count or a date ("两个", "3号"), not an attempt at a phone number.
SHORTEST_ATTEMPT = 3
LOCAL_LANDLINE = re.compile(r"[2-9]\d{6,7}")
_DIGIT = r"[0-9０-９零〇一幺二两三四五六七八九]"
_GROUP_COMMA = re.compile(rf"(?<={_DIGIT})[，,、](?={_DIGIT})")


def _groups_joined(text: str) -> str:
    """"幺三八，幺二三四，五六七八": commas between digit groups (how speech is written down) join the groups."""
    return _GROUP_COMMA.sub(" ", text)


def callback_number(text: str) -> str | None:
    """The mobile or landline the text gives, as plain digits; None when it gives none. A local landline without
    its area code (7 or 8 digits, not 0 or 1 first) is fine too: the office calls within its own area."""
    text = _groups_joined(text)
    found = phone_numbers(text)
    if found:
        return found[0]
    digits = attempted(text)
    return digits if digits is not None and LOCAL_LANDLINE.fullmatch(digits) else None


def attempted(text: str) -> str | None:
    """The digits of what looks like a try at a phone number (the longest run), or None."""
    runs = [run.replace("X", "") for run in digit_runs(_groups_joined(text))]
    longest = max(runs, key=len, default="")
    return longest if len(longest) >= SHORTEST_ATTEMPT else None


def what_is_wrong(digits: str) -> tuple[str, str]:
    """What is wrong with a number that is not one, and an example that differs from it."""
    n = len(digits)
    if digits.startswith("0"):
        problem = f"座机号要连区号一起说，一共10到12位，这里是{n}位。"
        return problem, _unlike(digits, LANDLINE_EXAMPLES)
    if digits.startswith("1") and n == 11:
        problem = f"手机号第二位是3到9，这里是{digits[1]}。"
    elif digits.startswith("1"):
        problem = f"手机号是11位，这里是{n}位。"
    else:
        problem = f"手机号是1开头的11位，座机号要带区号，这里是{n}位。"
    return problem, _unlike(digits, MOBILE_EXAMPLES)


def _unlike(digits: str, examples: tuple[str, ...]) -> str:
    """The first example unlike what was typed (an example inside a wrong number, or the other way round, would
    only confuse)."""
    def alike(example: str) -> bool:
        plain = example.replace("-", "")
        return plain in digits or digits in plain
    return next((e for e in examples if not alike(e)), examples[-1])
