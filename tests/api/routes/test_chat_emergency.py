"""Emergencies through the web chat API, in words of callers' own (none of them from the eval set): the advice with
the number to call comes first, marked priority; the case goes ahead of every other. A service question that only
mentions a past event is answered as the service question it is."""

from __future__ import annotations

import pytest

from assistant import texts

KINDS = {  # said -> the number the advice must give
    "119": ["我家客厅着火了，烟好大", "楼上有人家起火了，火苗窜出窗户", "俺家灶台上的锅烧起来了",
            "仓库那边冒黑烟着大火"],
    "120": ["老伴刚才一下子栽倒了，喊他没反应", "我爸胸口疼得直冒冷汗", "我心口疼得厉害，快撑不住了",
            "孩子吃花生噎住了，喘不上气", "我妈在厨房摔了一跤，起不来了，头还出血了"],
    "96333": ["我跟外孙被关在电梯里了，出不去", "电梯卡在半截不动了，我在里面", "救命，我们困在电梯里了"],
    "96110": ["有个警察打视频电话，让我把存款转到安全账户", "对方叫我马上往他卡上打钱，说是我孙子"],
    "12356": ["我真的不想活了，什么都没意思", "活够了，今晚就想从楼上跳下去"],
}
GAS = ["屋里煤气味特别大，熏得头疼", "厨房天然气漏了，一股臭味", "楼道里全是液化气的味道"]
PAST = [
    ("我妈去年中过风，现在想给她申请高龄津贴", "senior-allowance"),
    ("前年家里着过一次火，房产证烧了，怎么补办", "property-registration"),
    ("以前被电信诈骗过，现在想去举报那个骗子", "fraud-report"),
    ("好几年前摔断过腿，现在能不能申请残疾人证", "disability-certificate"),
]


def _first(body: dict) -> dict:
    replies = [m for m in body["messages"] if m["role"] == "assistant"]
    return replies[0]


@pytest.mark.parametrize(("number", "said"), [(n, s) for n, phrasings in KINDS.items() for s in phrasings])
def test_the_advice_with_its_number_comes_first(say, officer_of, number, said):
    officer_of()
    body = say(said)
    first = _first(body)
    assert first["kind"] == "emergency" and first["priority"] is True
    assert number in first["text"], first["text"]
    assert body["case"]["status"] == "waiting" and body["case"]["position"] == 1


@pytest.mark.parametrize("said", GAS)
def test_gas_leave_no_switches_or_flames_then_119(say, said):
    first = _first(say(said))
    assert first["kind"] == "emergency"
    assert all(word in first["text"] for word in ("别开灯", "别点火", "开窗", "出门", "119")), first["text"]


def test_an_emergency_goes_ahead_of_the_queue_and_is_never_told_to_wait_its_turn(client, say, officer_of):
    officer_of()
    for _ in range(3):
        other = client.post("/api/conversations", json={}).json()["id"]
        client.post(f"/api/conversations/{other}/messages", json={"text": "找人工", "choice": "0"})
    body = say("邻居家窗户往外冒火了")
    told = "".join(m["text"] for m in body["messages"])
    assert body["case"]["position"] == 1
    assert "优先" in told and "按顺序" not in told


@pytest.mark.parametrize(("said", "service"), PAST)
def test_a_past_event_is_a_service_question(say, said, service):
    body = say(said)
    kinds = [m["kind"] for m in body["messages"] if m["role"] == "assistant"]
    assert "emergency" not in kinds and body["case"] is None
    assert kinds[-1] in ("answer", "clarify", "detail"), kinds


def test_nobody_on_duty_an_emergency_is_told_to_call_now(say):
    body = say("我老伴喘不上气了，嘴唇都紫了")
    assert _first(body)["kind"] == "emergency"
    assert body["messages"][-1]["text"] == texts.EMERGENCY_NOBODY_ON_DUTY
    assert all(m["kind"] != "callback" for m in body["messages"])
