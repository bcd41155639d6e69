"""What staff read cannot display other than it reads: direction overrides, isolates and control characters are
shown as �, invisible characters dropped; Chinese, emoji and punctuation stay exactly as typed."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.staff_text import SHOWN_INSTEAD, all_for_staff, for_staff, neutralise

checked = settings(database=None, max_examples=300, deadline=None)

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",
        "\u061c"]
INVISIBLE = ["\u200b", "\u200c", "\u2060", "\ufeff", "\u00ad", "\U000e0041"]
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800"]

# What citizens and officers really write: Chinese, full-width and ASCII punctuation, emoji (with joiners and
# variation selectors), letters, digits, line breaks.
ordinary = st.lists(st.sampled_from(list("我想办老年卡请问在哪里办，。！？、：；“”（）《》…—abcXYZ 0123\n\t")
                                   + ["😀", "👍🏽", "❤️", "👨\u200d👩\u200d👧", "🇨🇳", "✅"])).map("".join)


@checked
@given(text=ordinary)
def test_ordinary_text_is_left_exactly_as_typed(text):
    assert neutralise(text) == text


@checked
@given(parts=st.lists(ordinary, min_size=1, max_size=6), tricks=st.lists(st.sampled_from(BIDI), min_size=1))
def test_every_direction_character_is_shown_as_a_placeholder(parts, tricks):
    text = "".join(p + t for p, t in zip(parts, tricks, strict=False)) + "".join(parts[len(tricks):])
    shown = neutralise(text)
    assert not any(unicodedata.bidirectional(c) in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI")
                   or c in "\u200e\u200f\u061c" for c in shown)
    assert shown.count(SHOWN_INSTEAD) == text.count(SHOWN_INSTEAD) + sum(text.count(t) for t in BIDI)
    assert shown.replace(SHOWN_INSTEAD, "") == "".join(c for c in text if c not in BIDI).replace(SHOWN_INSTEAD, "")


@pytest.mark.parametrize(("typed", "shown"), [
    ("我的卡号是\u202e8765 4321\u202c，请帮忙", "我的卡号是�8765 4321�，请帮忙"),
    ("\u2067اسم\u2069 办卡", "�اسم� 办卡"),
    ("零\u200b宽\ufeff空格\u00ad", "零宽空格"),
    ("隐藏\U000e0069\U000e0067\U000e006e文字", "隐藏文字"),  # tag characters: text nobody can see
    ("一行\r\n两行\r三行\u2028四行", "一行\n两行\n三行\n四行"),
    ("\x00\x07\x1b[2J\ud800", "���[2J�"),
])
def test_tricks_are_made_visible_or_dropped(typed, shown):
    assert neutralise(typed) == shown


@pytest.mark.parametrize("char", INVISIBLE + CONTROLS + BIDI)
def test_no_format_or_control_character_reaches_staff(char):
    assert char not in neutralise(f"前{char}后")


def test_numbers_are_masked_before_an_invisible_character_could_hide_them():
    assert for_staff("电话138\u202e1234\u200b5678") == "电话138�****5678"


def test_every_string_of_an_event_detail_is_made_fit_for_staff():
    detail = {"note": "回电13812345678\u202e", "to": "wang", "count": 2, "list": ["\u2066x"], "none": None}
    assert all_for_staff(detail) == {"note": "回电138****5678�", "to": "wang", "count": 2, "list": ["�x"],
                                     "none": None}
