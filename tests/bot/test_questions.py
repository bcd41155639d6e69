"""A question in plain words gets the guide's short answer with buttons for the details; unsure, the bot asks which
of up to three services is meant; after two misses it offers a person itself."""

from __future__ import annotations

import json

import pytest

from assistant import texts as engine_texts
from bench import telegram_updates as updates
from bot import texts
from bot.keyboards import CALLBACK_DATA_LIMIT, choices_keyboard
from tests.bot.conftest import messages

VAGUE = ("社保", "户口", "医保卡和社保卡", "证件丢了")  # one of these is sure to make the matcher unsure


def test_a_colloquial_question_gets_the_short_answer_with_detail_buttons(citizen, kb):
    [answer] = citizen.says("身份证过期了咋换")

    assert answer.text.startswith(kb.guides["id-card-renewal"].short_answer)
    assert answer.buttons() == [*engine_texts.DETAIL_LABELS.values(), engine_texts.HUMAN_LABEL]


def test_buttons_carry_short_keys_not_text(citizen):
    [answer] = citizen.says("身份证过期了咋换")
    for data in answer.callback_data().values():
        assert len(data.encode()) <= CALLBACK_DATA_LIMIT
        assert data.startswith("pick:") and len(data) <= len("pick:0")


def test_tapping_a_detail_answers_it_and_stops_the_spinner(citizen, kb):
    [answer] = citizen.says("身份证过期了咋换")
    calls = citizen.post(_tap(answer, engine_texts.DETAIL_LABELS["materials"]))

    assert [c.method for c in calls][0] == "answerCallbackQuery"
    [detail] = messages(calls)
    assert kb.guides["id-card-renewal"].materials[0] in detail.text
    assert engine_texts.DETAIL_LABELS["fee"] in detail.buttons()  # the other details stay a tap away


def test_unsure_the_bot_offers_up_to_three_services_as_buttons(citizen, matcher, kb):
    vague = next(q for q in VAGUE if matcher.decide(q).action == "clarify")
    [asked] = citizen.says(vague)

    assert asked.text.startswith("您是想问：1.")
    services = asked.buttons()[:-1]
    assert 1 <= len(services) <= 3 and asked.buttons()[-1] == engine_texts.HUMAN_LABEL
    [answer] = citizen.taps(services[0], under=asked)
    title_to_guide = {g.title: g for g in kb.guides.values()}
    assert answer.text.startswith(title_to_guide[services[0]].short_answer)


def test_two_misses_and_the_bot_offers_a_person_itself(citizen):
    citizen.says("嗯嗯啊啊这个那个")
    [offer] = citizen.says("呜呜呜哈哈哈")

    assert offer.text == engine_texts.OFFER_PERSON
    [queued, *_] = citizen.taps(engine_texts.OFFER_YES, under=offer)
    assert queued.text.startswith(engine_texts.QUEUE_STARTED)


@pytest.mark.parametrize("text", ["<b>身份证</b>过期了咋换", "&lt;script&gt;"])
def test_text_is_never_read_as_markup(citizen, text):
    [reply] = citizen.says(text)
    assert "parse_mode" not in reply.params


def test_a_button_on_a_message_too_old_to_show_its_buttons_counts_as_the_key(citizen, kb):
    [answer] = citizen.says("身份证过期了咋换")
    data = answer.callback_data()[engine_texts.DETAIL_LABELS["fee"]]
    [detail] = messages(citizen.post(updates.tap(data, None)))
    assert detail.text.startswith("花不花钱")


def _tap(under, label):
    return updates.tap(under.callback_data()[label], under.markup())


def test_the_big_buttons_stay_under_every_message_without_choices(citizen):
    [reply] = citizen.says("谢谢")
    assert reply.buttons() == [texts.ASK, texts.HUMAN, texts.READ_ALOUD, texts.HOW_TO]


def test_an_emergency_is_answered_first_and_in_bold(citizen, officer):
    replies = citizen.says("家里煤气味好大")

    advice = replies[0]
    assert "燃气" in advice.text
    [bold] = json.loads(advice.params["entities"])
    assert bold["type"] == "bold" and bold["offset"] == 0 and bold["length"] == len(advice.text)
    assert replies[-1].text.startswith(engine_texts.EMERGENCY_ALERTED)


def test_callback_data_over_telegrams_limit_is_refused_before_sending():
    with pytest.raises(ValueError, match="too long"):
        choices_keyboard([{"key": "9" * 70, "label": "太长的键"}])
