"""A call walked through the webhooks as a carrier would: greeting, a spoken question, the answer played from our own
audio, the answer menu by keypad, and 0 for a person, with an officer on duty."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant import texts
from assistant.dialogue import SPOKEN_DETAIL_CHOICES
from assistant.runtime import Runtime
from assistant.store.models import Officer
from knowledge.matcher import Matcher
from tests.voice.hotline.conftest import BASE, Carrier, gather, plays, verbs
from voice import prompts
from voice.hotline import phrases

ID_CARD = "id-card-renewal"
ANSWER_MENU = phrases.menu(SPOKEN_DETAIL_CHOICES)


@pytest.fixture
def fetch(client: TestClient, tmp_path: Path, ffprobe: Callable[[Path], dict[str, Any]]
          ) -> Callable[[str], dict[str, Any]]:
    """Fetch a Play URL as the carrier would, and probe what came back."""
    def get(url: str) -> dict[str, Any]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "audio/mpeg"
        path = tmp_path / "fetched.mp3"
        path.write_bytes(response.content)
        return ffprobe(path)
    return get


def test_the_greeting_listens_for_speech_and_keys_in_chinese(carrier: Carrier, heard) -> None:
    twiml = carrier.call()
    assert verbs(twiml) == ["Gather", "Redirect"]
    listening = gather(twiml).attrib
    assert (listening["input"], listening["language"], listening["numDigits"]) == ("speech dtmf", "zh-CN", "1")
    assert listening["action"].startswith(f"{BASE}/voice/twilio/gather?conversation=")
    assert {"人工", "身份证到期换领", "老年人乘车卡"} <= set(listening["hints"].split(","))
    assert heard(twiml) == [prompts.GREETING, prompts.BARGE_IN]  # our own audio: the greeting names 0
    assert twiml.find("Say") is None
    assert twiml.find("Redirect").text.startswith(f"{BASE}/voice/twilio/silence?conversation=")


def test_a_whole_call_question_answer_materials_then_a_person(carrier: Carrier, runtime: Runtime, on_duty: Officer,
                                                              heard, fetch) -> None:
    guide = runtime.matcher.kb.guides[ID_CARD]
    carrier.call()

    answer = carrier.say("身份证到期了怎么换")
    spoken_answer = phrases.for_listening(texts.answer(guide, past_review=guide.is_past_review(dt.date.today())))
    assert heard(answer) == [*phrases.chunks(spoken_answer), ANSWER_MENU]  # one page, maybe two sounds
    for url in plays(answer):
        audio = fetch(url)
        assert (audio["format"], audio["channels"]) == ("mp3", 1)
        assert audio["duration"] > 1.0

    materials = carrier.press("2")  # three items: too long to hear at once, so in two pages
    first, rest = phrases.chunks(phrases.for_listening(texts.materials(guide)))
    assert heard(materials) == [first, "还有1项，按1继续听，按0找人工。"]
    assert heard(carrier.press("1")) == [rest, ANSWER_MENU]

    person = carrier.press("0")
    assert verbs(person) == ["Play", "Play", "Enqueue"]
    assert heard(person)[-1] == prompts.TRANSFER
    enqueue = person.find("Enqueue")
    assert enqueue.text == "hotline"
    assert enqueue.attrib["waitUrl"].startswith(f"{BASE}/voice/twilio/wait?conversation=")


def test_the_answer_can_be_heard_again_with_1(carrier: Carrier, heard) -> None:
    carrier.call()
    answer = carrier.say("身份证到期了怎么换")
    assert heard(carrier.press("1")) == heard(answer)


def test_saying_rengong_at_any_moment_reaches_a_person(carrier: Carrier, on_duty: Officer) -> None:
    carrier.call()
    carrier.say("身份证到期了怎么换")
    assert "Enqueue" in verbs(carrier.say("人工"))


def test_silence_gets_one_gentle_prompt_then_a_person(carrier: Carrier, on_duty: Officer, heard) -> None:
    carrier.call()
    again = carrier.keep_silent()
    assert verbs(again) == ["Gather", "Redirect"]
    assert heard(again) == [prompts.REPROMPT]  # it names 0 itself: no menu read after it
    assert "Enqueue" in verbs(carrier.keep_silent())


@pytest.mark.parametrize("misses", [("今天天气怎么样", "嗯嗯"), ("那个……", "我也不知道怎么讲"), ("啊？", "我想想")])
def test_two_misses_put_the_caller_through_instead_of_asking_again(carrier: Carrier, on_duty: Officer, heard,
                                                                   misses: tuple[str, str]) -> None:
    """The issue: with an officer on duty, "还是没弄明白…好吗？" came back five times and never transferred."""
    carrier.call()
    first = carrier.say(misses[0])
    assert "Gather" in verbs(first) and "按0找人工" in "".join(heard(first))  # the way out, with what 0 does
    through = carrier.say(misses[1])
    assert verbs(through)[-1] == "Enqueue"
    assert heard(through)[0] == phrases.for_listening(texts.MISSED_TWICE)


def test_a_silence_then_unclear_words_put_the_caller_through(carrier: Carrier, on_duty: Officer) -> None:
    carrier.call()
    carrier.keep_silent()
    assert verbs(carrier.say("嗯……那个"))[-1] == "Enqueue"


def test_an_emergency_gets_the_safety_advice_then_goes_straight_to_a_person(carrier: Carrier, on_duty: Officer,
                                                                            heard) -> None:
    carrier.call()
    twiml = carrier.say("老伴突然晕倒了，叫不醒")
    assert verbs(twiml) == ["Play", "Play", "Play", "Enqueue"]
    assert heard(twiml)[0] == texts.EMERGENCY_ADVICE["medical"]


def test_a_goodbye_ends_the_call(carrier: Carrier, heard) -> None:
    carrier.call()
    twiml = carrier.say("没事了")
    assert verbs(twiml)[-1] == "Hangup"
    assert heard(twiml)[-1] == prompts.GOODBYE


def test_a_menu_never_offers_more_than_four_keys(carrier: Carrier, heard) -> None:
    carrier.call()
    menus = []
    for said in ("身份证到期了怎么换", "我想办个证", "今天天气怎么样", "嗯嗯"):
        menus += [words for words in heard(carrier.say(said)) if words.startswith("按")]
    assert menus and all(menu.count("按") <= 4 for menu in menus)


def test_a_retrained_model_reaches_the_speech_hints_of_the_next_call(carrier: Carrier, runtime: Runtime) -> None:
    """The hints are the serving model's: a guide a supervisor added and retrained is heard on the next call."""
    current = runtime.matcher
    base = current.kb.guides["home-care-subsidy"]
    added = base.model_copy(update={"id": "senior-bath-subsidy", "title": "老年人助浴补贴"})
    taught = dataclasses.replace(current.kb, guides={**current.kb.guides, added.id: added})
    assert added.title not in gather(carrier.call()).attrib["hints"].split(",")

    runtime.use_matcher(Matcher(taught, current.model, current.config, current.analyzer))  # as a retraining does

    assert added.title in gather(Carrier(carrier.client).call()).attrib["hints"].split(",")


