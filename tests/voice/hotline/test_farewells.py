"""Thanks and goodbyes on the phone: a thanks is answered and the call goes on if the caller has more, and ends
kindly when they are quiet; a goodbye ends the call with one farewell."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from assistant.engine import Turn
from assistant.messages import Reply
from assistant.runtime import Runtime
from assistant.store.models import Case, Conversation
from tests.voice.hotline.conftest import Carrier, verbs
from voice import prompts
from voice.hotline.calls import CallFlow, Hotline, Links


@pytest.mark.parametrize("thanks", ["谢谢", "谢谢您", "多谢", "谢谢你"])
def test_quiet_after_thanks_ends_the_call_kindly_and_calls_no_person(carrier: Carrier, runtime: Runtime, heard,
                                                                    thanks: str) -> None:
    carrier.call()
    carrier.say("身份证到期了怎么换")
    answered = carrier.say(thanks)
    assert heard(answered) == [prompts.THANKS] and "Gather" in verbs(answered)
    ended = carrier.keep_silent()
    assert verbs(ended) == ["Play", "Hangup"] and heard(ended) == [prompts.GOODBYE]
    with runtime.sessions() as session:
        assert session.scalars(select(Case)).first() is None  # quiet after thanks is not a miss


def test_after_thanks_the_caller_can_ask_something_else(carrier: Carrier, heard) -> None:
    carrier.call()
    carrier.say("谢谢")
    answer = carrier.say("老年卡怎么办")
    assert "Gather" in verbs(answer) and heard(answer)[-1].endswith("按0找人工。")  # a menu, or a page's


@pytest.mark.parametrize("bye", ["没事了", "再见", "拜拜"])
def test_a_goodbye_ends_the_call_with_one_farewell(carrier: Carrier, heard, bye: str) -> None:
    carrier.call()
    ended = carrier.say(bye)
    assert verbs(ended)[-1] == "Hangup"
    assert heard(ended)[-1] == prompts.GOODBYE


def test_a_reply_of_kind_goodbye_ends_the_call_whatever_next_says(carrier: Carrier, runtime: Runtime,
                                                                  hotline: Hotline, heard) -> None:
    """The engine's farewells (ReplyKind "goodbye") hang up with one farewell: the phone's own, not the chat's too."""
    carrier.call()
    farewell = "好的，不打扰您了，再见！"
    with runtime.sessions() as session:
        conversation = session.scalars(select(Conversation)).one()
        links = Links(lambda route, conversation_id, step, params: f"http://hotline/{route}?step={step}",
                      lambda path: f"http://hotline/voice/audio/{path.name}")
        flow = CallFlow(hotline, runtime, session, links)
        twiml = ET.fromstring(flow.after(Turn(conversation, [], [Reply(farewell, "goodbye")])).to_xml())
    assert verbs(twiml) == ["Play", "Hangup"]
    assert heard(twiml) == [prompts.GOODBYE]
