"""ID and phone numbers masked where the full value is not needed; phone numbers read from what people type."""

from __future__ import annotations

import pytest

from assistant.privacy import mask_phone, mask_text, parse_phone


def test_mask_text_hides_id_and_mobile_numbers():
    masked = mask_text("我身份证号是11010519491231002X，电话13812345678")
    assert "19491231" not in masked
    assert "12345678" not in masked.replace("1381234", "")
    assert masked.startswith("我身份证号是110***********002X，电话138****5678")


def test_mask_phone_keeps_only_the_ends():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("5551234") == "****1234"


@pytest.mark.parametrize(("typed", "phone"), [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"),
    ("010-12345678", "01012345678"),
    ("123", None),
    ("12345678901", None),
    ("我不知道", None),
])
def test_parse_phone(typed, phone):
    assert parse_phone(typed) == phone
