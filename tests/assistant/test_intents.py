"""The dialogue's own words, recognised in normalised text."""

from __future__ import annotations

import pytest

from assistant import intents
from assistant.messages import Choice
from knowledge.normalize import normalize


@pytest.mark.parametrize(("said", "detail"), [
    ("那要带啥?", "materials"),
    ("要准备什么材料", "materials"),
    ("在哪儿办", "where"),
    ("几点开门", "where"),
    ("要花钱吗", "fee"),
    ("免费不", "fee"),
    ("能让闺女替我去吗", "proxy"),
    ("要多长时间", "time"),
    ("网上能办不", "online"),
    ("今天天气怎么样", None),
])
def test_detail_kind(said, detail):
    assert intents.detail_kind(normalize(said)) == detail


@pytest.mark.parametrize("said", ["再说一遍", "请再说一次", "没听清", "重复一下", "再听一遍"])
def test_repeat(said):
    assert intents.is_repeat(normalize(said))


@pytest.mark.parametrize("said", ["说简单点", "听不懂", "说得明白一点", "啥意思"])
def test_simpler(said):
    assert intents.is_simpler(normalize(said))


@pytest.mark.parametrize(("said", "key"), [("1", "1"), ("第二个", "2"), ("按3", "3"), ("四", "4"), ("0", "0"),
                                           ("12", None), ("第一次去", None)])
def test_choice_key(said, key):
    assert intents.choice_key(normalize(said)) == key


@pytest.mark.parametrize(("said", "answer"), [("解决了", True), ("好了谢谢", True), ("没解决", False),
                                              ("还是不行", False), ("我想问别的", None)])
def test_yes_no(said, answer):
    assert intents.yes_no(normalize(said)) is answer


@pytest.mark.parametrize(("said", "kind"), [("谢谢", "thanks"), ("您好", "hello"), ("再见", "bye"),
                                            ("谢谢你帮我办", None)])
def test_smalltalk(said, kind):
    assert intents.smalltalk(normalize(said)) == kind


CHOICES = [Choice("1", "要带什么材料", "detail:materials"), Choice("2", "在哪办、几点", "detail:where")]


def test_a_key_pressed_with_its_own_digit_as_text_picks_that_choice():
    assert intents.pick("2", "2", CHOICES, normalize) == CHOICES[1]


def test_an_old_button_tapped_late_still_counts_as_its_words():
    assert intents.pick(normalize("在哪办、几点"), "1", CHOICES, normalize) == CHOICES[1]
