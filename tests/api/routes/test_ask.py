"""`POST /api/ask`, exactly as DESIGN.md's contract says."""

from __future__ import annotations

import pytest


def test_the_contract(client, matcher):
    response = client.post("/api/ask", json={"text": "身份证过期了咋换"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"label", "confidence", "top3", "answer"}
    assert body["label"] == "id-card-renewal"
    assert 0 < body["confidence"] <= 1
    assert len(body["top3"]) == 3 and all(set(item) == {"id", "score"} for item in body["top3"])
    assert body["answer"] == matcher.kb.guides["id-card-renewal"].short_answer


@pytest.mark.parametrize(("text", "label", "answer_mentions"), [
    ("找人工", "human", "12345"),
    ("家里煤气漏了", "emergency", "119"),
    ("明天会下雨吗", "out_of_scope", "12345"),
    ("", "out_of_scope", "12345"),
])
def test_special_labels_get_a_plain_answer(client, text, label, answer_mentions):
    body = client.post("/api/ask", json={"text": text}).json()
    assert body["label"] == label
    assert answer_mentions in body["answer"]


def test_too_long_or_missing_text_is_a_clear_422(client):
    for body in ({"text": "字" * 2001}, {}, {"text": 5}):
        response = client.post("/api/ask", json=body)
        assert response.status_code == 422
        assert response.json()["message"]
