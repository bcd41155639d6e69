"""Hypothesis strategies for the numbers that must be masked: Chinese ID numbers with a valid check digit, and
mobile numbers written the ways people write them."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(first17: str) -> str:
    """GB 11643: the 18th character is the weighted sum of the first 17 digits, mod 11, read through this table."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.integers(110000, 659999))
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
    order = draw(st.integers(0, 999))
    return with_check_digit(f"{region}{birth:%Y%m%d}{order:03d}")


mobiles = st.builds(lambda second, rest: f"1{second}{rest:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1))
# How a mobile is written: plain, with the country code, in groups.
written = st.sampled_from(["{0}", "+86{0}", "+86 {0}", "0086-{0}", "{0:.3} {1} {2}", "{0:.3}-{1}-{2}"])


def spelled(template: str, mobile: str) -> str:
    return template.format(mobile, mobile[3:7], mobile[7:])


# --- the same numbers as people really type or say them ---

@st.composite
def old_id_numbers(draw: st.DrawFn) -> str:
    """The 15-digit ID numbers issued before 1999: region, YYMMDD, order."""
    region = draw(st.integers(110000, 659999))
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)))
    return f"{region}{birth:%y%m%d}{draw(st.integers(0, 999)):03d}"


@st.composite
def landlines(draw: st.DrawFn) -> str:
    """An area code (010, 02x or 0xxx) and a local number of 7 or 8 digits."""
    area = draw(st.sampled_from(["010"]) | st.builds("02{}".format, st.integers(0, 9))
                | st.builds("0{}".format, st.integers(300, 999)))
    local = draw(st.integers(1, 9).map(str)) + draw(st.text("0123456789", min_size=6, max_size=7))
    return area + local


def area_code(landline: str) -> str:
    return landline[:3] if landline[1] in "12" else landline[:4]


# How a group of digits may be split, per kind of number (group lengths, in order).
GROUPINGS = {
    "mobile": st.sampled_from([[11], [3, 4, 4], [3, 8], [3, 3, 5], [7, 4]]),
    "id": st.sampled_from([[18], [6, 8, 4], [6, 4, 4, 4], [3, 3, 4, 4, 4], [6, 12]]),
    "old_id": st.sampled_from([[15], [6, 6, 3], [6, 9]]),
}
SEPARATORS = ["", " ", "  ", "-", " - ", ".", "·", "/", "－", "．", "\u3000", "\u200b", "\u00a0"]
_FULL_WIDTH = dict(zip("0123456789X", "０１２３４５６７８９Ｘ", strict=True))
_SPOKEN = {"0": "零〇", "1": "一幺", "2": "二两", "3": "三", "4": "四", "5": "五", "6": "六", "7": "七", "8": "八",
           "9": "九"}


@st.composite
def spelled_digit(draw: st.DrawFn, digit: str) -> str:
    """One digit as ASCII, full-width or a Chinese numeral (幺 for 1, 两 for 2 too); X stays a letter."""
    if digit == "X":
        return draw(st.sampled_from(["X", "x", "Ｘ"]))
    return draw(st.sampled_from([digit, _FULL_WIDTH[digit], *_SPOKEN[digit]]))


@st.composite
def spelled_groups(draw: st.DrawFn, digits: str, groups: list[int]) -> str:
    """The digits cut into these groups with random separators between, each digit spelled its own way."""
    parts, start = [], 0
    for size in groups:
        parts.append("".join(draw(spelled_digit(d)) for d in digits[start:start + size]))
        start += size
    assert start == len(digits)
    return "".join(part + (draw(st.sampled_from(SEPARATORS)) if i < len(parts) - 1 else "")
                   for i, part in enumerate(parts))


@st.composite
def spelled_landline(draw: st.DrawFn, landline: str) -> str:
    """010-6512 3456, (010)65123456, 0755 1234 5678, …: the area code apart, perhaps bracketed."""
    area = area_code(landline)
    local = landline[len(area):]
    local_groups = draw(st.sampled_from([[len(local)], [len(local) - 4, 4]]))
    spoken_area = draw(spelled_groups(area, [len(area)]))
    brackets = draw(st.sampled_from([("", None), ("(", ")"), ("（", "）")]))
    if brackets[1] is None:
        head = spoken_area + draw(st.sampled_from(SEPARATORS))
    else:
        head = brackets[0] + spoken_area + brackets[1] + draw(st.sampled_from(["", " "]))
    return head + draw(spelled_groups(local, local_groups))


_NUMERAL_VALUES = {n: d for d, numerals in _SPOKEN.items() for n in numerals}


def read_digits(text: str) -> str:
    """What a person reads as the digits in a text (and any *): other characters left out."""
    out = []
    for char in text:
        if char in _NUMERAL_VALUES:
            out.append(_NUMERAL_VALUES[char])
        elif char in "XxＸｘ*":
            out.append("X" if char != "*" else "*")
        elif char.isdecimal():
            out.append(str(int(char)))
    return "".join(out)


# Chinese around a number: no digits and no numerals (those would make it another number).
sentences = st.text(alphabet=st.sampled_from("我的号码是电话身份证请回拨谢谢办理老年卡，。：:！？ abcXYZ"), max_size=12)
