"""Spell Arabic numerals as Chinese words, the way a hotline operator would say them aloud."""

from __future__ import annotations

import re

import cn2an

# A number followed by one of these is a quantity (二十元, 三十天); without one, three or more digits are a
# phone number or code (幺幺零, 幺二三三三), read digit by digit.
_UNITS = ("元|块|角|分|秒|年|月|日|号|天|周|岁|个|次|件|位|张|本|页|种|项|小时|公里|米|斤|克|万|千|百|亿|倍|成|人|"
          "户|楼|层|栋|室|路|期|档|级|类|套|份|家|条|笔|部|台|辆|所|间|平")
_MEASURES_FOR_LIANG = "个|次|件|位|张|本|种|项|天|年|岁|周|小时|份|家|条|笔|套|倍|人"
_PHONE_DIGITS = dict(zip("0123456789", "零幺二三四五六七八九", strict=True))
_PLAIN_DIGITS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))

_FULL_WIDTH = str.maketrans("０１２３４５６７８９％：．～", "0123456789%:.~")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])", re.ASCII)  # 2024-03-05
_CURRENCY = re.compile(r"[¥￥]\s*(\d+(?:\.\d+)?)", re.ASCII)  # ￥20 is said 二十元
_PRICE = re.compile(r"(?<![\d.])(\d+)\.(\d{1,2})(?:元|块)", re.ASCII)  # 20.50元
_RANGE = re.compile(r"(?<!\d)(\d{1,3})\s*[-~]\s*(?=\d{1,3}(?!\d))", re.ASCII)  # 3-5天, not 010-12345678
_TIME = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)", re.ASCII)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%", re.ASCII)
_NUMBER = re.compile(rf"\d+(?:\.\d+)?(?=({_UNITS})?)", re.ASCII)  # ASCII: other scripts' digits stay


def spell_numbers(text: str) -> str:
    """Replace every run of digits in `text` with Chinese number words."""
    text = text.translate(_FULL_WIDTH)
    text = _DATE.sub(lambda m: f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日", text)
    text = _CURRENCY.sub(r"\1元", text)
    text = _PRICE.sub(_money, text)
    text = _RANGE.sub(r"\1到", text)
    text = _TIME.sub(_spell_time, text)
    text = _PERCENT.sub(lambda m: "百分之" + _quantity(m.group(1)), text)
    return _NUMBER.sub(_spell_number, text)


def _spell_time(match: re.Match[str]) -> str:
    hour, minute = match.group(1), match.group(2)
    if minute == "00":
        return f"{_quantity(hour)}点"
    if minute == "30":
        return f"{_quantity(hour)}点半"
    spoken = "零" + _quantity(minute[1]) if minute.startswith("0") else _quantity(minute)
    return f"{_quantity(hour)}点{spoken}分"


def _spell_number(match: re.Match[str]) -> str:
    digits, unit = match.group(0), match.group(1)
    if "." in digits:
        return _quantity(digits)
    if unit == "年" and len(digits) == 4:
        return "".join(_PLAIN_DIGITS[d] for d in digits)  # 2024年: 二零二四年
    if unit is None and (len(digits) >= 3 or digits.startswith("0") and len(digits) > 1):
        return "".join(_PHONE_DIGITS[d] for d in digits)
    ordinal = match.start() > 0 and match.string[match.start() - 1] == "第"
    if digits == "2" and unit and not ordinal and re.fullmatch(_MEASURES_FOR_LIANG, unit):
        return "两"
    return _quantity(digits)


def _money(match: re.Match[str]) -> str:
    """20.50元 as a person says a price: 二十元五角; 0.5元 as 五角."""
    whole, cents = match.group(1), (match.group(2) + "0")[:2]
    parts = [_quantity(whole) + "元"] if whole.strip("0") else []
    if cents[0] != "0":
        parts.append(_quantity(cents[0]) + "角")
    if cents[1] != "0":
        parts.append(("零" if cents[0] == "0" and parts else "") + _quantity(cents[1]) + "分")
    return "".join(parts) or "零元"


def _quantity(digits: str) -> str:
    if len(digits.partition(".")[0]) > 16:  # beyond what cn2an (and any listener) handles as a quantity
        return "".join(_PLAIN_DIGITS.get(d, "点") for d in digits)
    return cn2an.an2cn(digits or "0")
