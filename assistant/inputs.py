"""Check a citizen's raw text before anything else: empty, too long or garbled input gets a kind answer."""

from __future__ import annotations

import unicodedata
from typing import Literal

MAX_CHARS = 2000
Problem = Literal["empty", "too_long", "garbled"]

_KEEP_CONTROLS = {"\n", "\t"}
_GARBLED_SHARE = 0.3  # more than this share of unreadable characters: not something a person wrote


def _unreadable(char: str) -> bool:
    category = unicodedata.category(char)
    return char == "\ufffd" or category in ("Co", "Cs", "Cn") or (category == "Cc" and char not in _KEEP_CONTROLS)


def clean(raw: str) -> tuple[str, Problem | None]:
    """The text as it can be stored safely (no NUL or control characters, at most MAX_CHARS), and its problem."""
    unreadable = sum(_unreadable(c) for c in raw)
    text = "".join("\ufffd" if _unreadable(c) else c for c in raw).strip()
    if not text:
        return "", "empty"
    if unreadable > _GARBLED_SHARE * len(raw):
        return text[:MAX_CHARS], "garbled"
    if len(text) > MAX_CHARS:
        return text[:MAX_CHARS] + "…", "too_long"
    return text, None
