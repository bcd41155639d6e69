"""Numbers, dates, money and phone numbers read the way a person reads them aloud, in every voice."""

from __future__ import annotations

import pytest

from voice.speech.numbers import spell_numbers


@pytest.mark.parametrize(("text", "spoken"), [
    ("工本费20元", "工本费二十元"),  # money: a quantity
    ("￥20", "二十元"),
    ("20.50元", "二十元五角"),  # a price as a person says it, not 二十点五零元
    ("0.5元", "五角"),
    ("￥12.05", "十二元零五分"),
    ("打12345", "打幺二三四五"),  # a phone number: digit by digit (幺 for 1, as operators say it)
    ("电话010-12345678", "电话零幺零-幺二三四五六七八"),
    ("2024-03-05前", "二零二四年三月五日前"),  # a date: the year digit by digit, month and day as numbers
    ("2024年3月5日", "二零二四年三月五日"),
    ("9:30上班", "九点半上班"),
    ("3-5个工作日", "三到五个工作日"),
    ("能用2个月", "能用两个月"),
    ("加3%", "加百分之三"),
])
def test_spoken_as_a_person_reads_it(text: str, spoken: str) -> None:
    assert spell_numbers(text) == spoken
