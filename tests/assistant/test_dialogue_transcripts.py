"""The conversation, as a citizen lives it: what they say, and what the assistant must answer.

Each transcript runs through the whole engine (storage, cases and all) on a collecting test channel. Expected
answers come from the guides themselves, so the tables stay true while the guides' wording is edited.
"""

from __future__ import annotations

import pytest

from assistant import texts
from tests.utils.chat import (
    NOTHING,
    answers,
    answers_with_detail,
    details,
    emergency_advice,
    in_queue,
    miss,
    not_covered,
    offers_callback,
    offers_person,
    officer,
    run_transcript,
    says,
)

ID_CARD = "id-card-renewal"
TRANSIT = "senior-transit-card"

WITH_AN_OFFICER_ON_DUTY = {
    "answer, then details in context": [
        ("俺的身份证过期了咋整", answers(ID_CARD)),
        ("那要带啥?", details(ID_CARD, "materials")),
        ("在哪办、几点", "2", details(ID_CARD, "where")),  # a tapped button
        ("3", details(ID_CARD, "fee")),  # a typed digit means the same
        ("能让儿子去办吗", details(ID_CARD, "proxy")),
        ("能不能让家里人代办", details(ID_CARD, "proxy")),  # the detail's own words are not a new topic
        ("要多久能拿到", details(ID_CARD, "time")),
        ("说简单点", says("detail", texts.SIMPLER_PREFIX)),
        ("再说一遍", details(ID_CARD, "time")),  # the full answer again, not the simple one
        ("谢谢", says("smalltalk", "不客气")),
    ],
    "a new question moves on to its own service": [
        ("身份证过期了咋换", answers(ID_CARD)),
        ("老年卡怎么办", answers(TRANSIT)),
        ("要带什么", details(TRANSIT, "materials")),
        ("换身份证要多少钱", answers_with_detail(ID_CARD, "fee")),
    ],
    "a follow-up with nothing to follow asks what it is about": [
        ("那要带啥?", miss(texts.NEED_TOPIC)),
        ("身份证过期了咋换", answers(ID_CARD)),
    ],
    "two misses in a row: a person is offered, and taken": [
        ("今天天气怎么样", not_covered()),
        ("嗯嗯", offers_person()),
        ("好，找工作人员", "1", in_queue(1, reason="two_misses")),
        ("您好，在吗", says("relayed", texts.RELAYED)),
    ],
    "an understood question in between resets the count": [
        ("今天天气怎么样", not_covered()),
        ("身份证过期了咋换", answers(ID_CARD)),
        ("明天会下雨吗", not_covered()),
    ],
    "找人工 goes straight to a person": [
        ("找人工", in_queue(1, reason="asked")),
    ],
    "asking for a real person in other words": [
        ("身份证过期了咋换", answers(ID_CARD)),
        ("我要找真人", in_queue(1, reason="asked")),
    ],
    "0 reaches a person from anywhere": [
        ("身份证过期了咋换", answers(ID_CARD)),
        ("0", in_queue(1)),
    ],
    "emergency: safety advice first, then an urgent case": [
        ("我家煤气漏了，味道好大", emergency_advice("开窗", "出门", "119")),
    ],
    "emergency: someone cannot breathe": [
        ("老伴突然喘不上气了", emergency_advice("120")),
    ],
    "while a person handles the case, the bot keeps quiet": [
        ("找人工", in_queue(1)),
        officer("claim"),
        officer("reply", "您好，我是王芳，您想办什么事？"),
        ("我想换身份证", NOTHING),
        ("找人工", NOTHING),
    ],
    "resolved, then 没解决: the case is reopened": [
        ("找人工", in_queue(1)),
        officer("claim"),
        officer("resolve"),
        ("没解决", in_queue(1)),
    ],
    "resolved, then 解决了: thanks, and no rating asked": [
        ("找人工", in_queue(1)),
        officer("claim"),
        officer("resolve"),
        ("1", says("feedback", texts.FEEDBACK_THANKS)),
        ("身份证过期了咋换", answers(ID_CARD)),
    ],
    "an emergency while waiting still gets safety advice at once": [
        ("找人工", in_queue(1)),
        ("我老伴晕倒了叫不醒", says("queue", texts.EMERGENCY_ALERTED)),
    ],
}

NOBODY_ON_DUTY = {
    "a callback is offered, at a stated time, and booked": [
        ("找人工", offers_callback()),
        ("好，请给我回电话", "1", says("callback", texts.CALLBACK_ASK_PHONE)),
        ("123", says("callback", "手机号是11位，这里是3位")),
        ("138 1234 5678", says("callback", "今天上午11点", "13812345678")),
    ],
    "the callback can be declined": [
        ("找人工", offers_callback()),
        ("2", says("callback", texts.CALLBACK_DECLINED)),
    ],
    "the wait is told honestly when nobody is on duty": [
        ("找人工", says("callback")),
        ("在吗", says("relayed", "现在没有工作人员值班")),
    ],
}


@pytest.mark.parametrize("steps", WITH_AN_OFFICER_ON_DUTY.values(), ids=WITH_AN_OFFICER_ON_DUTY.keys())
def test_with_an_officer_on_duty(chat, on_duty, steps):
    run_transcript(chat, steps, on_duty)


@pytest.mark.parametrize("steps", NOBODY_ON_DUTY.values(), ids=NOBODY_ON_DUTY.keys())
def test_with_nobody_on_duty(chat, steps):
    run_transcript(chat, steps)
