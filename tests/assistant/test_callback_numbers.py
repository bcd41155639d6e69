"""A callback number as people give it (assistant/callback_numbers.py), for any number and any way of writing it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assistant.callback_numbers import attempted, callback_number, what_is_wrong

_WRITTEN = {str(d): (str(d), chr(0xFF10 + d), "零一二三四五六七八九"[d]) for d in range(10)}
_WRITTEN["1"] += ("幺",)
mobiles = st.builds(lambda second, rest: f"1{second}{rest}", st.sampled_from("3456789"),
                    st.text("0123456789", min_size=9, max_size=9))


@st.composite
def written(draw: st.DrawFn, digits: str) -> str:
    """The digits as a person might type or a recogniser write them: each in any form, groups split anyhow."""
    out = []
    for i, d in enumerate(digits):
        if i and i % 4 == 3:
            out.append(draw(st.sampled_from(["", " ", "-", "，", "－"])))
        out.append(draw(st.sampled_from(_WRITTEN[d])))
    return "".join(out)


@given(mobiles.flatmap(lambda m: st.tuples(st.just(m), written(m))), st.sampled_from(["", "号码是", "打这个 "]),
       st.sampled_from(["", "，谢谢", " 就行"]))
def test_any_mobile_however_written_is_read(number_and_text, before, after):
    number, text = number_and_text
    assert callback_number(f"{before}{text}{after}") == number


@given(st.text("0123456789", min_size=3, max_size=16))
def test_a_wrong_number_gets_an_example_unlike_it(digits):
    if callback_number(digits) is None:
        problem, example = what_is_wrong(attempted(digits) or digits)
        assert str(len(digits)) in problem or digits[1] in problem
        assert example.replace("-", "") not in digits and digits not in example.replace("-", "")


@given(st.text(max_size=60))
def test_any_text_is_read_without_failing(text):
    number = callback_number(text)
    assert number is None or number.isdigit()
