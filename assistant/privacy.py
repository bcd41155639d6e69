"""Mask ID and phone numbers wherever the full value is not needed."""

from __future__ import annotations

import re

from assistant.numbers_in_text import Number, find_numbers

_PHONE = re.compile(r"^\+?\d[\d -]{5,19}$")
TAIL = 4  # the last digits stay visible: enough to tell two numbers apart, or to search for one


def mask_phone(phone: str) -> str:
    """A phone field: a mobile 138****5678, a landline its area code and last 4 (0755****5678), else ****5678."""
    numbers = find_numbers(phone)
    if len(numbers) == 1 and numbers[0].kind == "landline":
        return f"{numbers[0].digits[:numbers[0].head]}****{numbers[0].digits[-TAIL:]}"
    digits = re.sub(r"\D", "", phone)
    if len(digits) <= TAIL:
        return "****"
    return f"{digits[:3]}****{digits[-TAIL:]}" if len(digits) >= 11 else f"****{digits[-TAIL:]}"


def mask_text(text: str) -> str:
    """Every ID, mobile and landline number in free text, however it is written (138 1234 5678, full-width
    digits, 幺三八…), with its middle digits replaced one for one by *, its separators and the rest kept."""
    numbers = find_numbers(text)
    if not numbers:
        return text
    chars = list(text)
    for number in numbers:
        for position in _hidden(number):
            chars[position] = "*"
    return "".join(chars)


def _hidden(number: Number) -> list[int]:
    middle = number.positions[number.head:len(number.positions) - TAIL]
    return [p for p in middle if p is not None]


def parse_phone(text: str) -> str | None:
    """A mobile (11 digits, 1…) or a landline (7 to 12 digits) as plain digits; None if it is not one."""
    candidate = text.strip().replace("（", "(").replace("）", ")").translate(str.maketrans("", "", "()"))
    if not _PHONE.match(candidate):
        return None
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        return digits if digits[1] in "3456789" else None
    return digits if 7 <= len(digits) <= 12 and not digits.startswith("1") else None
