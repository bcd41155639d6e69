"""Mask ID and phone numbers wherever the full value is not needed."""

from __future__ import annotations

import re

# Only digits may not touch a number: "ID110105…" or "电话13812345678号" are still masked.
_ID_NUMBER = re.compile(r"(?<!\d)(\d{3})\d{11}(\d{3}[0-9Xx])(?!\d)")
# A mobile as people write it: 13812345678, 138 1234 5678, 138-1234-5678, +86 138…, 0086-138…
_MOBILE = re.compile(r"(?<!\d)((?:\+|00)?86[ -]?)?(1[3-9]\d)([ -]?)\d{4}([ -]?)(\d{4})(?!\d)")
_PHONE = re.compile(r"^\+?\d[\d -]{5,19}$")


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) <= 4:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 11 else f"****{digits[-4:]}"


def mask_text(text: str) -> str:
    """ID numbers and mobile numbers inside free text, e.g. a message the citizen typed."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}***********{m.group(2)}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1) or ''}{m.group(2)}{m.group(3)}****{m.group(4)}{m.group(5)}", text)


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
