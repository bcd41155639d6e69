"""Bad input is cleaned so it can be stored safely, and named so the citizen gets a kind answer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assistant.inputs import MAX_CHARS, clean


def test_empty_and_blank_are_empty():
    assert clean("") == ("", "empty")
    assert clean("  \n\t ") == ("", "empty")


def test_too_long_is_cut_to_the_limit():
    text, problem = clean("身" * (MAX_CHARS + 500))
    assert problem == "too_long"
    assert len(text) == MAX_CHARS + 1  # the limit and an ellipsis


def test_binary_is_garbled_and_loses_its_control_bytes():
    text, problem = clean("\x00\x01\x02\x03\x04abc\x05\x06\x07")
    assert problem == "garbled"
    assert "\x00" not in text


def test_markup_is_kept_as_plain_text():
    assert clean("<script>alert(1)</script>") == ("<script>alert(1)</script>", None)


def test_an_ordinary_question_passes_unchanged():
    assert clean(" 身份证过期了咋换？ ") == ("身份证过期了咋换？", None)


@given(st.text(max_size=3000))
def test_whatever_arrives_can_be_stored(raw):
    text, problem = clean(raw)
    assert "\x00" not in text  # PostgreSQL refuses NUL in text
    assert len(text) <= MAX_CHARS + 1
    assert problem in (None, "empty", "too_long", "garbled")
