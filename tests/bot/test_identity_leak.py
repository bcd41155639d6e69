"""An officer's words for one citizen reach that citizen's chat only: a stranger who typed the citizen's number into
a callback prompt is not joined to them, so nothing of the citizen's case reaches the stranger's chat."""

from __future__ import annotations

from assistant import texts as engine_texts
from bench import telegram_updates as updates
from bot import texts
from tests.bot.conftest import Citizen

PHONE = "13812345678"
VICTIM, STRANGER = 70001, 70002


def test_a_stranger_who_typed_the_citizens_number_gets_none_of_the_officers_words(client, telegram, officer):
    victim, stranger = Citizen(client, telegram, VICTIM), Citizen(client, telegram, STRANGER)
    victim.post(updates.contact(PHONE, owner=VICTIM, chat_id=VICTIM))  # proof: Telegram vouches for the number
    victim.says("身份证过期了咋换")
    victim.says(texts.HUMAN)
    [victims_case] = officer.get("/api/officer/cases").json()

    officer.put("/api/officer/duty", json={"on_duty": False})  # nobody on duty: the stranger is offered a callback
    [_, offer] = stranger.says(texts.HUMAN)
    stranger.taps(engine_texts.CALLBACK_YES, under=offer)
    stranger.says(PHONE)
    officer.put("/api/officer/duty", json={"on_duty": True})

    officer.post(f"/api/officer/cases/{victims_case['id']}/claim")
    officer.post(f"/api/officer/cases/{victims_case['id']}/reply", json={"text": "李阿姨，您的新证下周三能取。"})

    said = telegram.wait_for("sendMessage", chat_id=VICTIM, count=5)
    assert said[-1].text.endswith("李阿姨，您的新证下周三能取。")
    seen_by_stranger = [c.text for c in telegram.calls if c.method == "sendMessage"
                        and c.params.get("chat_id") == str(STRANGER)]
    assert not any("新证下周三" in text or engine_texts.OFFICER_JOINED.format(name="王芳") == text
                   for text in seen_by_stranger)
