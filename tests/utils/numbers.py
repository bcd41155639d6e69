"""Hypothesis strategies for the numbers that must be masked: Chinese ID numbers with a valid check digit, and
mobile numbers written the ways people write them."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(first17: str) -> str:
    """GB 11643: the 18th character is the weighted sum of the first 17 digits, mod 11, read through this table."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.integers(110000, 659999))
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
    order = draw(st.integers(0, 999))
    return with_check_digit(f"{region}{birth:%Y%m%d}{order:03d}")


mobiles = st.builds(lambda second, rest: f"1{second}{rest:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1))
# How a mobile is written: plain, with the country code, in groups.
written = st.sampled_from(["{0}", "+86{0}", "+86 {0}", "0086-{0}", "{0:.3} {1} {2}", "{0:.3}-{1}-{2}"])


def spelled(template: str, mobile: str) -> str:
    return template.format(mobile, mobile[3:7], mobile[7:])
