"""Normalisation gives one canonical form for the many ways a question is typed or heard."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.normalize import SYNONYMS_FILE, load_synonyms, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("設保卡密碼忘了", "社保卡密码忘了"),  # traditional -> simplified, then a homophone typo
        ("身份正过期了", "身份证过期了"),
        ("退休金啥时候到账", "养老金什么时候到账"),  # synonym and dialect
        ("俺咋办老年证", "我怎么办老年证"),
        ("ＡＢＣ１２３？", "abc123"),  # full width -> half width, punctuation dropped
        ("俺刚过了六十五岁", "我刚过了65岁"),  # Chinese numerals -> digits
        ("两万块钱", "20000块钱"),
        ("八十周岁", "80周岁"),
        ("一样 一下 万一", "一样 一下 万一"),  # idioms made of numerals stay words
        ("嗯……那个那个，请问养老金认证", "养老金认证"),  # fillers dropped
        ("😀😀😀", ""),
    ],
)
def test_normalises_to_canonical_form(raw, expected):
    assert normalize(raw) == expected


def test_no_canonical_word_contains_a_variant():
    """Otherwise normalising twice would differ from normalising once."""
    table = load_synonyms(SYNONYMS_FILE)
    canonical = set(table.values())
    assert not [(c, v) for c in canonical for v in table if v in c]


cjk_heavy_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from("俺咋啥娃闺女一二三四五六七八九十百千万两零岁块元月年，。？！ 　ＡＢＣ１２３設保卡養老金"),
        st.characters(),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(cjk_heavy_text)
def test_normalising_twice_is_normalising_once(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_any_unicode(text):
    assert isinstance(normalize(text), str)
