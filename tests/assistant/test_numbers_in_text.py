"""The number finder reads text as a person reads it: whatever the spelling, a mobile, a landline with its area code
or an ID number is found with its kind, its digits and its place in the original text; amounts, dates and
ordinary words made of numerals are not numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.numbers_in_text import find_numbers, phone_numbers
from tests.utils.numbers import (
    GROUPINGS,
    id_numbers,
    landlines,
    mobiles,
    old_id_numbers,
    sentences,
    spelled_groups,
    spelled_landline,
)

checked = settings(database=None, max_examples=300, deadline=None)


@pytest.mark.parametrize(("text", "kind", "digits", "span"), [
    ("我身份证110101 19500101 123X谢谢", "id", "11010119500101123X", "110101 19500101 123X"),
    ("110101-1950-0101-123x", "id", "11010119500101123X", "110101-1950-0101-123x"),
    ("老身份证110101500101123", "id", "110101500101123", "110101500101123"),
    ("电话１３８１２３４５６７８", "mobile", "13812345678", "１３８１２３４５６７８"),
    ("138-1234-5678", "mobile", "13812345678", "138-1234-5678"),
    ("138.1234.5678", "mobile", "13812345678", "138.1234.5678"),
    ("138 1234 5678", "mobile", "13812345678", "138 1234 5678"),
    ("打+86 138 1234 5678", "mobile", "13812345678", "+86 138 1234 5678"),
    ("0086-13812345678", "mobile", "13812345678", "0086-13812345678"),
    ("幺三八一二三四五六七八", "mobile", "13812345678", "幺三八一二三四五六七八"),
    ("一三八 一二三四 五六七八", "mobile", "13812345678", "一三八 一二三四 五六七八"),
    ("138一二三四5678", "mobile", "13812345678", "138一二三四5678"),
    ("一三八两二三四五六七八", "mobile", "13822345678", "一三八两二三四五六七八"),
    ("138\u200b1234\u200b5678", "mobile", "13812345678", "138\u200b1234\u200b5678"),  # split by invisible spaces
    ("单位010-6512 3456", "landline", "01065123456", "010-6512 3456"),
    ("0755-12345678", "landline", "075512345678", "0755-12345678"),
    ("(010)65123456", "landline", "01065123456", "010)65123456"),
    ("（0755）1234 5678", "landline", "075512345678", "0755）1234 5678"),
    ("+86 10 6512 3456", "landline", "01065123456", "+86 10 6512 3456"),
])
def test_each_spelling_is_found_with_its_kind_digits_and_span(text, kind, digits, span):
    [number] = find_numbers(text)
    assert (number.kind, number.digits, text[number.start:number.end]) == (kind, digits, span)


@pytest.mark.parametrize("text", [
    "2024年3月5日", "工本费20元", "打12345热线", "第2个窗口", "一二十块", "三四个月", "一个月", "两三天就好",
    "2024-03-05 10:30", "2023.10.01-2024.09.30", "9:00-17:00", "1,380元", "1 380 000元", "400-810-8888",
    "一九五〇年一月一日", "一去二三里，烟村四五家", "订单1381234567890123", "13812345678901",
])
def test_amounts_dates_and_words_are_not_numbers(text):
    assert find_numbers(text) == []


def test_a_numeral_word_next_to_a_spoken_number_stays_a_word():
    [number] = find_numbers("打一一三八一二三四五六七八两次")
    assert number.digits == "13812345678" and number.start == 2


def test_several_numbers_in_one_message_are_found_apart():
    text = "电话13812345678 0755 1234567，身份证11010519491231002X"
    assert [(n.kind, n.digits) for n in find_numbers(text)] == [
        ("mobile", "13812345678"), ("landline", "07551234567"), ("id", "11010519491231002X")]


def test_phone_numbers_reads_a_callback_number_inside_a_sentence():
    assert phone_numbers("号码是一五九 幺二三四 五六七八，打这个") == ["15912345678"]
    assert phone_numbers("打这个 186-0000-1111 或者单位 010-6512 3456") == ["18600001111", "01065123456"]
    assert phone_numbers("身份证11010519491231002X") == []


@checked
@given(mobile=mobiles, groups=GROUPINGS["mobile"], data=st.data(), before=sentences, after=sentences)
def test_any_spelling_of_a_mobile_is_found_where_it_is(mobile, groups, data, before, after):
    spelled = data.draw(spelled_groups(mobile, groups))
    [number] = find_numbers(before + spelled + after)
    assert (number.kind, number.digits) == ("mobile", mobile)
    assert (number.start, number.end) == (len(before), len(before) + len(spelled))


@checked
@given(landline=landlines(), data=st.data(), before=sentences, after=sentences)
def test_any_spelling_of_a_landline_is_found(landline, data, before, after):
    [number] = find_numbers(before + data.draw(spelled_landline(landline)) + after)
    assert (number.kind, number.digits) == ("landline", landline)


@checked
@given(id_number=id_numbers() | old_id_numbers(), data=st.data(), before=sentences, after=sentences)
def test_any_spelling_of_an_id_number_is_found(id_number, data, before, after):
    groups = data.draw(GROUPINGS["id" if len(id_number) == 18 else "old_id"])
    [number] = find_numbers(before + data.draw(spelled_groups(id_number, groups)) + after)
    assert (number.kind, number.digits) == ("id", id_number)
