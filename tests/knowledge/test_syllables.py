"""The matcher's own pinyin table reads questions as pypinyin does, phrases included, without pypinyin at run time."""

from __future__ import annotations

import pytest
from pypinyin import Style, lazy_pinyin

from knowledge.features import fuzzy_syllable
from knowledge.syllables import SyllableTable, from_pypinyin


@pytest.fixture(scope="module")
def table() -> SyllableTable:
    return from_pypinyin(fuzzy_syllable)


@pytest.mark.parametrize("text", ["我想去银行办理社保卡", "银行行长重新办了一张卡", "老人坐公交长期免费吗",
                                  "身份证丢了还能补办吗", "重庆的医保能在这里报销不"])
def test_reads_a_question_as_pypinyin_does(table, text):
    expected = [fuzzy_syllable(s) for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore")]
    assert table(text) == expected


def test_a_phrase_read_otherwise_than_its_characters_wins(table):
    assert table("银行") == ["yin", "han"]  # hang, folded with han: not the usual xing of 行
    assert table("行") == ["xin"]


def test_letters_digits_and_punctuation_are_skipped(table):
    assert table("ABC 123，医保！") == ["yi", "bao"]


def test_only_phrases_read_otherwise_are_kept():
    table = SyllableTable.from_readings({"银": "yin", "行": "xing", "卡": "ka"},
                                        {"银行": ("yin", "hang"), "银卡": ("yin", "ka")})
    assert table.phrases == {"银行": ("yin", "hang")}
    assert table("银卡银行行") == ["yin", "ka", "yin", "hang", "xing"]
