"""Sample office data (marked 示例) is never spoken to callers nor shown as fact on a chat; the service names the
sample values left at start-up."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant import texts
from assistant.runtime import Runtime
from assistant.settings import Settings
from knowledge.loader import KnowledgeBase, load_offices
from tests.utils.chat import Chat
from tests.voice.hotline.conftest import Carrier
from voice.hotline import phrases


def test_where_and_when_on_the_phone_speaks_no_sample_and_says_where_to_ask(carrier: Carrier, heard) -> None:
    """The issue: "（示例）…示例市示例区…（示例时间）" was read aloud."""
    carrier.call()
    carrier.say("身份证到期了怎么换")
    twiml = carrier.press("3")
    where = " ".join(heard(twiml))
    while "按1继续听" in where.rsplit(" ", 1)[-1]:  # every page of it
        twiml = carrier.press("1")
        where += " " + " ".join(heard(twiml))
    assert "示例" not in where
    assert "在哪办：户口所在地" in where and phrases.for_listening(texts.ASK_LOCAL) in where


def test_nothing_the_hotline_warms_holds_a_sample(kb: KnowledgeBase) -> None:
    offices = load_offices(Settings(_env_file=None).offices_file)  # type: ignore[call-arg]
    assert any(texts.SAMPLE_MARK in office.address for office in offices.values())  # the shipped file is samples
    said = phrases.texts_to_warm(kb.guides.values(), offices, dt.date.today())
    assert [text for text in said if texts.SAMPLE_MARK in text] == []


@pytest.mark.parametrize("asked", ["换身份证在哪办", "老年卡去哪里办理", "办社保卡地址在哪"])
def test_a_chat_is_not_shown_a_sample_address_as_fact(runtime: Runtime, asked: str) -> None:
    with runtime.sessions() as session:
        replies = Chat(runtime, session).say(asked)
    shown = "".join(reply.text for reply in replies)
    assert "在哪办" in shown and texts.SAMPLE_MARK not in shown


def test_a_real_value_beside_a_sample_is_kept() -> None:
    assert texts.real("供电 95598；自来水 0000-12345609（示例电话）") == "供电 95598"
    assert texts.real("示例市示例区人民路100号（示例地址）") == ""


def test_start_up_names_the_sample_values_left(client, caplog: pytest.LogCaptureFixture) -> None:
    [line] = [r.getMessage() for r in caplog.get_records("setup") if "sample values (示例)" in r.getMessage()]
    assert "hrss.address" in line and "hrss.hours" in line and "hrss.phone" not in line  # 12333 is real
