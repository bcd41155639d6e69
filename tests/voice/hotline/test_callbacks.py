"""A callback on the phone, nobody on duty: the number by keypad or by voice (幺三八…), read back with 按1确认，按2重输;
silence, 0 and mumbling answered at every step; a caller leaves with a callback booked unless they say no."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant import texts
from assistant.runtime import Runtime
from assistant.store.models import Callback, Case
from tests.voice.hotline.conftest import Carrier, gather, verbs
from voice import prompts

WITHHELD = "anonymous"


@pytest.fixture
def withheld(carrier: Carrier) -> Carrier:
    """A caller whose number the carrier does not give: the number must be asked for."""
    carrier.form["From"] = WITHHELD
    return carrier


def _offered(carrier: Carrier, heard) -> None:
    carrier.call()
    offer = carrier.say("人工")
    assert "没有工作人员值班" in heard(offer)[0] and heard(offer)[-1] == "按1登记回电，按2不用。"


def _asked_for_number(carrier: Carrier, heard) -> None:
    _offered(carrier, heard)
    asked = carrier.press("1")
    assert heard(asked) == [texts.CALLBACK_ASK_PHONE, prompts.ENTER_NUMBER]
    assert "numDigits" not in gather(asked).attrib  # digits until #, not one key


def _callbacks(runtime: Runtime) -> list[str]:
    with runtime.sessions() as session:
        return [c.phone for c in session.scalars(select(Callback))]


def _read_back_menu(twiml, heard) -> str:
    words = heard(twiml)
    assert words[-1] == "按1确认，按2重输。", words
    return words[0]


def test_a_number_typed_is_read_back_then_booked_with_1(withheld: Carrier, runtime: Runtime, heard) -> None:
    _asked_for_number(withheld, heard)
    read_back = withheld.press("13812345678")
    assert _read_back_menu(read_back, heard) == "您的号码是138，1234，5678，对吗？"
    booked = withheld.press("1")
    assert verbs(booked)[-1] == "Hangup"
    assert "已经登记" in heard(booked)[0]
    assert _callbacks(runtime) == ["13812345678"]


@pytest.mark.parametrize(("said", "number"), [
    ("幺三八一二三四五六七八", "13812345678"),
    ("我的号码是 幺三九 两两两三 三三四四", "13922233344"),
    ("一五零 零零零一 幺幺幺幺", "15000011111"),
    ("零七五五 八八六六 一二三四", "075588661234"),
])
def test_a_number_said_aloud_is_understood_read_back_and_booked(withheld: Carrier, runtime: Runtime, heard,
                                                                said: str, number: str) -> None:
    """The issue: a number said aloud was 转给工作人员 and the call hung up with no callback row."""
    _asked_for_number(withheld, heard)
    read_back = withheld.say(said)
    assert _read_back_menu(read_back, heard).replace("，", "").startswith(f"您的号码是{number}")
    withheld.say("对")
    assert _callbacks(runtime) == [number]


def test_2_at_the_read_back_asks_again_and_the_new_number_is_booked(withheld: Carrier, runtime: Runtime,
                                                                   heard) -> None:
    _asked_for_number(withheld, heard)
    withheld.press("13812345678")
    again = withheld.press("2")
    assert heard(again) == [texts.CALLBACK_ASK_PHONE, prompts.ENTER_NUMBER]
    _read_back_menu(withheld.press("13900001111"), heard)
    withheld.press("1")
    assert _callbacks(runtime) == ["13900001111"]


@pytest.mark.parametrize("mumble", ["嗯……", "那个那个", "你说什么"])
def test_mumbling_at_the_offer_asks_again_then_goes_on_to_the_number(withheld: Carrier, heard,
                                                                     mumble: str) -> None:
    _offered(withheld, heard)
    again = withheld.say(mumble)
    assert verbs(again) == ["Gather", "Redirect"]
    assert heard(again) == [texts.CALLBACK_ASK_AGAIN, "按1登记回电，按2不用。"]
    number = withheld.say(mumble)
    assert heard(number) == [texts.CALLBACK_ASK_PHONE, prompts.ENTER_NUMBER]


def test_a_caller_the_carrier_named_is_booked_after_two_silences_at_the_offer(carrier: Carrier, runtime: Runtime,
                                                                            heard) -> None:
    _offered(carrier, heard)
    assert "Gather" in verbs(carrier.keep_silent())
    booked = carrier.keep_silent()
    assert verbs(booked)[-1] == "Hangup" and "已经登记" in heard(booked)[0]
    assert _callbacks(runtime) == ["13812345678"]


def test_0_at_the_offer_says_nobody_is_on_duty_and_keeps_the_offer(withheld: Carrier, runtime: Runtime,
                                                                  heard) -> None:
    """The issue: 0 at the offer hung up."""
    _offered(withheld, heard)
    again = withheld.press("0")
    assert verbs(again) == ["Gather", "Redirect"]
    assert heard(again)[0] == texts.NOBODY_ON_DUTY + texts.CALLBACK_WANTED  # asked, not "没听清"
    assert heard(again)[-1] == "按1登记回电，按2不用。"


def test_silence_while_the_number_is_asked_asks_for_the_number_again(withheld: Carrier, heard) -> None:
    """The issue: silence during number entry got 再说一遍想办什么事."""
    _asked_for_number(withheld, heard)
    again = withheld.keep_silent()
    assert heard(again) == [texts.CALLBACK_NO_NUMBER, prompts.ENTER_NUMBER]
    assert all("想办什么事" not in words for words in heard(again))


def test_0_while_the_number_is_asked_says_why_and_asks_again(withheld: Carrier, heard) -> None:
    _asked_for_number(withheld, heard)
    again = withheld.press("0")
    assert heard(again)[0].startswith(texts.NOBODY_ON_DUTY) and heard(again)[-1] == prompts.ENTER_NUMBER


def test_silence_at_the_read_back_reads_it_again_then_books_it(withheld: Carrier, runtime: Runtime, heard) -> None:
    _asked_for_number(withheld, heard)
    withheld.press("13812345678")
    _read_back_menu(withheld.keep_silent(), heard)
    assert verbs(withheld.keep_silent())[-1] == "Hangup"
    assert _callbacks(runtime) == ["13812345678"]


@pytest.mark.parametrize("no", ["2", "不用了", "不要回电话"])
def test_saying_no_ends_the_call_kindly_with_the_case_kept(withheld: Carrier, runtime: Runtime, heard,
                                                          no: str) -> None:
    _offered(withheld, heard)
    ended = withheld.press(no) if no.isdigit() else withheld.say(no)
    assert verbs(ended)[-1] == "Hangup" and heard(ended)[0] == texts.CALLBACK_DECLINED
    assert _callbacks(runtime) == []
    with runtime.sessions() as session:
        assert session.scalars(select(Case)).one().status == "waiting"


def test_two_silences_in_number_entry_end_the_call_saying_the_case_is_kept(withheld: Carrier, runtime: Runtime,
                                                                         heard) -> None:
    """The one way out without a callback besides no: a caller who gives no number at all."""
    _asked_for_number(withheld, heard)
    withheld.keep_silent()
    ended = withheld.keep_silent()
    assert verbs(ended)[-1] == "Hangup" and heard(ended)[0] == texts.CALLBACK_NOT_BOOKED
