"""A signed webhook sent again (the carrier retrying after a timeout, or someone replaying a captured request) is
processed once: each answer's action URLs carry the call's next step, inside what the carrier signs, and a
(CallSid, route, step) already answered gets the same TwiML again without the engine running a second time."""

from __future__ import annotations

import datetime as dt
import threading
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, update

from assistant import texts
from assistant.runtime import Runtime
from assistant.store.models import Case, Conversation, Message, Officer, Replay
from tests.utils.server import running
from tests.voice.hotline.conftest import TOKEN, Carrier, gather, sign
from tests.voice.hotline.test_transfer import DUTY_NUMBER

QUESTION = "身份证到期了怎么换"


def count(runtime: Runtime, model: type, *where: object) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def citizen_said(runtime: Runtime, text: str) -> int:
    return count(runtime, Message, Message.role == "citizen", Message.text == text)


def step_of(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["step"][0])


def test_each_answer_names_the_next_step_of_the_call(carrier: Carrier) -> None:
    greeting = carrier.call()
    assert step_of(gather(greeting).attrib["action"]) == 1
    assert step_of(greeting.find("Redirect").text) == 1
    answer = carrier.say(QUESTION)
    assert step_of(gather(answer).attrib["action"]) == 2


def test_a_signed_answer_sent_twice_is_heard_once_and_answered_the_same(carrier: Carrier, runtime: Runtime) -> None:
    carrier.call()
    carrier.say(QUESTION)
    first = ET.tostring(carrier.twiml)

    again = carrier.replay()

    assert ET.tostring(ET.fromstring(again)) == first
    assert citizen_said(runtime, QUESTION) == 1


def test_a_replayed_start_of_a_call_opens_one_conversation(carrier: Carrier, runtime: Runtime) -> None:
    first = ET.tostring(carrier.call())
    assert ET.tostring(ET.fromstring(carrier.replay())) == first
    assert count(runtime, Conversation) == 1


def test_a_replayed_request_for_a_person_opens_one_case_and_queues_once(carrier: Carrier, runtime: Runtime,
                                                                        on_duty: Officer) -> None:
    carrier.call()
    carrier.say("人工")
    first = ET.tostring(carrier.twiml)
    for _ in range(3):
        assert ET.tostring(ET.fromstring(carrier.replay())) == first
    assert count(runtime, Case) == 1
    assert citizen_said(runtime, "人工") == 1


def test_the_same_words_at_the_next_step_are_heard_again(carrier: Carrier, runtime: Runtime) -> None:
    """Not a replay: the caller said it twice, at two steps of the call."""
    carrier.call()
    carrier.say("嗯嗯")
    carrier.say("嗯嗯")
    assert citizen_said(runtime, "嗯嗯") == 2


def test_the_step_cannot_be_changed_by_whoever_replays_it(carrier: Carrier, client: TestClient,
                                                          runtime: Runtime) -> None:
    carrier.call()
    carrier.say(QUESTION)
    url, form, signature = carrier.sent
    bumped = url.replace("step=1", "step=9")
    assert client.post(bumped, data=form, headers={"X-Twilio-Signature": signature}).status_code == 403
    assert citizen_said(runtime, QUESTION) == 1


def test_an_action_url_without_its_step_is_refused(carrier: Carrier, client: TestClient) -> None:
    carrier.call()
    url = gather(carrier.twiml).attrib["action"].split("&step=")[0]
    form = {**carrier.form, "SpeechResult": QUESTION}
    assert client.post(url, data=form, headers={"X-Twilio-Signature": sign(url, form)}).status_code == 422


def test_a_replay_of_an_old_call_is_refused_even_once_its_record_is_forgotten(carrier: Carrier, client: TestClient,
                                                                              runtime: Runtime) -> None:
    carrier.call()
    carrier.say(QUESTION)
    with runtime.sessions() as session:  # days later: the records are gone, the conversation is old
        session.execute(delete(Replay))
        session.execute(update(Conversation).values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=5)))
        session.commit()
    url, form, signature = carrier.sent
    assert client.post(url, data=form, headers={"X-Twilio-Signature": signature}).status_code == 404
    assert citizen_said(runtime, QUESTION) == 1


@pytest.mark.parametrize("hotline_settings", [{"twilio_auth_token": TOKEN, "hotline_duty_number": DUTY_NUMBER}])
def test_a_replayed_unanswered_transfer_offers_the_callback_once(carrier: Carrier, runtime: Runtime,
                                                                 on_duty: Officer) -> None:
    carrier.call()
    carrier.press("0")
    first = ET.tostring(carrier.post(carrier.twiml.find("Dial").attrib["action"], DialCallStatus="no-answer"))
    assert ET.tostring(ET.fromstring(carrier.replay())) == first
    assert count(runtime, Message, Message.text == texts.PERSON_UNREACHABLE) == 1


def test_a_replayed_status_callback_answers_the_same(carrier: Carrier) -> None:
    carrier.call()
    first = ET.tostring(carrier.hang_up())
    assert ET.tostring(ET.fromstring(carrier.replay())) == first


def test_the_same_signed_answer_sent_several_times_at_once_is_heard_once(app: FastAPI, carrier: Carrier,
                                                                         runtime: Runtime) -> None:
    """On a real server, several connections at the same moment (a retry storm, or a replay racing the original)."""
    carrier.call()
    action = gather(carrier.twiml).attrib["action"]
    form = {**carrier.form, "SpeechResult": QUESTION}
    start, answers = threading.Barrier(4), []
    with running(app) as base:
        address = action.replace("http://testserver", base)
        signature = sign(address, form)

        def send() -> None:
            with httpx.Client(timeout=30) as http:
                start.wait()
                answers.append(http.post(address, data=form, headers={"X-Twilio-Signature": signature}))

        threads = [threading.Thread(target=send) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=40)
    assert [a.status_code for a in answers] == [200] * 4
    assert len({a.text for a in answers}) == 1
    assert citizen_said(runtime, QUESTION) == 1
