"""A message re-sent after a dropped connection is stored once: the chat API takes an Idempotency-Key (a fresh one
per message, the same one on a retry), unique within the conversation; a retry gets the same turn back."""

from __future__ import annotations

import threading
import uuid

import httpx
from sqlalchemy import func, select

from api.routes.chat import KEY_NEEDS_CLIENT, REPLAYED
from assistant.store.models import Case, Conversation, Message

QUESTION = {"text": "身份证过期了咋换"}


def new_key() -> str:
    return str(uuid.uuid4())


def citizen_messages(runtime, conversation_id: str) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(Message).where(
            Message.conversation_id == conversation_id, Message.role == "citizen"))


def post(client, conversation: str, body: dict, key: str | None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/conversations/{conversation}/messages", json=body, headers=headers)


def test_a_message_sent_again_with_its_key_is_stored_once_and_answered_the_same(client, conversation, runtime):
    key = new_key()
    first = post(client, conversation, QUESTION, key)
    again = post(client, conversation, QUESTION, key)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert REPLAYED not in first.headers and again.headers[REPLAYED] == "true"
    assert citizen_messages(runtime, conversation) == 1


def test_without_a_key_a_message_sent_again_is_a_second_message(client, conversation, runtime):
    post(client, conversation, QUESTION, None)
    post(client, conversation, QUESTION, None)
    assert citizen_messages(runtime, conversation) == 2


def test_the_key_may_come_quoted_as_the_ietf_draft_writes_it(client, conversation, runtime):
    key = new_key()
    post(client, conversation, QUESTION, key)
    assert post(client, conversation, QUESTION, f'"{key}"').headers[REPLAYED] == "true"
    assert citizen_messages(runtime, conversation) == 1


def test_the_same_key_with_other_words_is_422_with_a_clear_message_and_nothing_stored(client, conversation, runtime):
    key = new_key()
    post(client, conversation, QUESTION, key)
    for other in ({"text": "我要找人工"}, {"text": QUESTION["text"], "choice": "1"}):
        response = post(client, conversation, other, key)
        assert response.status_code == 422
        assert "Idempotency-Key" in response.json()["detail"]
    assert citizen_messages(runtime, conversation) == 1


def test_a_key_belongs_to_its_conversation(client, runtime):
    one, two = (client.post("/api/conversations", json={}).json()["id"] for _ in range(2))
    key = new_key()
    assert REPLAYED not in post(client, one, QUESTION, key).headers
    assert REPLAYED not in post(client, two, QUESTION, key).headers
    assert citizen_messages(runtime, one) == citizen_messages(runtime, two) == 1


def test_a_malformed_key_is_refused(client, conversation, runtime):
    for bad in ("short", "has spaces in it", "x" * 65, "key;with=other-chars"):
        assert post(client, conversation, QUESTION, bad).status_code == 422
    assert citizen_messages(runtime, conversation) == 0


def test_a_retried_request_for_a_person_opens_one_case(client, conversation, runtime, officer_of):
    officer_of()
    key = new_key()
    first = post(client, conversation, {"text": "找人工", "choice": "0"}, key).json()
    again = post(client, conversation, {"text": "找人工", "choice": "0"}, key).json()
    assert again["case"]["case_id"] == first["case"]["case_id"]
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
    assert citizen_messages(runtime, conversation) == 1  # the officer reads it once


def test_a_start_sent_again_returns_the_conversation_the_first_one_opened(client, runtime):
    body, headers = {"client_id": "browser-abc123"}, {"Idempotency-Key": new_key()}
    first = client.post("/api/conversations", json=body, headers=headers)
    again = client.post("/api/conversations", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Conversation)) == 1


def test_a_start_key_without_a_client_id_is_refused(client, runtime):
    response = client.post("/api/conversations", json={}, headers={"Idempotency-Key": new_key()})
    assert response.status_code == 422
    assert response.json()["detail"] == KEY_NEEDS_CLIENT


def test_the_key_is_in_the_openapi_schema(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/conversations", "/api/conversations/{conversation_id}/messages"):
        [key] = [p for p in schema["paths"][path]["post"]["parameters"] if p["name"] == "Idempotency-Key"]
        assert key["in"] == "header" and "retried" in key["description"]


def test_the_same_message_sent_twice_at_once_on_a_real_server_is_stored_once(live_server, runtime):
    """Two connections, the same key, at the same moment (the database of this run: SQLite or PostgreSQL)."""
    with httpx.Client(base_url=live_server.url, timeout=20) as http:
        conversation = http.post("/api/conversations", json={}).json()["id"]
    key, start, answers = new_key(), threading.Barrier(2), []

    def send() -> None:
        with httpx.Client(base_url=live_server.url, timeout=20) as http:
            start.wait()
            answers.append(http.post(f"/api/conversations/{conversation}/messages", json=QUESTION,
                                     headers={"Idempotency-Key": key}))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json()["messages"] == answers[1].json()["messages"]
    assert citizen_messages(runtime, conversation) == 1
