"""The web chat API: start, talk, tap, reload, and bad input answered kindly."""

from __future__ import annotations

import re

import pytest

from assistant import texts


def test_a_conversation_starts_with_a_greeting(client):
    response = client.post("/api/conversations", json={"client_id": "browser-abc123"})
    assert response.status_code == 201
    body = response.json()
    assert re.fullmatch(r"[0-9a-f]{32}", body["id"])
    assert body["client_id"] == "browser-abc123"
    assert [m["kind"] for m in body["messages"]] == ["greeting"]
    assert body["case"] is None


def test_an_answer_then_a_tapped_detail(say, matcher):
    answered = say("俺的身份证过期了咋整")
    citizen, reply = answered["messages"]
    assert (citizen["role"], citizen["text"]) == ("citizen", "俺的身份证过期了咋整")
    assert reply["text"] == matcher.kb.guides["id-card-renewal"].short_answer
    assert [c["key"] for c in reply["choices"]] == ["1", "2", "3", "4", "0"]
    assert reply["speakable"] is True

    tapped = say("要带什么材料", choice="1")
    assert tapped["messages"][-1]["kind"] == "detail"


def test_the_conversation_survives_a_reload(client, conversation, say):
    say("身份证过期了咋换")
    history = client.get(f"/api/conversations/{conversation}").json()
    assert [m["role"] for m in history["messages"]] == ["assistant", "citizen", "assistant"]
    last_seen = history["messages"][1]["id"]
    newer = client.get(f"/api/conversations/{conversation}", params={"after": last_seen}).json()
    assert [m["kind"] for m in newer["messages"]] == ["answer"]


def test_asking_for_a_person_shows_the_place_in_the_queue(say, officer_of):
    officer_of()
    body = say("找人工", choice="0")
    assert body["case"]["status"] == "waiting"
    assert body["case"]["position"] == 1
    assert "您排在第一位" in body["messages"][-1]["text"]


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/conversations/{}"),
    ("post", "/api/conversations/{}/messages"),
    ("get", "/api/conversations/{}/events"),
])
def test_unknown_conversations_are_404_json(client, method, path):
    response = client.request(method, path.format("0" * 32), json={"text": "你好"})
    assert response.status_code == 404
    assert response.json() == {"detail": "没有找到这段对话"}


@pytest.mark.parametrize(("text", "answer"), [
    ("", texts.EMPTY),
    ("字" * 5000, texts.TOO_LONG),
    ("\x00\x01\x02\x03 \x04\x05", texts.GARBLED),
])
def test_bad_text_gets_a_kind_answer(say, text, answer):
    assert say(text)["messages"][-1]["text"] == answer


def test_script_text_comes_back_as_plain_json_text(say):
    body = say("<img src=x onerror=alert(1)>")
    assert body["messages"][0]["text"] == "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize("body", [{"text": "字" * 100_001}, {"text": "1", "choice": "x"}, {"text": ["a"]}])
def test_impossible_requests_are_a_clear_422(client, conversation, body):
    response = client.post(f"/api/conversations/{conversation}/messages", json=body)
    assert response.status_code == 422
    assert response.json()["message"]
    assert "字字字" not in response.text  # what was sent is not echoed back


def test_a_body_that_is_not_json_is_a_clear_400(client, conversation):
    response = client.post(f"/api/conversations/{conversation}/messages", content=b"\xff\xfe\x00binary",
                           headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["detail"]
