"""Text normalisation before matching: one canonical form for the many ways a question can be written or heard."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import cn2an
import opencc
import yaml

from knowledge.loader import PACKAGE_DIR

SYNONYMS_FILE = PACKAGE_DIR / "synonyms.yaml"

# Interjections and particles that carry no meaning for matching ("嗯……那个……俺想问问啊").
_FILLERS = re.compile(
    r"嗯+|啊+|呃+|哎+|唉+|诶+|哦+|噢+|呀+|嘛|呢|吧|哩|咧|那个那个|就是说|怎么说呢|我想问一下|我想问问|请问一下|请问"
)
# Anything that is not a letter or digit (CJK counts as a letter): punctuation, symbols, emoji, control characters.
_NOT_WORD = re.compile(r"[^\w]+|_+")
_SPACES = re.compile(r"\s+")
_NUMERAL = "零一二三四五六七八九十百千万两"
# A Chinese number worth converting: two or more numeral characters ("六十五", "两万"), or one before a unit
# ("三个月", "八岁"). Idioms built from numerals ("一样", "一下", "万一") are left alone.
_NUMBER = re.compile(rf"[{_NUMERAL}]{{2,}}|[{_NUMERAL}](?=周岁|岁|块|元|个月|年|天|号|点|万|千|百)")
_NOT_NUMBERS = {"万一", "一一", "千万", "十分", "一万一", "三三两两", "一两"}


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def load_synonyms(path: Path = SYNONYMS_FILE) -> dict[str, str]:
    """Variant -> canonical word."""
    table = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {variant: canonical for canonical, variants in table.items() for variant in variants}


class Normalizer:
    def __init__(self, synonyms: dict[str, str] | None = None) -> None:
        self.synonyms = load_synonyms() if synonyms is None else synonyms
        variants = sorted(self.synonyms, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, variants))) if variants else None

    def __call__(self, text: str) -> str:
        # Lone surrogates (a broken client's half of an emoji) cannot be encoded and would crash OpenCC.
        text = text.encode("utf-8", "ignore").decode("utf-8")
        text = unicodedata.normalize("NFKC", text)
        text = _converter().convert(text).lower()
        text = _NOT_WORD.sub(" ", text)
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self.synonyms[m.group(0)], text)
        text = _FILLERS.sub(" ", text)
        text = _NUMBER.sub(_to_digits, text)
        return _SPACES.sub(" ", text).strip()


def _to_digits(match: re.Match[str]) -> str:
    span = match.group(0)
    if span in _NOT_NUMBERS:
        return span
    try:
        return str(cn2an.cn2an(span, "smart"))
    except (ValueError, KeyError):
        return span


@lru_cache(maxsize=1)
def default_normalizer() -> Normalizer:
    return Normalizer()


def normalize(text: str) -> str:
    """Traditional->simplified, full->half width, lower case, synonyms, Chinese numerals, no punctuation or fillers."""
    return default_normalizer()(text)
