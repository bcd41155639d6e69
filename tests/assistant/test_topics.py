"""assistant/topics.py with the trained matcher: each rule moves only the questions it is about."""

from __future__ import annotations

import pytest
import yaml

from assistant import topics
from assistant.dialogue import Dialogue, DialogueState
from assistant.served import ServedMatcher
from knowledge.loader import PACKAGE_DIR, load_offices
from knowledge.matcher import Matcher
from knowledge.normalize import normalize


def steered(matcher: Matcher, text: str):
    norm = normalize(text)
    return topics.steer(norm, matcher.decide(text), matcher.kb.guides)


@pytest.mark.parametrize("text", ["我是农村的，养老金怎么领", "俺在村里种了一辈子地，老了能领养老金不"])
def test_a_rural_pension_question_is_the_resident_pension(matcher, text):
    assert (steered(matcher, text).label, steered(matcher, text).action) == ("resident-pension-enroll", "answer")


@pytest.mark.parametrize("text", ["我今年到退休年龄了，养老金怎么申请", "农村的养老金每月多少钱到账查一下"])
def test_other_pension_questions_stay_where_they_are(matcher, text):
    assert steered(matcher, text).label == matcher.decide(text).label


def test_a_first_card_stays_a_first_card(matcher):
    assert steered(matcher, "第一次办社保卡要带什么").label == "social-security-card-apply"


@pytest.mark.parametrize("text", ["社保卡用不了了", "社保卡刷不了了", "社保卡插进去没反应"])
def test_a_stopped_card_never_offers_a_first_card_first(matcher, text):
    decision = steered(matcher, text)
    assert decision.label != "social-security-card-apply"
    assert "social-security-card-apply" not in [s.id for s in decision.services(3)][:2]


def test_a_long_question_keeps_the_classifiers_choices(matcher):
    text = "俺在家门口开了个裁缝铺，一个人干，想自己交社保到退休能领养老金，听说叫灵活就业，咋交"
    assert steered(matcher, text).services(3) == matcher.decide(text).services(3)


@pytest.mark.parametrize(("text", "bereaved"), [
    ("我老伴走了，后事怎么办", True), ("我爸去世了", True), ("家里老人病故了", True), ("我妈没了，户口怎么销", True),
    ("老伴走了半天还没回来", False), ("钱没了", False), ("身份证到期了", False),
])
def test_a_death_in_the_family_is_recognised(text, bereaved):
    assert topics.bereaved(normalize(text)) is bereaved


def test_every_way_of_asking_for_a_person_the_matcher_knows_still_hands_over(matcher, settings):
    """The steering never second-guesses a request for a person: each training phrasing of the human label that
    the matcher decides as "human" is still handed over by the dialogue."""
    dialogue = Dialogue(ServedMatcher(matcher), load_offices(settings.offices_file))
    phrasings = yaml.safe_load((PACKAGE_DIR / "special" / "human.yaml").read_text(encoding="utf-8"))["questions"]
    asked = [p for p in phrasings if matcher.decide(p).action == "human"]
    assert len(asked) > 50
    kept = [p for p in asked if dialogue.respond(p, DialogueState()).request != "human"]
    assert kept == []


@pytest.mark.parametrize("text", ["高龄津贴的事叫个人来跟俺说", "补贴的事找个同志跟我说说"])
def test_a_family_word_with_a_person_asked_for_is_a_request_for_a_person(matcher, text):
    assert steered(matcher, text).action == matcher.decide(text).action
