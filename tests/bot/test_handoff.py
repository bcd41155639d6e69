"""找人工: the engine opens a case that officers see through their API; the citizen hears their place in the queue,
officers' words arrive in the chat, the citizen's words reach the officer, and resolution asks "问题解决了吗？" once."""

from __future__ import annotations

from assistant import texts as engine_texts
from bench import telegram_updates as updates
from bot import texts
from tests.bot.conftest import Citizen, messages


def open_case(citizen, officer) -> dict:
    citizen.says("身份证过期了咋换")
    [queued] = citizen.says(texts.HUMAN)
    assert queued.text.startswith(engine_texts.QUEUE_STARTED)
    [case] = officer.get("/api/officer/cases").json()
    return case


def test_asking_for_a_person_opens_a_case_the_officer_sees_with_everything_said(citizen, officer):
    case = open_case(citizen, officer)

    assert case["summary"]["channel"] == "telegram"
    assert case["service_id"] == "id-card-renewal"
    assert case["summary"]["said"] == ["身份证过期了咋换", texts.HUMAN]


def test_the_citizen_is_told_their_place_and_that_nothing_needs_repeating(citizen, officer):
    citizen.says("身份证过期了咋换")
    [queued] = citizen.says(texts.HUMAN)
    assert "您排在第一位" in queued.text and engine_texts.HANDED_OVER_NOTE in queued.text


def test_officers_words_arrive_in_the_chat(citizen, officer, telegram):
    case = open_case(citizen, officer)

    officer.post(f"/api/officer/cases/{case['id']}/claim")
    officer.post(f"/api/officer/cases/{case['id']}/reply", json={"text": "您好，带上旧身份证来就行。"})

    joined, said = telegram.wait_for("sendMessage", chat_id=citizen.chat_id, count=4)[-2:]
    assert joined.text == engine_texts.OFFICER_JOINED.format(name="王芳")
    assert said.text == "工作人员王芳：您好，带上旧身份证来就行。"


def test_the_citizens_words_reach_the_officer_while_the_case_is_open(citizen, officer, telegram):
    case = open_case(citizen, officer)
    officer.post(f"/api/officer/cases/{case['id']}/claim")
    telegram.wait_for("sendMessage", chat_id=citizen.chat_id, count=3)  # "an officer has come"

    assert citizen.says("我下午能去吗") == []  # the officer answers, not the bot

    transcript = officer.get(f"/api/officer/cases/{case['id']}").json()["messages"]
    assert transcript[-1]["text"] == "我下午能去吗" and transcript[-1]["role"] == "citizen"


def test_a_photo_or_voice_note_for_the_officer_is_not_met_with_the_bot_s_line(citizen, officer, telegram):
    case = open_case(citizen, officer)
    officer.post(f"/api/officer/cases/{case['id']}/claim")
    telegram.wait_for("sendMessage", chat_id=citizen.chat_id, count=3)

    [photo] = messages(citizen.post(updates.photo()))
    [voice] = messages(citizen.post(updates.voice_note()))  # no speech recogniser configured

    assert photo.text == engine_texts.UNREADABLE_FOR_OFFICER.format(what="照片")
    assert voice.text == engine_texts.UNREADABLE_FOR_OFFICER.format(what="语音")
    transcript = officer.get(f"/api/officer/cases/{case['id']}").json()["messages"]
    noted = [m["text"] for m in transcript if m["role"] == "citizen"][-2:]
    assert noted == ["（发来了照片，这里收不到）", "（发来了语音，这里收不到）"]


def test_start_again_while_a_person_is_on_the_case_keeps_the_case(citizen, officer, telegram):
    case = open_case(citizen, officer)
    officer.post(f"/api/officer/cases/{case['id']}/claim")
    telegram.wait_for("sendMessage", chat_id=citizen.chat_id, count=3)

    [welcome] = citizen.says("/start")
    assert welcome.text.startswith(engine_texts.WELCOME_BACK) and "王芳" in welcome.text

    assert citizen.says("我下午能去吗") == []  # still the officer's conversation
    transcript = officer.get(f"/api/officer/cases/{case['id']}").json()["messages"]
    assert transcript[-1]["text"] == "我下午能去吗"


