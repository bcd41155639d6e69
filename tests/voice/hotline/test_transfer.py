"""Reaching a person: Dial to the duty phone or the carrier's queue with the caller's place told; when nobody is on
duty, or nobody picks up, a callback on the caller's own number that the officers see."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant import texts
from assistant.runtime import Runtime
from assistant.store import officers as officer_store
from assistant.store.models import Message, Officer
from tests.voice.hotline.conftest import BASE, TOKEN, Carrier, gather, verbs
from voice import prompts
from voice.hotline import phrases

DUTY_NUMBER = "+8600000000000"  # a sample, as in .env.sample
CALLBACK_MENU = "按1登记回电，按2不用。"


def _to_a_person(carrier: Carrier) -> None:
    carrier.call()
    carrier.say("身份证到期了怎么换")
    carrier.press("0")


@pytest.mark.parametrize("hotline_settings", [{"twilio_auth_token": TOKEN, "hotline_duty_number": DUTY_NUMBER}])
class TestWithADutyPhone:
    def test_the_caller_is_put_through_to_the_duty_number(self, carrier: Carrier, on_duty: Officer) -> None:
        _to_a_person(carrier)
        assert verbs(carrier.twiml) == ["Play", "Play", "Dial"]
        dial = carrier.twiml.find("Dial")
        assert dial.text == DUTY_NUMBER
        assert dial.attrib["action"].startswith(f"{BASE}/voice/twilio/dialled?conversation=")

    def test_after_the_talk_the_call_ends_politely(self, carrier: Carrier, on_duty: Officer, heard) -> None:
        _to_a_person(carrier)
        twiml = carrier.post(carrier.twiml.find("Dial").attrib["action"], DialCallStatus="completed")
        assert verbs(twiml) == ["Play", "Hangup"]
        assert heard(twiml) == [prompts.GOODBYE]

    def test_when_nobody_picks_up_a_callback_is_offered(self, carrier: Carrier, on_duty: Officer, heard) -> None:
        _to_a_person(carrier)
        twiml = carrier.post(carrier.twiml.find("Dial").attrib["action"], DialCallStatus="no-answer")
        assert heard(twiml)[0] == texts.PERSON_UNREACHABLE
        assert heard(twiml)[-1] == CALLBACK_MENU
        assert gather(twiml).attrib["numDigits"] == "1"
        assert verbs(carrier.press("1"))[-1] == "Hangup"


def test_in_the_queue_the_caller_hears_their_place_and_it_is_told_again(carrier: Carrier, on_duty: Officer,
                                                                        heard) -> None:
    _to_a_person(carrier)
    wait_url = carrier.twiml.find("Enqueue").attrib["waitUrl"]
    for _ in range(2):  # the carrier fetches the wait URL again after each round
        twiml = carrier.post(wait_url, QueuePosition="1", QueueTime="12")
        assert verbs(twiml) == ["Gather"] and gather(twiml).attrib["numDigits"] == "1"
        assert heard(twiml) == ["您排在第一位，大约1分钟内就会有人来。", prompts.WAIT_MORE, prompts.LEAVE_QUEUE]


def test_when_everyone_goes_off_duty_the_waiting_caller_is_offered_a_callback(carrier: Carrier, runtime: Runtime,
                                                                              on_duty: Officer, heard) -> None:
    _to_a_person(carrier)
    enqueue = carrier.twiml.find("Enqueue")
    with runtime.sessions() as session:
        officer_store.set_on_duty(session, officer=session.merge(on_duty), on_duty=False)
        session.commit()
    assert verbs(carrier.post(enqueue.attrib["waitUrl"]))[-1] == "Leave"
    twiml = carrier.post(enqueue.attrib["action"], QueueResult="leave")
    assert heard(twiml)[-1] == CALLBACK_MENU


def test_nobody_on_duty_press_1_and_the_officers_see_the_callback(carrier: Carrier, heard,
                                                                  officer_of: Callable[..., tuple[TestClient, Officer]]
                                                                  ) -> None:
    _to_a_person(carrier)
    offer = carrier.twiml
    assert "没有工作人员值班" in heard(offer)[0]
    assert heard(offer)[-1] == CALLBACK_MENU

    booked = carrier.press("1")
    assert verbs(booked) == ["Play", "Play", "Hangup"]
    assert "138，1234，5678" in heard(booked)[0]  # the number it will be, read back in groups

    staff, _ = officer_of(on_duty=False)
    [callback] = staff.get("/api/officer/callbacks").json()
    assert callback["status"] == "pending" and callback["phone"].endswith("5678")  # the caller's own number
    case = staff.get(f"/api/officer/cases/{callback['case_id']}").json()
    assert case["reason"] == "asked" and case["service_id"] == "id-card-renewal"


def test_nobody_on_duty_and_no_answer_to_the_offer_books_the_callers_own_number(carrier: Carrier, runtime,
                                                                                heard) -> None:
    """Silence is never the end of the call with nothing booked (tests/voice/hotline/test_callbacks.py: every step)."""
    _to_a_person(carrier)
    again = carrier.keep_silent()
    assert heard(again) == [texts.CALLBACK_ASK_AGAIN, CALLBACK_MENU]
    ended = carrier.keep_silent()
    assert verbs(ended)[-1] == "Hangup"
    assert heard(ended)[0].startswith("好的，已经登记了")


def test_the_callback_menu_is_read_as_keys_then_words() -> None:
    from assistant.dialogue import CALLBACK_CHOICES
    assert phrases.menu(CALLBACK_CHOICES) == CALLBACK_MENU


@pytest.mark.parametrize("key", ["1"])
def test_1_while_waiting_says_the_callers_words_for_leaving_and_leaves_the_queue(
        carrier: Carrier, runtime: Runtime, on_duty: Officer, key: str) -> None:
    """The engine answers "不要人工了" (ReplyKind "left" once the queue work lands); the carrier then follows the
    Enqueue action, which ends the call or offers a callback as the case now stands."""
    _to_a_person(carrier)
    enqueue = carrier.twiml.find("Enqueue")
    waiting = carrier.post(enqueue.attrib["waitUrl"], QueuePosition="1", QueueTime="30")
    left = carrier.post(gather(waiting).attrib["action"], Digits=key)
    assert verbs(left)[-1] == "Leave"
    with runtime.sessions() as session:
        said = [m.text for m in session.scalars(select(Message).where(Message.role == "citizen"))]
    assert said[-1] == prompts.LEAVE_WORDS
    after = carrier.post(enqueue.attrib["action"], QueueResult="leave")
    assert verbs(after)[-1] in ("Hangup", "Redirect")  # ended, or listening for the callback answer


def test_another_key_while_waiting_changes_nothing(carrier: Carrier, on_duty: Officer) -> None:
    _to_a_person(carrier)
    waiting = carrier.post(carrier.twiml.find("Enqueue").attrib["waitUrl"], QueuePosition="1", QueueTime="30")
    assert verbs(carrier.post(gather(waiting).attrib["action"], Digits="5")) == []
