"""Limits on what the public side may send: questions and chat messages per address, and the size of a body."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.schemas import MAX_BODY_TEXT
from assistant import texts
from assistant.settings import Settings
from knowledge.matcher import Matcher

MAX_REQUESTS = 3
MAX_BYTES = 4096


@pytest.fixture
def limited_app(settings: Settings, matcher: Matcher) -> FastAPI:
    tight = settings.model_copy(update={"public_max_requests": MAX_REQUESTS, "max_request_bytes": MAX_BYTES})
    return create_app(settings=tight, matcher=matcher)


@pytest.fixture
def citizen(limited_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(limited_app) as client:
        yield client


def test_questions_beyond_the_limit_get_a_429_with_a_kind_message_and_when_to_retry(citizen):
    statuses = [citizen.post("/api/ask", json={"text": "身份证过期了咋换"}).status_code for _ in range(MAX_REQUESTS)]
    refused = citizen.post("/api/ask", json={"text": "身份证过期了咋换"})
    assert statuses == [200] * MAX_REQUESTS
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/json"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["detail"] == texts.TOO_FAST.format(seconds=refused.headers["retry-after"])


def test_chat_messages_share_the_addresss_limit(citizen):
    conversation = citizen.post("/api/conversations", json={}).json()["id"]
    said = [citizen.post(f"/api/conversations/{conversation}/messages", json={"text": "老年卡怎么办"}).status_code
            for _ in range(MAX_REQUESTS)]
    assert said == [200] * (MAX_REQUESTS - 1) + [429]  # starting the conversation counted as one
    again = citizen.post(f"/api/conversations/{conversation}/messages", json={"text": "你好"})
    assert "请稍等" in again.json()["detail"]


def test_the_limit_is_per_address(limited_app, citizen):
    for _ in range(MAX_REQUESTS + 1):
        citizen.post("/api/ask", json={"text": "老年卡怎么办"})
    with TestClient(limited_app, client=("10.1.2.3", 5000)) as neighbour:
        assert neighbour.post("/api/ask", json={"text": "老年卡怎么办"}).status_code == 200


def test_reading_is_not_limited(citizen):
    conversation = citizen.post("/api/conversations", json={}).json()["id"]
    statuses = {citizen.get(f"/api/conversations/{conversation}").status_code for _ in range(MAX_REQUESTS * 2)}
    assert statuses == {200}


def test_a_body_declared_too_large_is_refused_with_413_before_it_is_read(citizen):
    response = citizen.post("/api/ask", content=b"{" + b" " * MAX_BYTES + b"}",
                            headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": texts.TOO_LARGE, "max_bytes": MAX_BYTES}
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_chunked_body_without_a_length_is_counted_and_refused(citizen):
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(MAX_BYTES // 100 + 1):
            yield "好".encode() * 34
        yield b'"}'

    response = citizen.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["detail"] == texts.TOO_LARGE


def test_a_body_within_the_limit_goes_through(citizen):
    assert citizen.post("/api/ask", json={"text": "老年卡" * 100}).status_code == 200


def test_the_default_size_leaves_room_for_the_longest_chat_message_so_it_gets_its_kind_answer():
    longest = json.dumps({"text": "字" * MAX_BODY_TEXT, "choice": None})  # escaped: six bytes a character
    assert len(longest.encode()) <= Settings(_env_file=None).max_request_bytes  # type: ignore[call-arg]
