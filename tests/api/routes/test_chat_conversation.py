"""Issue 16 through the web chat API: what a citizen does, and what the page gets back.

Each test is a short dialogue sent to POST /api/conversations/{id}/messages, as the page sends it (a tap is the
choice's key, perhaps with the button's words; a key alone acts as the tap)."""

from __future__ import annotations

import pytest

from assistant import texts
from assistant.store import callbacks as callback_store
from assistant.store.models import Case, CaseEvent


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


@pytest.mark.parametrize("text", ["帮我订一张去上海的机票", "附近哪家饭馆好吃", "帮我买两斤猪肉", "快递丢了找谁",
                                  "楼上邻居太吵了找谁管", "帮我叫个出租车", "孙子考大学填志愿咋弄"])
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


# --- while waiting ---

@pytest.fixture
def waiting(say, officer_of) -> dict:
    """A citizen who asked about a service, then for a person, with an officer on duty who has not taken it yet."""
    officer_of()
    say("身份证到期了怎么换")
    return say("我要找工作人员")


@pytest.mark.parametrize(("question", "service"), [
    ("老年人坐公交的卡怎么办", "senior-transit-card"), ("社保卡丢了怎么补", "social-security-card-replace"),
    ("领结婚证要带什么", "marriage-registration"),
])
def test_a_question_while_waiting_is_still_answered(say, waiting, matcher, question, service):
    body = say(question)
    answer = next(m for m in body["messages"] if m["role"] == "assistant")
    assert answer["text"].startswith(matcher.kb.guides[service].short_answer)
    assert body["case"]["status"] == "waiting"  # still in the queue


def test_the_officer_sees_the_question_and_the_assistants_answer(client, say, waiting, officer_of, matcher):
    staff, _ = officer_of(name="李静")
    say("办老年卡要带什么材料")
    case_id = waiting["case"]["case_id"]
    shown = staff.get(f"/api/officer/cases/{case_id}").json()
    texts_seen = [m["text"] for m in shown["messages"]]
    assert "办老年卡要带什么材料" in texts_seen
    assert any(t.startswith(matcher.kb.guides["senior-transit-card"].short_answer) for t in texts_seen)


@pytest.mark.parametrize(("key", "label", "detail"), [
    ("1", "要带什么材料", "materials"), ("2", "在哪办、几点", "where"), ("3", "要花钱吗", "fee")])
def test_an_old_button_keeps_its_own_meaning_while_waiting(say, waiting, runtime, matcher, key, label, detail):
    reply = last(say(label, choice=key))
    guide = matcher.kb.guides["id-card-renewal"]
    assert (reply["kind"], reply["text"]) == ("detail", runtime.assistant.dialogue.detail_text(guide, detail))


@pytest.mark.parametrize("words", ["人怎么还不来", "我再等等", "asdf"])
def test_words_for_the_officer_get_the_queue_line(say, waiting, words):
    reply = last(say(words))
    assert reply["kind"] == "relayed"
    assert "您排在第一位" in reply["text"]


@pytest.mark.parametrize("words", ["在吗", "您好", "谢谢"])
def test_small_talk_while_waiting_gets_the_queue_line(say, waiting, words):
    assert last(say(words))["kind"] == "relayed"


# --- callbacks as people give numbers ---

@pytest.fixture
def offered(say) -> dict:
    """Nobody on duty: the citizen asked for a person and was offered a callback."""
    body = say("我要找人工")
    assert last(body)["kind"] == "callback"
    return body


def _booked_numbers(runtime, case_id: int) -> list[str]:
    with runtime.sessions() as session:
        return [c.phone for c in callback_store.for_case(session, case_id=case_id)]


@pytest.mark.parametrize(("said", "number"), [
    ("号码是一五九一二三四五六七八", "15912345678"),
    ("打这个 186 1234 5678 就行", "18612345678"),
    ("幺三八，幺二三四，五六七八", "13812345678"),
    ("１３９－８７６５－４３２１", "13987654321"),
    ("我家座机 010-6512 3456", "01065123456"),
    ("（0571）8765 4321，白天有人接", "057187654321"),
    ("我的手机是177 0000 1111，麻烦了", "17700001111"),
])
def test_a_number_given_as_people_give_it_books_the_callback(say, offered, runtime, said, number):
    say("好，请给我回电话", choice="1")
    reply = last(say(said))
    assert reply["kind"] == "callback" and "已经登记" in reply["text"]
    assert _booked_numbers(runtime, offered["case"]["case_id"]) == [number]


@pytest.mark.parametrize(("said", "number"), [("15912345678", "15912345678"),
                                              ("回电话打 一三五 一二三四 五六七八", "13512345678")])
def test_a_number_typed_straight_after_the_offer_books_it(say, offered, runtime, said, number):
    reply = last(say(said))
    assert reply["kind"] == "callback" and "已经登记" in reply["text"]
    assert _booked_numbers(runtime, offered["case"]["case_id"]) == [number]


@pytest.mark.parametrize(("said", "problem"), [
    ("1381234", "手机号是11位，这里是7位"),
    ("138 1234 56789", "手机号是11位，这里是12位"),
    ("一二三四五六七八九零一", "手机号第二位是3到9"),
    ("010-651234", "座机号要连区号一起说"),
])
def test_a_wrong_number_says_what_is_wrong_with_an_example_unlike_it(say, offered, runtime, said, problem):
    say("1")
    reply = last(say(said))
    assert reply["kind"] == "callback" and problem in reply["text"]
    example = reply["text"].rsplit("比如", 1)[1].strip(" 。")
    assert example.replace("-", "") not in said.replace(" ", "").replace("-", "")
    assert _booked_numbers(runtime, offered["case"]["case_id"]) == []


