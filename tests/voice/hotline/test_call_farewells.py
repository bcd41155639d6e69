"""Issue 16 on the hotline, through the engine: a caller's farewell ends the call; thanks alone does not."""

from __future__ import annotations

import pytest

from tests.voice.hotline.conftest import Carrier, verbs
from voice import prompts


@pytest.mark.parametrize("said", ["好的谢谢", "没事了，谢谢", "行，那就这样，再见", "不用了，谢谢您"])
def test_a_farewell_ends_the_call(carrier: Carrier, heard, said: str) -> None:
    carrier.call()
    carrier.say("身份证到期了怎么换")
    twiml = carrier.say(said)
    assert verbs(twiml)[-1] == "Hangup"
    assert heard(twiml)[-1] == prompts.GOODBYE


@pytest.mark.parametrize("said", ["谢谢", "知道了"])
def test_thanks_alone_keeps_listening(carrier: Carrier, said: str) -> None:
    carrier.call()
    carrier.say("身份证到期了怎么换")
    assert "Hangup" not in verbs(carrier.say(said))
