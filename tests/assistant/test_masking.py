"""Masking, for any ID number (18 or 15 digits), mobile or landline, however it is written and wherever it sits in a
text; and nothing else masked."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.privacy import mask_phone, mask_text
from tests.utils.numbers import (
    GROUPINGS,
    area_code,
    id_numbers,
    landlines,
    mobiles,
    old_id_numbers,
    read_digits,
    sentences,
    spelled,
    spelled_groups,
    spelled_landline,
    written,
)

# Text around a number: Chinese, letters, punctuation, spaces; no digits (those would make it another number).
around = st.text(alphabet=st.sampled_from("我的号码是电话身份证请回拨谢谢，。：: ()abcXYZ-"), max_size=12)


@given(id_number=id_numbers(), before=around, after=around)
def test_an_id_number_is_masked_to_its_ends(id_number, before, after):
    masked = mask_text(f"{before}{id_number}{after}")
    assert id_number not in masked
    assert id_number[6:14] not in masked  # the date of birth
    assert f"{id_number[:3]}***********{id_number[-4:]}" in masked


@given(mobile=mobiles, template=written, before=around, after=around)
def test_a_mobile_number_is_masked_however_it_is_written(mobile, template, before, after):
    masked = mask_text(f"{before}{spelled(template, mobile)}{after}")
    shown = re.sub(r"[^0-9*]", "", masked).removeprefix("0086").removeprefix("86")
    assert shown == f"{mobile[:3]}****{mobile[-4:]}"


@given(id_number=id_numbers(), mobile=mobiles)
def test_both_in_one_message(id_number, mobile):
    masked = mask_text(f"身份证{id_number}，电话{mobile}，麻烦回电")
    assert id_number not in masked and mobile not in masked
    assert masked.endswith("，麻烦回电")


@given(mobile=mobiles)
def test_a_phone_field_keeps_only_its_ends(mobile):
    assert mask_phone(mobile) == f"{mobile[:3]}****{mobile[-4:]}"


# --- every spelling people use: groups, separators, full-width digits, Chinese numerals ---

checked = settings(database=None, max_examples=300, deadline=None)


def _masked_middle(before: str, spelled: str, after: str) -> str:
    """The masked text, checked to have changed nothing around the number and nothing but digits inside it."""
    masked = mask_text(before + spelled + after)
    assert masked.startswith(before) and masked.endswith(after) and len(masked) == len(before + spelled + after)
    middle = masked[len(before):len(masked) - len(after)]
    assert all(m == s or m == "*" for m, s in zip(middle, spelled, strict=True))  # separators kept where they were
    return middle


def _no_long_run_of(number: str, masked: str, kept: int = 4) -> None:
    """No stretch of the original digits longer than the parts meant to stay visible can be read in the text."""
    shown = read_digits(masked)
    assert not any(number[i:i + kept + 1] in shown for i in range(len(number) - kept))


@checked
@given(mobile=mobiles, groups=GROUPINGS["mobile"], data=st.data(), before=sentences, after=sentences)
def test_a_mobile_is_masked_in_any_spelling(mobile, groups, data, before, after):
    spelled = data.draw(spelled_groups(mobile, groups))
    middle = _masked_middle(before, spelled, after)
    assert read_digits(middle) == f"{mobile[:3]}****{mobile[-4:]}"
    _no_long_run_of(mobile, mask_text(before + spelled + after))


@checked
@given(landline=landlines(), data=st.data(), before=sentences, after=sentences)
def test_a_landline_keeps_only_its_area_code_and_last_four(landline, data, before, after):
    spelled = data.draw(spelled_landline(landline))
    area = area_code(landline)
    middle = _masked_middle(before, spelled, after)
    assert read_digits(middle) == area + "*" * (len(landline) - len(area) - 4) + landline[-4:]
    _no_long_run_of(landline, mask_text(before + spelled + after))


@checked
@given(id_number=id_numbers() | old_id_numbers(), data=st.data(), before=sentences, after=sentences)
def test_an_id_number_keeps_only_its_first_three_and_last_four(id_number, data, before, after):
    groups = data.draw(GROUPINGS["id" if len(id_number) == 18 else "old_id"])
    spelled = data.draw(spelled_groups(id_number, groups))
    middle = _masked_middle(before, spelled, after)
    assert read_digits(middle) == id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]
    _no_long_run_of(id_number, mask_text(before + spelled + after))


# Ordinary things officers need to read: amounts, dates, times, counts, hotlines, numerals in words.
_ordinary = st.one_of(
    st.builds("工本费{}元".format, st.integers(0, 9999)),
    st.builds("{}年{}月{}日".format, st.integers(1900, 2099), st.integers(1, 12), st.integers(1, 31)),
    st.builds("{}-{:02d}-{:02d}".format, st.integers(1900, 2099), st.integers(1, 12), st.integers(1, 31)),
    st.builds("{}.{}.{}".format, st.integers(1900, 2099), st.integers(1, 12), st.integers(1, 31)),
    st.builds("{}:{:02d}-{}:{:02d}".format, st.integers(0, 23), st.integers(0, 59), st.integers(0, 23),
              st.integers(0, 59)),
    st.builds("第{}个".format, st.integers(1, 99)),
    st.builds("{}-{}个工作日".format, st.integers(1, 30), st.integers(1, 30)),
    st.builds("打{}热线".format, st.sampled_from(["12345", "12315", "110", "120", "95588"])),
    st.builds("{}岁".format, st.integers(60, 110)),
    st.sampled_from(["一二十块", "三四个月", "一个月", "两三天", "七八十岁", "一九五〇年", "十二点半",
                     "二〇二四年三月五日"]),
)


@checked
@given(parts=st.lists(_ordinary, min_size=1, max_size=6), glue=st.sampled_from(["，", "。", "、", "，还有", "；"]))
def test_amounts_dates_and_counts_are_left_as_they_are(parts, glue):
    sentence = glue.join(parts)
    assert mask_text(sentence) == sentence