def test_start_after_the_case_is_resolved_greets_anew(citizen, officer, telegram):
    case = open_case(citizen, officer)
    officer.post(f"/api/officer/cases/{case['id']}/claim")
    officer.post(f"/api/officer/cases/{case['id']}/resolve", json={})
    telegram.wait_for("sendMessage", chat_id=citizen.chat_id, count=5)  # ... "问题解决了吗？"

    [greeting] = citizen.says("/start")
    assert greeting.text == engine_texts.GREETING


def test_resolution_asks_once_whether_it_solved_the_problem(citizen, officer, telegram):
    case = open_case(citizen, officer)
    officer.post(f"/api/officer/cases/{case['id']}/claim")
    officer.post(f"/api/officer/cases/{case['id']}/resolve", json={})

    question = telegram.wait_for("sendMessage", chat_id=citizen.chat_id, count=5)[-1]
    assert question.text == engine_texts.FEEDBACK_QUESTION
    assert question.buttons() == [engine_texts.SOLVED_YES, engine_texts.SOLVED_NO]
    [thanks] = citizen.taps(engine_texts.SOLVED_YES, under=question)
    assert thanks.text == engine_texts.FEEDBACK_THANKS
    assert len(telegram.sent("sendMessage", chat_id=citizen.chat_id)) == 6  # nothing asked again


def test_a_waiting_citizen_hears_when_their_place_changes(client, telegram, officer):
    first, second = Citizen(client, telegram, chat_id=801), Citizen(client, telegram, chat_id=802)
    first.says(texts.HUMAN)
    [queued] = second.says(texts.HUMAN)
    assert "您前面还有1位" in queued.text
    first_case = officer.get("/api/officer/cases").json()[0]

    officer.post(f"/api/officer/cases/{first_case['id']}/claim")

    moved_up = telegram.wait_for("sendMessage", chat_id=802, count=2)[-1]
    assert moved_up.text.startswith("您排在第一位")


def test_an_inline_person_button_works_like_the_big_one(citizen, officer):
    [reply] = messages(citizen.post(updates.voice_note()))
    [queued, *_] = citizen.taps(engine_texts.HUMAN_LABEL, under=reply)
    assert queued.text.startswith(engine_texts.QUEUE_STARTED)
    assert len(officer.get("/api/officer/cases").json()) == 1


def test_words_sent_with_a_photo_or_voice_note_reach_the_officer_with_the_note(citizen, officer, telegram):
    """"这是身份证" under a photo, "这个单子怎么填" under a voice note: the officer reads the words after the note that
    the photo or voice could not come through; the citizen is told the words did reach them."""
    case = open_case(citizen, officer)
    officer.post(f"/api/officer/cases/{case['id']}/claim")
    telegram.wait_for("sendMessage", chat_id=citizen.chat_id, count=3)

    [photo] = messages(citizen.post(updates.photo(caption="这是我的户口本首页")))
    [voice] = messages(citizen.post(updates.voice_note(caption="  表格第三栏不会填 ")))
    [paper] = messages(citizen.post(updates.document(caption="社区开的证明")))

    assert photo.text == engine_texts.UNREADABLE_CAPTION_FOR_OFFICER.format(what="照片")
    assert voice.text == engine_texts.UNREADABLE_CAPTION_FOR_OFFICER.format(what="语音")
    assert paper.text == engine_texts.UNREADABLE_CAPTION_FOR_OFFICER.format(what="文件")
    transcript = officer.get(f"/api/officer/cases/{case['id']}").json()["messages"]
    said = [m["text"] for m in transcript if m["role"] == "citizen"][-6:]
    assert said == ["（发来了照片，这里收不到）", "这是我的户口本首页",
                    "（发来了语音，这里收不到）", "表格第三栏不会填",
                    "（发来了文件，这里收不到）", "社区开的证明"]
