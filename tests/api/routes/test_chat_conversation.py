"""Issue 16 through the web chat API: what a citizen does, and what the page gets back.

Each test is a short dialogue sent to POST /api/conversations/{id}/messages, as the page sends it (a tap is the
choice's key, perhaps with the button's words; a key alone acts as the tap)."""

from __future__ import annotations

import pytest

from assistant import texts
from assistant.store.models import CaseEvent


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



# --- words that are not questions ---

@pytest.mark.parametrize("text", ["没事了，谢谢", "好的谢谢", "再见", "行，谢谢您", "那就这样吧，拜拜", "没有别的事了",
                                  "就这些，谢谢啦", "不用了，谢谢", "好嘞，再见"])
def test_a_farewell_is_a_goodbye(say, text):
    say("身份证丢了怎么补")
    reply = last(say(text))
    assert reply["kind"] == "goodbye"
    assert reply["text"] == texts.SMALLTALK["bye"]


@pytest.mark.parametrize(("text", "kind"), [
    ("谢谢", "thanks"), ("谢谢你啊", "thanks"), ("辛苦了", "thanks"), ("太感谢了", "thanks"),
    ("你好", "hello"), ("您好，在吗", "hello"), ("早上好", "hello"), ("有人在吗", "hello"),
    ("好的", "ok"), ("知道了", "ok"), ("OK", "ok"), ("嗯，明白了", "ok"),
])
def test_thanks_hello_and_okay_get_short_kind_replies(say, text, kind):
    reply = last(say(text))
    assert (reply["kind"], reply["text"]) == ("smalltalk", texts.SMALLTALK[kind])


@pytest.mark.parametrize("text", ["asdfgh", "哈哈哈哈", "阿巴阿巴", "qwerty uiop", "zzz", "啦啦啦", "嘻嘻"])
def test_nonsense_is_not_understood_with_a_hint_and_a_person(say, text):
    reply = last(say(text))
    assert reply["kind"] == "miss"
    assert "没听明白" in reply["text"] and "比如" in reply["text"]
    assert "不在我们的办事指南里" not in reply["text"]
    assert [c["label"] for c in reply["choices"]] == [texts.HUMAN_LABEL]


@pytest.mark.parametrize("text", ["我家冰箱坏了找谁修", "洗衣机不转了咋办", "空调不制冷了，找哪个修", "电视机打不开了",
                                  "热水器不出热水了谁管"])
def test_a_broken_appliance_goes_to_the_makers_after_sales(say, text):
    reply = last(say(text))
    assert reply["kind"] == "out_of_scope"
    assert "厂家售后" in reply["text"]


@pytest.mark.parametrize("text", ["帮我订一张去上海的机票", "附近哪家饭馆好吃", "帮我买两斤猪肉"])
def test_other_requests_outside_the_guides_say_where_to_go(say, text):
    reply = last(say(text))
    assert reply["kind"] == "out_of_scope"
    assert "12345" in reply["text"]


# --- a person when asked, and a way back ---

def _events(runtime, case_id: int) -> list[str]:
    with runtime.sessions() as session:
        return [e.kind for e in session.query(CaseEvent).filter_by(case_id=case_id).order_by(CaseEvent.id)]


@pytest.mark.parametrize("words", ["不要人工了", "那先不等了", "算了，不排了", "我不想等了", "取消排队",
                                   "不用找工作人员了", "别等了，我自己去窗口问"])
def test_leaving_the_queue_in_words_cancels_the_case(say, officer_of, runtime, words):
    officer_of()
    queued = say("我要找人工")
    case_id = queued["case"]["case_id"]
    left = say(words)
    assert last(left)["kind"] == "left"
    assert left["case"] is None
    assert _events(runtime, case_id)[-1] == "left"
    assert last(say("身份证到期了咋换"))["kind"] == "answer"  # the assistant answers again, no queue line


def test_leaving_the_queue_by_its_button(say, officer_of, runtime):
    officer_of()
    queued = say("找人工", choice="0")
    leave = next(c for c in last(queued)["choices"] if c["label"] == texts.LEAVE_LABEL)
    left = say(leave["label"], choice=leave["key"])
    assert last(left)["kind"] == "left" and left["case"] is None
    assert _events(runtime, queued["case"]["case_id"])[-1] == "left"


@pytest.mark.parametrize("words", ["不要人工了", "不等了"])
def test_no_person_wanted_with_no_case_open_is_no_queue(say, words):
    reply = last(say(words))
    assert reply["kind"] == "smalltalk"
    assert say("在吗")["case"] is None
