"""The Telegram side of a one-time link code: a code to type on the web page, from the settings; a code from the
web page, typed with /link. Officers' words still go only to the chat of the case."""

from __future__ import annotations

import re

from assistant import texts as engine_texts
from bench import telegram_updates as updates
from bot import texts
from tests.bot.conftest import Citizen, messages

CHAT, OTHER_CHAT = updates.CHAT, 70009


def sent_to(telegram, chat_id: int) -> list[str]:
    return [c.text for c in telegram.calls if c.method == "sendMessage" and c.params.get("chat_id") == str(chat_id)]


def shown_code(text: str) -> str:
    return re.search(r"\d(?: \d){5}", text).group(0)


def test_a_code_from_the_settings_joins_the_web_page(citizen, client):
    [settings] = citizen.says(texts.HOW_TO)
    [shown] = citizen.taps(texts.LINK_CODE_LABEL, under=settings)
    page = client.post("/api/conversations", json={}).json()["id"]

    linked = client.post(f"/api/conversations/{page}/link", json={"code": shown_code(shown.text)}).json()

    assert linked["text"] == engine_texts.LINK_DONE.format(channel="Telegram")


def test_a_code_from_the_web_page_is_typed_with_link(citizen, client):
    page = client.post("/api/conversations", json={}).json()["id"]
    code = shown_code(client.post(f"/api/conversations/{page}/link-code").json()["text"])

    [linked] = citizen.says(f"/link {code}")

    assert linked.text == engine_texts.LINK_DONE.format(channel="网页聊天")
    [how] = citizen.says("/link")
    assert how.text == texts.LINK_HOW


def test_two_linked_chats_each_get_only_their_own_cases_words(citizen, client, telegram, officer):
    other = Citizen(client, telegram, OTHER_CHAT)
    [settings] = citizen.says(texts.HOW_TO)
    [shown] = citizen.taps(texts.LINK_CODE_LABEL, under=settings)
    messages(other.post(updates.message(f"/link {shown_code(shown.text)}", chat_id=OTHER_CHAT)))
    citizen.says("身份证过期了咋换")
    citizen.says(texts.HUMAN)
    [case] = officer.get("/api/officer/cases").json()

    before = len(sent_to(telegram, CHAT))
    officer.post(f"/api/officer/cases/{case['id']}/claim")
    officer.post(f"/api/officer/cases/{case['id']}/reply", json={"text": "您好，带上旧证来。"})

    said = telegram.wait_for("sendMessage", chat_id=CHAT, count=before + 2)
    assert said[-1].text == "工作人员王芳：您好，带上旧证来。"
    assert not any("带上旧证来" in text or "王芳" in text for text in sent_to(telegram, OTHER_CHAT))