def test_an_example_never_repeats_the_wrong_number_typed(say, offered):
    say("1")
    reply = last(say("138123456780"))  # one digit too many, and the rest is the usual example
    assert "13812345678" not in reply["text"].rsplit("比如", 1)[1]


def test_a_typed_callback_number_is_no_identity(say, offered, runtime):
    say("1")
    say("号码是 139 1111 2222")
    with runtime.sessions() as session:
        case = session.get(Case, offered["case"]["case_id"])
        assert case.summary["phone"] == "13911112222"  # for this case's callback
        assert case.conversation.citizen.phone is None  # and nothing more


# --- a person only when asked ---

@pytest.mark.parametrize(("text", "service"), [
    ("我爸瘫在床上，他的社保卡我去帮他办行不行", "social-security-card-apply"),
    ("我奶奶腿脚不好，老年卡我帮她去办行吗", "senior-transit-card"),
    ("老伴卧床起不来，她的社保卡丢了我去帮她补行吗", "social-security-card-replace"),
])
def test_doing_it_for_someone_is_a_proxy_question_not_a_request_for_a_person(say, runtime, matcher, text, service):
    body = say(text)
    assert body["case"] is None
    guide = matcher.kb.guides[service]
    assert last(body)["text"] == runtime.assistant.dialogue.detail_text(guide, "proxy")


@pytest.mark.parametrize("text", ["问下那个补贴的事儿", "问一下津贴的事", "想问问补助的事情", "那个补贴咋回事"])
def test_a_vague_topic_gets_a_clarifying_question_not_a_queue(say, officer_of, matcher, text):
    officer_of()
    body = say(text)
    assert body["case"] is None
    reply = last(body)
    assert reply["kind"] == "clarify"
    picks = [c for c in reply["choices"] if c["key"] != "0"]
    assert len(picks) >= 2
    words = ("补贴", "补助", "津贴", "救助")
    assert all(any(w in c["label"] for w in words) for c in picks), picks


def test_after_the_failure_cap_a_person_is_offered(say):
    say("阿巴阿巴")
    assert last(say("asdfgh"))["kind"] == "offer_person"


# --- answers that fit ---

@pytest.mark.parametrize("text", ["我老伴走了，后事怎么办", "我妈过世了，她的户口怎么注销", "我爸去世了，要办什么手续",
                                  "家里老人病故了，丧葬费去哪领"])
def test_a_bereavement_answer_begins_with_condolence(say, text):
    reply = next(m for m in say(text)["messages"] if m["role"] == "assistant")
    assert reply["kind"] in ("answer", "clarify")
    assert reply["text"].startswith(texts.CONDOLENCE)


def test_no_condolence_without_a_death(say):
    reply = next(m for m in say("身份证到期了怎么换")["messages"] if m["role"] == "assistant")
    assert not reply["text"].startswith(texts.CONDOLENCE)


@pytest.mark.parametrize("text", ["我是农村的，养老金怎么领", "我是农民，到60岁了养老金怎么领",
                                  "俺在村里种了一辈子地，老了能领养老金不", "我一直在家务农没上过班，养老金怎么办"])
def test_a_rural_residents_pension_is_the_resident_pension(say, matcher, text):
    reply = next(m for m in say(text)["messages"] if m["role"] == "assistant")
    assert reply["text"].startswith(matcher.kb.guides["resident-pension-enroll"].short_answer)


@pytest.mark.parametrize("text", ["社保卡用不了了", "社保卡刷不了了", "我的社保卡突然不能用了", "社保卡坏了怎么办",
                                  "社保卡插进去没反应", "社保卡被锁了"])
def test_a_card_that_stopped_working_is_a_card_problem(say, matcher, text):
    reply = next(m for m in say(text)["messages"] if m["role"] == "assistant")
    first_card = matcher.kb.guides["social-security-card-apply"]
    assert not reply["text"].startswith(first_card.short_answer)
    if reply["kind"] == "clarify":
        assert first_card.title not in [c["label"] for c in reply["choices"]]
    else:
        assert "社保卡" in reply["text"]


@pytest.mark.parametrize("text", ["我想问个事", "我妈的事我来问问", "有个事想咨询一下"])
def test_a_question_announced_is_asked_for_not_queued(say, officer_of, text):
    officer_of()
    body = say(text)
    assert body["case"] is None
    assert last(body)["kind"] in ("miss", "clarify", "out_of_scope")


@pytest.mark.parametrize("text", ["找人工", "我要跟工作人员说", "机器说不明白，换个人说", "转人工"])
def test_asking_for_a_person_still_hands_over(say, officer_of, text):
    officer_of()
    assert say(text)["case"]["status"] == "waiting"


@pytest.mark.parametrize("key", ["4", "7"])
def test_a_key_not_on_offer_while_waiting_names_the_way_out(say, officer_of, key):
    officer_of()
    say("我要找人工")
    reply = last(say("", choice=key))
    assert f"“{key}”" in reply["text"] and texts.LEAVE_LABEL in reply["text"]
    assert [c["label"] for c in reply["choices"]] == [texts.LEAVE_LABEL]


@pytest.mark.parametrize("text", ["那要带啥?", "要多少钱", "在哪办"])
def test_a_follow_up_with_nothing_to_follow_asks_what_it_is_about(say, text):
    assert last(say(text))["text"] == texts.NEED_TOPIC
