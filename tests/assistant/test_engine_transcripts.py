"""Issue 16 as transcripts through the whole engine on the collecting test channel: a person when asked and a way
back, callbacks as people give numbers, words that are not questions. (tests/api/routes/test_chat_conversation.py
walks the same behaviours through the web chat API, with more phrasings.)"""

from __future__ import annotations

import pytest

from assistant import texts
from tests.utils.chat import NOTHING, answers, details, in_queue, miss, offers_callback, officer, run_transcript, says

ID_CARD = "id-card-renewal"
TRANSIT = "senior-transit-card"

WITH_AN_OFFICER_ON_DUTY = {
    "a person asked for, then not wanted any more": [
        ("身份证过期了咋换", answers(ID_CARD)),
        ("我要找工作人员", in_queue(1, reason="asked")),
        ("哎，那先不等了", says("left", texts.LEFT)),
        ("老年卡怎么办", answers(TRANSIT)),  # the assistant again, not the queue line
    ],
    "the queue's own button leaves it": [
        ("找人工", "0", in_queue(1)),
        (texts.LEAVE_LABEL, "9", says("left")),
    ],
    "waiting, a question is answered and an old button keeps its meaning": [
        ("身份证到期了怎么换", answers(ID_CARD)),
        ("转人工", in_queue(1)),
        ("老年人坐车的卡咋办", answers(TRANSIT)),
        ("要花钱吗", "3", details(TRANSIT, "fee")),
        ("人什么时候来", says("relayed", texts.RELAYED, "大约")),
    ],
    "once the officer has it, the officer answers": [
        ("找人工", in_queue(1)),
        officer("claim"),
        ("老年卡怎么办", NOTHING),
    ],
    "not a request for a person": [
        ("我爸瘫在床上，他的社保卡我去帮他办行不行", details("social-security-card-apply", "proxy")),
        ("问下那个补贴的事儿", says("clarify", "补贴")),
    ],
    "a question announced is asked for; the second miss offers a person": [
        ("我想问个事", miss(texts.NEED_TOPIC)),
        ("asdf", says("offer_person", texts.OFFER_PERSON)),
    ],
    "words that are not questions": [
        ("您好", says("smalltalk", texts.SMALLTALK["hello"])),
        ("哈哈哈", miss()),
        ("身份证到期了怎么换", answers(ID_CARD)),
        ("知道了", says("smalltalk", texts.SMALLTALK["ok"])),
        ("好的谢谢", says("goodbye", texts.SMALLTALK["bye"])),
    ],
}

NOBODY_ON_DUTY = {
    "a number typed straight after the offer": [
        ("找人工", offers_callback()),
        ("打这个 186 1234 5678", says("callback", "已经登记", "18612345678")),
    ],
    "a wrong number, then a right one in words": [
        ("找人工", offers_callback()),
        ("好，请给我回电话", "1", says("callback", texts.CALLBACK_ASK_PHONE)),
        ("1591234", says("callback", "手机号是11位，这里是7位")),
        ("号码是幺五九一二三四五六七八", says("callback", "已经登记", "15912345678")),
    ],
    "a landline with its area code": [
        ("找人工", offers_callback()),
        ("1", says("callback", texts.CALLBACK_ASK_PHONE)),
        ("座机，０２１－６４３２ １０９８", says("callback", "已经登记", "02164321098")),
    ],
}


@pytest.mark.parametrize("steps", WITH_AN_OFFICER_ON_DUTY.values(), ids=WITH_AN_OFFICER_ON_DUTY.keys())
def test_with_an_officer_on_duty(chat, on_duty, steps):
    run_transcript(chat, steps, on_duty)


@pytest.mark.parametrize("steps", NOBODY_ON_DUTY.values(), ids=NOBODY_ON_DUTY.keys())
def test_with_nobody_on_duty(chat, steps):
    run_transcript(chat, steps)


OFFERED = [("今天天气怎么样", says("out_of_scope")), ("嗯嗯", says("offer_person", texts.OFFER_PERSON))]


@pytest.mark.parametrize("yes", ["好", "好的", "行", "可以", "是的"])
def test_a_person_offered_and_accepted_in_a_word(chat, on_duty, yes):
    run_transcript(chat, [*OFFERED, (yes, in_queue(1, reason="two_misses"))], on_duty)


@pytest.mark.parametrize("no", ["不用", "不用了", "不要"])
def test_a_person_offered_and_declined_in_a_word(chat, on_duty, no):
    run_transcript(chat, [*OFFERED, (no, says("miss", texts.RETRY))], on_duty)


def test_after_an_answer_while_waiting_the_queue_line_brings_back_its_key(chat, on_duty):
    run_transcript(chat, [
        ("找人工", in_queue(1)),
        ("老年卡怎么办", answers(TRANSIT)),
        ("人怎么还没来", says("relayed", texts.RELAYED)),
        ("9", says("left", texts.LEFT)),  # the queue line's own key, not the answer's old menu
    ], on_duty)
