"""Toneless pinyin for the classifier's sound-alike features, from a small table instead of pypinyin at run time.

pypinyin keeps 47,000 phrases as nested lists (about 45 MB in every worker) and passes each character through
several style converters (a third of a question's matching time). The features need much less: each character's
usual toneless reading, and the few thousand phrases read otherwise (银行: yin hang, not yin xing). The table is
built from pypinyin once, when the model is trained, and saved inside the model.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SyllableTable:
    chars: dict[str, str]  # character -> its usual reading
    phrases: dict[str, tuple[str, ...]]  # phrase -> its readings, only where they differ from the characters' own
    longest: dict[str, int]  # first character -> length of the longest phrase starting with it

    @classmethod
    def from_readings(cls, chars: dict[str, str], phrases: dict[str, tuple[str, ...]]) -> SyllableTable:
        differing = {p: r for p, r in phrases.items() if len(p) > 1 and list(r) != [chars.get(c) for c in p]}
        longest: dict[str, int] = {}
        for phrase in differing:
            longest[phrase[0]] = max(longest.get(phrase[0], 0), len(phrase))
        return cls(chars, differing, longest)

    def __call__(self, text: str) -> list[str]:
        """The syllables of the Chinese characters in text (others are skipped), phrases matched longest first."""
        syllables: list[str] = []
        i, end = 0, len(text)
        while i < end:
            for size in range(min(self.longest.get(text[i], 0), end - i), 1, -1):
                phrase = self.phrases.get(text[i : i + size])
                if phrase is not None:
                    syllables.extend(phrase)
                    i += size
                    break
            else:
                reading = self.chars.get(text[i])
                if reading is not None:
                    syllables.append(reading)
                i += 1
        return syllables


@functools.cache
def from_pypinyin(fold: Callable[[str], str]) -> SyllableTable:
    """Every character and phrase pypinyin knows, read in its NORMAL style and passed through fold (a few seconds)."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    def read(text: str) -> tuple[str, ...]:
        return tuple(fold(s) for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore"))

    chars = {chr(code): reading[0] for code in PINYIN_DICT if (reading := read(chr(code)))}
    return SyllableTable.from_readings(chars, {phrase: read(phrase) for phrase in PHRASES_DICT})
