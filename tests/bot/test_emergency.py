"""An emergency on Telegram, through the real aiogram client against the Bot API stand-in: the advice first, and the
citizen's place in the queue said once, the same in the reply and in what follows it."""

from __future__ import annotations

import re
import time

import pytest

from assistant import texts as engine_texts
from bot import texts
from tests.bot.conftest import Citizen

PLACE = re.compile(r"排在第一位|排在最前面|前面还有\d+位")


def _places(telegram, chat_id: int) -> list[str]:
    return [m for call in telegram.sent("sendMessage", chat_id=chat_id) for m in PLACE.findall(call.text)]


@pytest.mark.parametrize("said", ["我家着火了，快来人", "老伴晕倒了叫不醒", "有人让我马上把钱转到安全账户",
                                  "我被困在电梯里出不来了"])
def test_an_emergency_behind_others_hears_one_place(client, telegram, officer, said):
    for chat_id in (901, 902):
        Citizen(client, telegram, chat_id=chat_id).says(texts.HUMAN)
    urgent = Citizen(client, telegram, chat_id=903)
    replies = [call for call in urgent.says(said) if call.params["chat_id"] == "903"]
    assert replies[0].text.startswith(tuple(engine_texts.EMERGENCY_ADVICE.values()) + (
        engine_texts.EMERGENCY_MEDICAL_SELF,))
    time.sleep(0.5)  # the live queue events of the hand-over are delivered by now
    assert _places(telegram, 903) == ["排在最前面"]


@pytest.mark.parametrize("said", ["我胸口疼得厉害", "厨房里煤气味好大", "有人在撬我家的门"])
def test_a_waiting_citizen_whose_case_becomes_an_emergency_hears_their_new_place_once(client, telegram, officer,
                                                                                       said):
    Citizen(client, telegram, chat_id=911).says(texts.HUMAN)
    citizen = Citizen(client, telegram, chat_id=912)
    [queued] = citizen.says(texts.HUMAN)
    assert "前面还有1位" in queued.text
    time.sleep(0.3)
    citizen.says(said)
    time.sleep(0.5)
    assert _places(telegram, 912) == ["前面还有1位", "排在最前面"]


@pytest.mark.parametrize(("said", "number"), [
    ("厨房的油锅烧起来了", "119"), ("我爷爷突然倒在地上不动了", "120"), ("电梯停了，我和孩子被关在里面", "96333"),
    ("电话里的人让我马上汇钱到他的账户", "96110"), ("我不想活了，太累了", "12356"), ("屋里一股子煤气味", "119"),
])
def test_the_advice_with_its_number_comes_first_in_bold(client, telegram, officer, said, number):
    citizen = Citizen(client, telegram, chat_id=921)
    first = [call for call in citizen.says(said) if call.params["chat_id"] == "921"][0]
    assert number in first.text and "entities" in first.params


@pytest.mark.parametrize("said", ["我老伴去年中过风，能申请居家养老服务吗", "前年家里着过火，身份证烧了怎么补"])
def test_a_past_event_is_answered_as_a_service_question(client, telegram, said):
    citizen = Citizen(client, telegram, chat_id=931)
    replies = citizen.says(said)
    assert not any(any(advice in r.text for advice in engine_texts.EMERGENCY_ADVICE.values()) for r in replies)


def test_nobody_on_duty_the_citizen_is_told_to_call_now_and_offered_no_callback(client, telegram):
    citizen = Citizen(client, telegram, chat_id=941)
    replies = [call.text for call in citizen.says("我胸口疼得喘不上气")]
    assert replies[-1] == engine_texts.EMERGENCY_NOBODY_ON_DUTY
    assert not any("回电" in text for text in replies)
