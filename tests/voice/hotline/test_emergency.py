"""An emergency on the phone, call by call through the TwiML webhooks: the advice and the number first; gas: hang up
and call 119 from outside; otherwise a person at once, the duty phone, or the number again and a kind goodbye. Never
"请不要挂机" for gas, never a callback hours later, never "一上班就会看到"."""

from __future__ import annotations

import pytest

from assistant import texts
from assistant.runtime import Runtime
from assistant.store import cases as case_store
from assistant.store.models import Officer
from tests.voice.hotline.conftest import TOKEN, Carrier, gather, verbs
from voice import prompts

DUTY_NUMBER = "+8657100000000"
GAS = ["家里煤气味好大", "厨房里天然气漏了，嘶嘶响", "一进门就闻到好冲的燃气味", "液化气罐漏气了",
       "我闻着好像是煤气泄露了"]
OTHERS = [  # (said, the number said first)
    ("老伴突然晕倒了，叫不醒", "120"), ("我胸口疼得厉害，喘不上气", "120"), ("厨房着火了，火好大", "119"),
    ("我被关在电梯里出不来了", "96333"), ("有人让我马上把钱转到安全账户", "110"), ("我不想活了", "12356"),
    ("有人在撬我家的门", "110"), ("我妈出门买菜到现在找不着了", "110"),
]
NEVER = ("一上班", "回电", "现在没有工作人员值班")


def _words(heard, twiml) -> str:
    return "".join(heard(twiml))


def _urgent_case(runtime: Runtime, carrier: Carrier):
    with runtime.sessions() as session:
        cases = case_store.listed(session, status="open")
        assert len(cases) == 1 and cases[0].priority >= 10 and cases[0].reason == "emergency"
        return cases[0]


@pytest.mark.parametrize("said", GAS)
def test_gas_the_caller_is_told_to_hang_up_and_call_119_from_outside(carrier: Carrier, runtime: Runtime,
                                                                      on_duty: Officer, heard, said: str) -> None:
    carrier.call()
    twiml = carrier.say(said)
    words = heard(twiml)
    assert verbs(twiml)[-1] == "Hangup" and "Enqueue" not in verbs(twiml) and "Dial" not in verbs(twiml)
    assert words[0] == texts.EMERGENCY_ADVICE["gas"]
    assert "请挂断，到屋外拨打119" in words[1]
    assert "请不要挂机" not in "".join(words) and prompts.TRANSFER not in words
    assert _urgent_case(runtime, carrier).summary["emergency"] == "gas"


@pytest.mark.parametrize("hotline_settings", [{"twilio_auth_token": TOKEN, "neural_voice_enabled": False,
                                               "gas_emergency_phone": "0571-96777"}])
def test_gas_the_office_gas_line_comes_after_119(carrier: Carrier, heard) -> None:
    carrier.call()
    words = _words(heard, carrier.say("屋里一股煤气味"))
    assert "请挂断，到屋外拨打119" in words and words.index("119") < words.index("0571-96777")


@pytest.mark.parametrize("hotline_settings", [{"twilio_auth_token": TOKEN, "neural_voice_enabled": False,
                                               "gas_emergency_phone": "示例96777"}])
def test_a_sample_gas_line_is_never_said(carrier: Carrier, heard) -> None:
    carrier.call()
    assert "96777" not in _words(heard, carrier.say("屋里一股煤气味"))


@pytest.mark.parametrize(("said", "number"), OTHERS)
def test_with_someone_on_duty_the_caller_is_put_through_at_once(carrier: Carrier, on_duty: Officer, heard,
                                                                 said: str, number: str) -> None:
    carrier.call()
    twiml = carrier.say(said)
    words = heard(twiml)
    assert verbs(twiml)[-1] == "Enqueue"
    assert words[1] == texts.CALL_TRANSFER.format(number=number) and number in words[0]
    assert not any(never in "".join(words) for never in NEVER)


def test_waiting_in_the_queue_an_emergency_is_not_told_to_wait_its_turn(carrier: Carrier, on_duty: Officer,
                                                                        heard) -> None:
    carrier.call()
    enqueue = carrier.say("我老伴摔倒了，头上流了好多血").find("Enqueue")
    words = _words(heard, carrier.post(enqueue.attrib["waitUrl"]))
    assert "排在最前面" in words and texts.WAIT_URGENT in words and "按顺序" not in words
    assert texts.CALL_WAITING_NUMBER.format(number="120") in words  # the number, each round


