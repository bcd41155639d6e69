"""Chinese text to numbered pinyin (shen1 fen4 zheng4): for espeak-ng's cmn-latn-pinyin voice, and the syllables the
neural voice's front end maps to phonemes."""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import threading
from collections.abc import Iterator
from importlib import resources
from types import ModuleType

from voice.speech.numbers import spell_numbers

# Bump when the conversion changes, so cached offline audio is rendered again.
RULES_VERSION = 1

_HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_SENTENCE_END = set("。.!?;！？；…")
_CLAUSE_BREAK = set("，,、:：()（）—-~～/《》【】[]|")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_BETWEEN = re.compile(r"\s*[:,]?\s*")  # what separates a JSON object's keys and values
_LOADING = threading.Lock()


def to_numbered_pinyin(text: str) -> str:
    """Numbered pinyin with tone 5 for the neutral tone; ',' marks a short pause and '.' a sentence end."""
    tokens: list[str] = []
    for chunk in _HAN_RUN.split(spell_numbers(text)):
        if _HAN_RUN.fullmatch(chunk):
            tokens.extend(han_pinyin(chunk))
        else:
            tokens.extend(_other_tokens(chunk))
    return _join(tokens)


def han_pinyin(chunk: str, *, tone_sandhi: bool = True) -> list[str]:
    """Numbered pinyin of a run of Chinese characters, one syllable per character that has a reading."""
    pypinyin = _pypinyin()
    # errors="ignore": a rare character without any known reading (兙, 嗧) is skipped rather than spelled as a code.
    return pypinyin.lazy_pinyin(chunk, style=pypinyin.Style.TONE3, neutral_tone_with_five=True,
                                tone_sandhi=tone_sandhi, errors="ignore")


def has_reading(character: str) -> bool:
    """True if pypinyin knows how `character` is read."""
    _pypinyin()
    from pypinyin.pinyin_dict import pinyin_dict

    return ord(character) in pinyin_dict


def _pypinyin() -> ModuleType:
    with _LOADING:  # two calls' first renders at once: the second waits for the phrase table rather than go without
        return _load_pypinyin()


@functools.cache
def _load_pypinyin() -> ModuleType:
    """pypinyin, imported on first use (only the offline voice needs it; the matcher keeps a small table of its own:
    knowledge/syllables.py), with the same phrase table held compactly. pypinyin reads its 47,000 phrases from JSON
    into 600,000 objects (35 MB in every worker that speaks); the same lists of the same interned strings take a
    fraction of that."""
    if "pypinyin" in sys.modules:  # already imported in full (the matcher's training): nothing to save
        import pypinyin

        return pypinyin
    saved = {name: os.environ.get(name) for name in ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")}
    os.environ.update(dict.fromkeys(saved, "1"))
    try:
        import pypinyin
        from pypinyin.constants import PHRASES_DICT
        from pypinyin.seg import mmseg
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value
    PHRASES_DICT.update(compact_phrases(resources.files("pypinyin").joinpath("phrases_dict.json")
                                        .read_text(encoding="utf-8")))
    mmseg.retrain(mmseg.seg)  # its phrase prefixes, as pypinyin learns them when it loads the phrases itself
    return pypinyin


def compact_phrases(table: str) -> dict[str, list[list[str]]]:
    """pypinyin's phrase table (its JSON text), read one phrase at a time: each distinct list of readings is kept once
    (pypinyin deep-copies what it takes from the table), and the whole decoded table is never in memory at once, so
    the memory it would have taken is not left behind in the allocator's pools."""
    shared: dict[tuple[str, ...], list[str]] = {}
    return {phrase: [shared.setdefault(tuple(r), [sys.intern(s) for s in r]) for r in readings]
            for phrase, readings in _entries(table)}


def _entries(table: str) -> Iterator[tuple[str, list[list[str]]]]:
    """The key-value pairs of a JSON object, decoded one pair at a time."""
    decoder = json.JSONDecoder()
    position = _BETWEEN.match(table, table.index("{") + 1).end()
    while table[position] != "}":
        key, position = decoder.raw_decode(table, position)
        value, position = decoder.raw_decode(table, _BETWEEN.match(table, position).end())
        position = _BETWEEN.match(table, position).end()
        yield key, value


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