@pytest.mark.parametrize("go_on", ["press 1", "继续", "接着说", "silence"])
def test_a_long_list_goes_on_page_by_page_as_the_caller_asks(carrier: Carrier, runtime: Runtime, heard,
                                                            go_on: str) -> None:
    guide = runtime.matcher.kb.guides[ID_CARD]
    carrier.call()
    carrier.say("身份证到期了怎么换")
    first, rest = phrases.chunks(phrases.for_listening(texts.materials(guide)))
    assert heard(carrier.press("2"))[0] == first
    if go_on == "press 1":
        page = carrier.press("1")
    elif go_on == "silence":
        page = carrier.keep_silent()  # the caller is listening: not a miss
    else:
        page = carrier.say(go_on)
    assert heard(page) == [rest, ANSWER_MENU]
    assert heard(carrier.press("1")) == [first, "还有1项，按1继续听，按0找人工。"]  # 1 after the menu: 重听


def test_0_in_the_middle_of_a_long_list_reaches_a_person(carrier: Carrier, on_duty: Officer) -> None:
    carrier.call()
    carrier.say("身份证到期了怎么换")
    carrier.press("2")
    assert verbs(carrier.press("0"))[-1] == "Enqueue"


def test_the_re_prompt_comes_after_4_seconds_of_silence(carrier: Carrier) -> None:
    assert gather(carrier.call()).attrib["timeout"] == "4"
