"""Turn a question into the three views the classifier reads: characters, words and pinyin syllables."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jieba

from knowledge.normalize import Normalizer
from knowledge.syllables import SyllableTable, from_pypinyin

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

jieba.setLogLevel(logging.WARNING)

FEATURE_KINDS = ("char", "word", "pinyin")

# Particles that end half of all short questions: as single features they only say "this is short" (which made
# "吃了吗" look like "着火了"). They still count inside bigrams and trigrams.
_PARTICLES = frozenset("了的吗么呢啊吧呀哦嘛哩咧啦")
_PARTICLE_SYLLABLES = frozenset({"le", "de", "ma", "me", "ne", "a", "ba", "ya", "o", "li", "lie", "la"})

# Near-homophones a speech recogniser or a southern accent confuses (zh/z, ing/in, ...): fold them together.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))


@dataclass(frozen=True, slots=True)
class Doc:
    text: str
    words: tuple[str, ...]
    pinyin: tuple[str, ...]


def fuzzy_syllable(syllable: str) -> str:
    for heavy, light in _FUZZY_INITIALS:
        if syllable.startswith(heavy):
            syllable = light + syllable[len(heavy) :]
            break
    for heavy, light in _FUZZY_FINALS:
        if syllable.endswith(heavy):
            return syllable[: -len(heavy)] + light
    return syllable


class Analyzer:
    """Normalises a question and splits it into words (jieba, domain dictionary) and pinyin syllables.
    syllables: the model's own table; by default one is built from pypinyin (when training)."""

    def __init__(self, user_words: Iterable[str], *, normalizer: Normalizer | None,
                 syllables: SyllableTable | None = None, cache_dir: Path | None = None):
        self.normalizer = normalizer
        self.syllables = syllables or from_pypinyin(fuzzy_syllable)
        self.tokenizer = jieba.Tokenizer()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self.tokenizer.tmp_dir = str(cache_dir)
        self.tokenizer.initialize()
        for word in sorted(set(user_words)):
            self.tokenizer.add_word(word)

    def __call__(self, text: str) -> Doc:
        text = self.normalizer(text) if self.normalizer else text
        words = tuple(w for w in self.tokenizer.cut(text) if w.strip())
        return Doc(text, words, tuple(self.syllables(text)))


def _ngrams(items: tuple[str, ...] | str, high: int, skip: frozenset[str], sep: str = " ") -> list[str]:
    grams = [item for item in items if item not in skip]
    grams.extend(sep.join(items[i : i + n]) for n in range(2, high + 1) for i in range(len(items) - n + 1))
    return grams


def char_ngrams(doc: Doc) -> list[str]:
    grams: list[str] = []
    for chunk in doc.text.split():
        grams.extend(_ngrams(chunk, 3, _PARTICLES, sep=""))
    return grams


def word_ngrams(doc: Doc) -> list[str]:
    return _ngrams(doc.words, 2, _PARTICLES)


def pinyin_ngrams(doc: Doc) -> list[str]:
    return _ngrams(doc.pinyin, 3, _PARTICLE_SYLLABLES)


ANALYZERS: dict[str, Callable[[Doc], list[str]]] = {
    "char": char_ngrams,
    "word": word_ngrams,
    "pinyin": pinyin_ngrams,
}


def make_vectorizer(kind: str, min_df: int = 1) -> TfidfVectorizer:
    """For training only: a served model needs no scikit-learn (knowledge/scoring.py), so it is imported here."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=ANALYZERS[kind], sublinear_tf=True, lowercase=False, min_df=min_df)
