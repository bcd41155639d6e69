"""The JSON check reads nesting without parsing (so without recursion), counts no bracket inside a string, and lets
every ordinary JSON value through."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from api.json_guard import MAX_DEPTH, NOT_JSON, TOO_DEEP, problem, too_deep

checked = settings(database=None, max_examples=300, deadline=None)

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner,
                                                                                          max_size=3), max_leaves=20)


def depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@checked
@given(value=values, ascii_only=st.booleans())
def test_the_depth_read_without_parsing_is_the_real_depth(value, ascii_only):
    body = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert too_deep(body, limit=depth(value)) is False
    if depth(value) > 0:
        assert too_deep(body, limit=depth(value) - 1) is True


@checked
@given(value=values)
def test_ordinary_json_passes(value):
    if depth(value) <= MAX_DEPTH:
        assert problem(json.dumps(value).encode(), declared_json=True) is None


@checked
@given(text=st.text(alphabet='[]{}"\\ab', max_size=50))
def test_brackets_inside_strings_do_not_count(text):
    body = json.dumps({"text": text}).encode()
    assert too_deep(body, limit=1) is False


def test_deep_nesting_is_refused_quickly_whatever_the_body_claims_to_be():
    assert problem(b"[" * 1_000_000, declared_json=False) == TOO_DEEP
    assert problem(b' {"a":' * (MAX_DEPTH + 1), declared_json=True) == TOO_DEEP


def test_what_json_has_no_number_for_is_refused():
    for body in (b"[NaN]", b"[Infinity]", b"[-Infinity]", b"[1e400]", b"[1" + b"0" * 5000 + b"]", b"\xff", b"[1"):
        assert problem(body, declared_json=True) == NOT_JSON, body
    assert problem(b"[NaN]", declared_json=False) is None  # a form or other body is not ours to parse