@pytest.mark.parametrize(("said", "number"), OTHERS)
def test_nobody_on_duty_the_number_is_said_and_offered_again(carrier: Carrier, runtime: Runtime, heard,
                                                              said: str, number: str) -> None:
    carrier.call()
    twiml = carrier.say(said)
    words = heard(twiml)
    assert words[1] == (texts.CALL_CRISIS_NOW if number == "12356" else texts.CALL_NUMBER_NOW.format(number=number))
    assert number in words[1] and gather(twiml).attrib["numDigits"] == "1"
    assert not any(never in "".join(words) for never in NEVER)
    again = carrier.press("1")
    assert heard(again)[:2] == words[:2]  # the advice and the number, again
    _urgent_case(runtime, carrier)


def test_nobody_on_duty_silence_repeats_the_advice_then_ends_kindly(carrier: Carrier, heard) -> None:
    carrier.call()
    first = heard(carrier.say("我爸突然嘴歪了，说话说不清楚"))
    repeated = carrier.keep_silent()
    assert heard(repeated)[:2] == first[:2] and verbs(repeated)[0] == "Gather"
    ended = carrier.keep_silent()
    words = heard(ended)
    assert verbs(ended)[-1] == "Hangup"
    assert words == [texts.CALL_FAREWELL.format(number="120")]  # its own kind words, not "祝您生活顺心"
    assert not any(never in "".join(words) for never in NEVER)


@pytest.mark.parametrize("hotline_settings", [{"twilio_auth_token": TOKEN, "neural_voice_enabled": False,
                                               "hotline_duty_number": DUTY_NUMBER}])
class TestNobodyOnDutyWithADutyPhone:
    @pytest.mark.parametrize(("said", "number"), OTHERS[:4])
    def test_the_caller_is_put_through_to_the_duty_phone(self, carrier: Carrier, heard, said: str,
                                                         number: str) -> None:
        carrier.call()
        twiml = carrier.say(said)
        assert verbs(twiml)[-1] == "Dial" and twiml.find("Dial").text == DUTY_NUMBER
        assert heard(twiml)[1] == texts.CALL_TO_DUTY_PHONE.format(number=number)

    def test_unanswered_the_number_is_said_once_more_and_the_call_ends(self, carrier: Carrier, heard) -> None:
        carrier.call()
        dial = carrier.say("有人拿着刀砸我家门").find("Dial")
        twiml = carrier.post(dial.attrib["action"], DialCallStatus="no-answer")
        words = heard(twiml)
        assert verbs(twiml)[-1] == "Hangup"
        assert words == [texts.CALL_DUTY_UNANSWERED + texts.CALL_FAREWELL.format(number="110")]

    def test_gas_still_hangs_up_rather_than_transfer(self, carrier: Carrier, heard) -> None:
        carrier.call()
        twiml = carrier.say("煤气漏了")
        assert verbs(twiml)[-1] == "Hangup" and "请挂断，到屋外拨打119" in _words(heard, twiml)


@pytest.mark.parametrize("said", ["我去年中过一次风，想申请居家养老服务", "以前家里失过火，户口本烧了怎么补",
                                  "前年发大水把家冲了，现在还能申请补助吗"])
def test_a_past_event_on_the_phone_is_a_service_question(carrier: Carrier, heard, said: str) -> None:
    carrier.call()
    twiml = carrier.say(said)
    words = heard(twiml)
    assert verbs(twiml)[0] == "Gather"  # still listening: no emergency step
    assert not any(advice in "".join(words) for advice in texts.EMERGENCY_ADVICE.values())


def test_nobody_on_duty_a_second_emergency_said_gets_the_phone_step_again(carrier: Carrier, heard) -> None:
    carrier.call()
    carrier.say("我爸胸口疼")
    twiml = carrier.say("他现在不喘气了，叫也叫不醒")
    words = heard(twiml)
    assert words[0] == texts.EMERGENCY_ADVICE["medical"]
    assert words[1] == texts.CALL_NUMBER_NOW.format(number="120") and verbs(twiml)[0] == "Gather"
    assert not any(never in "".join(words) for never in NEVER) and prompts.GOODBYE not in words


@pytest.mark.parametrize("said", ["我不想活了", "活着太累了，想一了百了", "我想从楼上跳下去"])
def test_a_person_in_crisis_is_spoken_to_kindly_and_never_told_to_hang_up(carrier: Carrier, heard, said: str) -> None:
    carrier.call()
    words = heard(carrier.say(said))
    assert words[1] == texts.CALL_CRISIS_NOW and "挂断" not in "".join(words)
    carrier.keep_silent()
    ended = heard(carrier.keep_silent())
    assert ended == [texts.CALL_CRISIS_FAREWELL] and "挂断" not in ended[0]
