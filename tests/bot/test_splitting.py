"""Cutting long text for Telegram's 4,096-unit messages: between sentences, never losing a character."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.splitting import split_text, units


def test_short_text_is_one_message():
    assert split_text("您好。") == ["您好。"]


def test_pieces_end_at_sentence_ends_and_keep_closing_quotes():
    text = "第一句。" * 3 + "他说：“带上户口本。”" + "最后一句！"
    parts = split_text(text, limit=12)
    assert "".join(parts) == text
    assert all(units(p) <= 12 for p in parts)
    assert all(p.endswith(("。", "”", "！")) for p in parts)


def test_a_sentence_longer_than_a_message_is_cut_at_commas_then_anywhere():
    parts = split_text("甲" * 9 + "，" + "乙" * 25, limit=10)
    assert parts[0] == "甲" * 9 + "，"
    assert all(units(p) <= 10 for p in parts) and "".join(parts) == "甲" * 9 + "，" + "乙" * 25


def test_emoji_count_twice_as_telegram_counts_them():
    assert units("👍") == 2
    assert all(units(p) <= 4 for p in split_text("👍👍👍👍👍", limit=4))


@given(st.text(alphabet="办事。！？，\n ab👍", min_size=1, max_size=400), st.integers(min_value=4, max_value=50))
def test_nothing_is_lost_and_nothing_is_too_long(text, limit):
    parts = split_text(text, limit=limit)
    assert all(units(p) <= limit for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())  # only edge whitespace may go
