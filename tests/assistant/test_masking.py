"""Masking, for any 18-digit ID number (with its check digit) and any mobile number, wherever it sits in a text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from assistant.privacy import mask_phone, mask_text
from tests.utils.numbers import id_numbers, mobiles, spelled, written

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
