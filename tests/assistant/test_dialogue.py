"""The dialogue policy on its own (no database): asking when unsure, picking choices, remembering state."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from assistant import texts
from assistant.dialogue import Dialogue, DialogueState
from assistant.served import ServedMatcher
from knowledge.loader import load_offices
from knowledge.matcher import Matcher


@pytest.fixture
def dialogue(matcher: Matcher, settings) -> Dialogue:
    return Dialogue(ServedMatcher(matcher), load_offices(settings.offices_file))


@pytest.fixture
def unsure(matcher: Matcher, settings) -> Dialogue:
    """A matcher that never trusts its first guess: every question gets "您是想问…"."""
    always_ask = replace(matcher.config.thresholds, ambiguity_margin=1.0)
    return Dialogue(ServedMatcher(matcher.with_thresholds(always_ask)), load_offices(settings.offices_file))


def test_unsure_asks_which_of_three_then_answers_the_one_picked(unsure):
    state = DialogueState()
    asked = unsure.respond("身份证过期了咋换", state)
    assert asked.action == "clarify"
    [reply] = asked.replies
    assert reply.text.startswith("您是想问：1.")
    assert [c.key for c in reply.choices] == ["1", "2", "3", "0"]
    picked = next(c for c in reply.choices if c.action == "pick:id-card-renewal")

    answered = unsure.respond(picked.label, state, key=picked.key)

    assert (answered.action, answered.label) == ("answer", "id-card-renewal")
    assert state.guide == "id-card-renewal"


def test_unsure_twice_in_a_row_points_to_a_person(unsure):
    state = DialogueState()
    unsure.respond("身份证过期了咋换", state)
    again = unsure.respond("老年卡怎么办", state)
    assert again.replies[0].text.endswith(texts.CLARIFY_LAST)


def test_a_spoken_number_picks_the_choice(dialogue):
    state = DialogueState()
    dialogue.respond("身份证过期了咋换", state)
    assert dialogue.respond("第二个", state).action == "detail:where"


def test_a_number_that_is_not_offered_says_which_are_and_keeps_them(dialogue):
    state = DialogueState()
    offered = dialogue.respond("身份证过期了咋换", state).replies[-1].choices
    outcome = dialogue.respond("7", state)
    [reply] = outcome.replies
    assert "“7”" in reply.text and all(c.label in reply.text for c in offered)
    assert reply.choices == offered  # a slip costs nothing: the same buttons still work
    assert state.misses == 0
    assert dialogue.respond("1", state).action == "detail:materials"


def test_an_old_button_tapped_late_counts_as_its_words(unsure):
    state = DialogueState(guide="id-card-renewal")
    unsure.respond("老年卡怎么办", state)  # the newest choices are services; key 1 is one of them
    outcome = unsure.respond("要带什么材料", state, key="1")  # an older answer's first button
    assert outcome.action == "detail:materials"


def test_emergency_words_win_over_everything(dialogue):
    state = DialogueState(guide="id-card-renewal")
    outcome = dialogue.respond("着火了", state)
    assert outcome.request == "emergency"
    assert outcome.replies[0].priority
    assert "119" in outcome.replies[0].text


def test_the_state_survives_a_trip_through_json(dialogue):
    state = DialogueState()
    dialogue.respond("身份证过期了咋换", state)
    restored = DialogueState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert restored == state
