"""Issue 16 through the web chat API: what a citizen does, and what the page gets back.

Each test is a short dialogue sent to POST /api/conversations/{id}/messages, as the page sends it (a tap is the
choice's key, perhaps with the button's words; a key alone acts as the tap)."""

from __future__ import annotations

import pytest


def last(body: dict) -> dict:
    return body["messages"][-1]


# --- a key alone, and a key not on offer ---

@pytest.mark.parametrize(("key", "kind"), [("1", "detail"), ("2", "detail"), ("4", "detail")])
def test_a_key_alone_acts_as_the_tap(say, matcher, key, kind):
    answer = last(say("身份证到期了要换新的"))
    label = next(c["label"] for c in answer["choices"] if c["key"] == key)
    by_key = last(say("", choice=key))
    by_tap = last(say(label, choice=key))
    assert by_key["kind"] == kind
    assert by_key["text"] == by_tap["text"]


@pytest.mark.parametrize("key", ["5", "7", "9"])
def test_a_key_not_on_offer_says_so_and_what_is(say, key):
    answer = last(say("老年人坐公交的卡怎么办"))
    reply = last(say("", choice=key))
    assert reply["kind"] == "miss"
    assert f"“{key}”" in reply["text"]
    assert all(c["label"] in reply["text"] for c in answer["choices"])
    assert reply["choices"] == answer["choices"]
    assert last(say("", choice="1"))["kind"] == "detail"  # the offered keys still work

