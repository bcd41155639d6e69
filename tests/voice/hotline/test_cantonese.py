"""Cantonese, when the operator offers it (HOTLINE_CANTONESE_LANGUAGE): the greeting says 讲广东话请按9, and after 9
the carrier listens for Cantonese for the rest of the call; our voice answers in Mandarin."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.voice.hotline.conftest import TOKEN, Carrier, gather
from voice import prompts

YUE = "yue-Hant-HK"


def _language_of(twiml) -> tuple[str, list[str]]:
    listening = gather(twiml).attrib
    return listening["language"], parse_qs(urlsplit(listening["action"]).query).get("lang", [])


@pytest.mark.parametrize("hotline_settings", [{"twilio_auth_token": TOKEN, "neural_voice_enabled": False,
                                               "hotline_cantonese_language": YUE}])
class TestOffered:
    def test_the_greeting_offers_cantonese_on_9(self, carrier: Carrier, heard) -> None:
        greeting = carrier.call()
        assert heard(greeting) == [prompts.GREETING, prompts.BARGE_IN, prompts.CANTONESE]
        assert _language_of(greeting) == ("zh-CN", [])

    @pytest.mark.parametrize("question", ["身份证过期点样换", "老人卡点办", "我要搵人工"])
    def test_after_9_every_step_listens_for_cantonese(self, carrier: Carrier, heard, question: str) -> None:
        carrier.call()
        switched = carrier.press("9")
        assert heard(switched) == [prompts.CANTONESE_ON]
        assert _language_of(switched) == (YUE, [YUE])
        after = carrier.say(question)
        if after.find("Gather") is not None:
            assert _language_of(after) == (YUE, [YUE])

    def test_a_language_the_operator_did_not_offer_is_ignored(self, carrier: Carrier) -> None:
        carrier.call()
        action = gather(carrier.twiml).attrib["action"] + "&lang=en-US"
        assert _language_of(carrier.post(action, SpeechResult="身份证到期了怎么换")) == ("zh-CN", [])


def test_without_the_setting_nothing_is_offered_and_9_is_no_choice(carrier: Carrier, heard) -> None:
    greeting = carrier.call()
    assert prompts.CANTONESE not in heard(greeting)
    assert _language_of(carrier.press("9"))[0] == "zh-CN"


@pytest.fixture
def hotline_settings() -> dict[str, Any]:
    return {"twilio_auth_token": TOKEN, "neural_voice_enabled": False}
