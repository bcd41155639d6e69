"""Text for the offline voice: numbered pinyin, numbers read in Chinese, punctuation as pauses."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.voice.samples import SAMPLE
from voice.speech.pinyin import compact_phrases, has_reading, syllable_count, to_numbered_pinyin


def test_the_sample_sentence_becomes_numbered_pinyin_with_a_pause_at_the_comma() -> None:
    assert to_numbered_pinyin(SAMPLE) == (
        "shen1 fen4 zheng4 dao4 qi1 qian2 san1 ge4 yue4 jiu4 neng2 huan4, gong1 ben3 fei4 er4 shi2 yuan2.")


@pytest.mark.parametrize(("text", "spoken"), [
    ("工本费20元", "gong1 ben3 fei4 er4 shi2 yuan2"),
    ("冷静期30天", "leng3 jing4 qi1 san1 shi2 tian1"),
    ("费用120元", "fei4 yong4 yi4 bai3 er4 shi2 yuan2"),
    ("按0", "an4 ling2"),
    ("能用2个月", "neng2 yong4 liang3 ge4 yue4"),
    ("第2次", "di4 er4 ci4"),
    ("1.5公里", "yi4 dian3 wu3 gong1 li3"),
    ("加3%", "jia1 bai3 fen1 zhi1 san1"),
    ("3-5个工作日", "san1 dao4 wu3 ge4 gong1 zuo4 ri4"),
    ("9:30上班", "jiu3 dian3 ban4 shang4 ban1"),
    ("2024年", "er4 ling2 er4 si4 nian2"),
])
def test_numbers_are_read_as_chinese_words(text: str, spoken: str) -> None:
    assert to_numbered_pinyin(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("打110", "da3 yao1 yao1 ling2"),
    ("打12345", "da3 yao1 er4 san1 si4 wu3"),
    ("掌上12333", "zhang3 shang4 yao1 er4 san1 san1 san1"),
    ("打95598报修", "da3 jiu3 wu3 wu3 jiu3 ba1 bao4 xiu1"),
])
def test_phone_numbers_are_read_digit_by_digit_with_yao_for_one(text: str, spoken: str) -> None:
    assert to_numbered_pinyin(text) == spoken


def test_full_width_digits_are_numbers_too() -> None:
    assert to_numbered_pinyin("工本费２０元") == "gong1 ben3 fei4 er4 shi2 yuan2"


def test_the_neutral_tone_is_numbered_five() -> None:
    assert to_numbered_pinyin("我的孩子") == "wo3 de5 hai2 zi5"


def test_traditional_characters_are_read_like_simplified() -> None:
    assert to_numbered_pinyin("身份證") == to_numbered_pinyin("身份证")


def test_punctuation_becomes_pauses_and_repeated_marks_collapse() -> None:
    assert to_numbered_pinyin("“你好”，再见！！") == "ni2 hao3, zai4 jian4."


def test_text_without_anything_to_say_gives_nothing() -> None:
    assert to_numbered_pinyin("！？…") == ""


_CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_DIGITS_AND_MARKS = st.sampled_from(list("0123456789，。、？！：%（）"))


@settings(max_examples=60, deadline=None)
@given(st.text(st.one_of(_CHINESE, _DIGITS_AND_MARKS), min_size=1, max_size=30))
@example("兙")  # U+5159 and nine others in the range have no reading at all: left out, not counted
@example("办理兡嗧桛手续")
def test_every_word_is_a_syllable_with_a_tone_number_and_no_digit_is_left(text: str) -> None:
    pinyin = to_numbered_pinyin(text)
    for word in pinyin.split():
        assert re.fullmatch(r"[a-z]+[1-5][,.]?", word), (text, pinyin)
    # Every character with a reading is spoken (full-width marks are not characters here).
    assert syllable_count(pinyin) >= sum("\u4e00" <= ch <= "\u9fa5" and has_reading(ch) for ch in text)


def test_a_character_without_any_reading_is_left_out_and_the_rest_is_read() -> None:
    assert not has_reading("兙") and has_reading("办")
    assert to_numbered_pinyin("办理兙手续") == "ban4 li3 shou3 xu4"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_text_at_all_converts_without_error(text: str) -> None:
    assert isinstance(to_numbered_pinyin(text), str)


# --- pypinyin's phrase table, held compactly ---

READ_ALOUD = """
import json
{first}
from knowledge.loader import load_knowledge
from assistant import texts
from voice.speech.pinyin import to_numbered_pinyin
guides = load_knowledge().guides.values()
said = [g.short_answer for g in guides] + [g.title for g in guides]
said += [v for v in vars(texts).values() if isinstance(v, str)]
said += ["一定不要忘了，我很好，银行行长一天只来一次，不是不对，老鼠保管好。"]
print(json.dumps([to_numbered_pinyin(t) for t in said], ensure_ascii=False))
"""


def read_aloud(first: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", READ_ALOUD.format(first=first)], capture_output=True, text=True,
                          check=True, timeout=120)
    return json.loads(done.stdout)


def test_the_compact_phrase_table_holds_exactly_what_pypinyin_reads_from_its_own() -> None:
    text = resources.files("pypinyin").joinpath("phrases_dict.json").read_text(encoding="utf-8")
    assert compact_phrases(text) == json.loads(text)


def test_text_is_read_as_with_pypinyin_s_own_table() -> None:
    """Every guide's answer and every line the assistant says, in fresh processes: pypinyin loaded in full first
    (as the matcher's training does), and the voice loading it first, with the compact table."""
    in_full = read_aloud("import pypinyin")
    compact = read_aloud("")
    assert compact == in_full
    assert len(compact) > 50 and all(compact)
