"""Chinese text to numbered pinyin (shen1 fen4 zheng4) for espeak-ng's cmn-latn-pinyin voice."""

from __future__ import annotations

import re

from voice.numbers import spell_numbers

# Bump when the conversion changes, so cached offline audio is rendered again.
RULES_VERSION = 1

_HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_SENTENCE_END = set("。.!?;！？；…")
_CLAUSE_BREAK = set("，,、:：()（）—-~～/《》【】[]|")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def to_numbered_pinyin(text: str) -> str:
    """Numbered pinyin with tone 5 for the neutral tone; ',' marks a short pause and '.' a sentence end."""
    # Imported on first use: pypinyin's phrase tables cost a worker about 50 MB, and only the offline voice needs
    # them (the matcher keeps a small table of its own: knowledge/syllables.py).
    from pypinyin import Style, lazy_pinyin

    tokens: list[str] = []
    for chunk in _HAN_RUN.split(spell_numbers(text)):
        if _HAN_RUN.fullmatch(chunk):
            # errors="ignore": a rare character without known pinyin is skipped rather than spelled out as a code.
            tokens.extend(lazy_pinyin(chunk, style=Style.TONE3, neutral_tone_with_five=True, tone_sandhi=True,
                                      errors="ignore"))
        else:
            tokens.extend(_other_tokens(chunk))
    return _join(tokens)


def syllable_count(pinyin: str) -> int:
    """How many numbered syllables a to_numbered_pinyin() result holds."""
    return len(re.findall(r"[a-z]+[1-5]", pinyin))


def _other_tokens(chunk: str) -> list[str]:
    """Pauses for punctuation and Latin words as they are (espeak-ng reads them in English); drop other symbols."""
    tokens: list[str] = []
    for match in re.finditer(r"[A-Za-z]+|\S", chunk):
        piece = match.group(0)
        if _LATIN_WORD.fullmatch(piece):
            tokens.append(piece.lower())
        elif piece in _SENTENCE_END:
            tokens.append(".")
        elif piece in _CLAUSE_BREAK:
            tokens.append(",")
    return tokens


def _join(tokens: list[str]) -> str:
    """Attach each pause to the word before it; runs of pauses become the strongest one; no leading pause."""
    words: list[str] = []
    for token in tokens:
        if token not in {",", "."}:
            words.append(token)
        elif words and words[-1][-1] in ",.":
            words[-1] = words[-1][:-1] + ("." if "." in (token, words[-1][-1]) else ",")
        elif words:
            words[-1] += token
    return " ".join(words)
