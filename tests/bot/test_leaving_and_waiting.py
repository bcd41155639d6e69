"""Issue 16 on Telegram, through the engine: the queue line's 不等了 button leaves the queue, and a question asked
while waiting is still answered by the assistant."""

from __future__ import annotations

from assistant import texts as engine_texts
from bot import texts


def test_the_queue_lines_button_leaves_the_queue(citizen, officer):
    citizen.says("身份证过期了咋换")
    [queued] = citizen.says(texts.HUMAN)
    assert engine_texts.LEAVE_LABEL in queued.callback_data()

    [left] = citizen.taps(engine_texts.LEAVE_LABEL, under=queued)

    assert left.text == engine_texts.LEFT
    assert officer.get("/api/officer/cases", params={"status": "open"}).json() == []


def test_leaving_in_words_on_telegram(citizen, officer):
    citizen.says(texts.HUMAN)
    [left] = citizen.says("算了，不等了")
    assert left.text == engine_texts.LEFT


def test_a_question_while_waiting_is_answered(citizen, officer, matcher):
    citizen.says(texts.HUMAN)
    answered = citizen.says("老年人坐公交的卡怎么办")
    assert answered[0].text.startswith(matcher.kb.guides["senior-transit-card"].short_answer)
    [case] = officer.get("/api/officer/cases", params={"status": "open"}).json()
    assert case["status"] == "waiting"


def test_starting_again_while_waiting_keeps_the_way_out(citizen, officer):
    citizen.says(texts.HUMAN)
    [welcome] = citizen.says("/start")
    assert welcome.text.startswith(engine_texts.WELCOME_BACK)
    [left] = citizen.taps(engine_texts.LEAVE_LABEL, under=welcome)
    assert left.text == engine_texts.LEFT
