"""Text as staff are shown it: ID and phone numbers masked, and nothing in it can make it display other than it
reads. A right-to-left override (U+202E), an isolate (U+2066–2069) or a direction mark would let a citizen show a
message reversed or bury words inside it; each such character is shown as � instead, so the officer sees that
something was there. Invisible characters with no effect on order (zero-width space, BOM, soft hyphen, tag
characters) are dropped. The database keeps what was typed, as evidence: this is only how it is shown."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from assistant.privacy import mask_text

SHOWN_INSTEAD = "\ufffd"
_DROPPED = {"\u00ad", "\u180e", "\u200b", "\u200c", "\u2060", "\ufeff", *map(chr, range(0xE0000, 0xE0080))}
_KEPT = {"\n", "\t", "\u200d"}  # the zero-width joiner holds emoji sequences such as 👨‍👩‍👧 together
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n"}
_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_SCANNED = [range(0x20000), range(0xE0000, 0xE1000)]  # where format and control characters live


def _pattern() -> re.Pattern[str]:
    """One character class of every such character, as ranges (read from this Python's Unicode tables)."""
    codes = [c for block in _SCANNED for c in block
             if unicodedata.category(chr(c)) in _CATEGORIES and chr(c) not in _KEPT]
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("\r\n|[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


_SPECIAL = _pattern()


def _replacement(match: re.Match[str]) -> str:
    char = match.group()
    if char in _LINE_BREAKS:
        return _LINE_BREAKS[char]
    return "" if char in _DROPPED else SHOWN_INSTEAD


def neutralise(text: str) -> str:
    """The text with direction overrides and control characters shown as �, invisible ones dropped; Chinese,
    emoji and punctuation untouched."""
    return _SPECIAL.sub(_replacement, text)


def for_staff(text: str) -> str:
    """Numbers masked first (an invisible character between digits must not hide a number), then neutralised."""
    return neutralise(mask_text(text))


def all_for_staff(value: Any) -> Any:
    """Every string inside a JSON-like value (a case event's detail, say) made fit for staff."""
    if isinstance(value, str):
        return for_staff(value)
    if isinstance(value, dict):
        return {key: all_for_staff(item) for key, item in value.items()}
    if isinstance(value, list):
        return [all_for_staff(item) for item in value]
    return value
