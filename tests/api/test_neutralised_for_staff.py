"""A citizen cannot make a message display reversed or hide words in it for the officer who reads it: direction
overrides and isolates reach no staff page as they are (they are shown as �). The database keeps what was typed."""

from __future__ import annotations

import pytest

from assistant.store import conversations as conversation_store

# Where the override is honoured, everything after it shows right to left: not what was sent.
TRICK = "今天天气怎么样，\u202e138 1234 5678\u202c 请回电"
ISOLATED = "我要投诉\u2067\u2066（不要理这句）\u2069\u2069"
DIRECTION = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


@pytest.fixture
def supervisor(officer_of):
    client, _ = officer_of("supervisor")
    return client


@pytest.fixture
def conversation_and_case(client) -> tuple[str, int]:
    conversation = client.post("/api/conversations", json={}).json()["id"]
    for text in (TRICK, ISOLATED, "找人工"):
        response = client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
    return conversation, response.json()["case"]["case_id"]


def _shows_no_direction_character(text: str) -> bool:
    return not any(c in text for c in DIRECTION)


def test_no_staff_page_shows_a_direction_override(supervisor, conversation_and_case):
    _, case_id = conversation_and_case
    for path in ("/api/officer/cases", f"/api/officer/cases/{case_id}", f"/api/staff/cases/{case_id}",
                 "/api/staff/gaps"):
        page = supervisor.get(path)
        assert page.status_code == 200
        assert _shows_no_direction_character(page.text), path
    transcript = supervisor.get(f"/api/staff/cases/{case_id}").json()["transcript"]
    citizen = [m["text"] for m in transcript if m["role"] == "citizen"]
    assert citizen[:2] == ["今天天气怎么样，�138 **** 5678� 请回电", "我要投诉��（不要理这句）��"]
    gaps = supervisor.get("/api/staff/gaps").json()["groups"]
    assert "今天天气怎么样，�138 **** 5678� 请回电" in [w["text"] for g in gaps for w in g["wordings"]]


def test_revealing_the_numbers_shows_them_in_full_but_still_neutralised(supervisor, conversation_and_case):
    _, case_id = conversation_and_case
    revealed = supervisor.post(f"/api/staff/cases/{case_id}/reveal").json()
    assert [m["text"] for m in revealed["messages"]] == ["今天天气怎么样，�138 1234 5678� 请回电"]


def test_a_note_with_a_direction_override_is_shown_neutralised(supervisor, conversation_and_case):
    _, case_id = conversation_and_case
    supervisor.post(f"/api/officer/cases/{case_id}/claim")
    note = supervisor.post(f"/api/officer/cases/{case_id}/notes", json={"text": "已核实\u202e常正\u202c"})
    assert note.status_code == 201
    events = supervisor.get(f"/api/staff/cases/{case_id}").json()["events"]
    assert [e["detail"]["text"] for e in events if e["kind"] == "note"] == ["已核实�常正�"]


def test_the_database_keeps_what_the_citizen_typed(runtime, conversation_and_case):
    conversation, _ = conversation_and_case
    with runtime.sessions() as session:
        stored = [m.text for m in conversation_store.messages(session, conversation_id=conversation)
                  if m.role == "citizen"]
    assert stored[:2] == [TRICK, ISOLATED]


def test_the_citizen_sees_their_own_words_as_they_typed_them(client, conversation_and_case):
    conversation, _ = conversation_and_case
    mine = [m["text"] for m in client.get(f"/api/conversations/{conversation}").json()["messages"]
            if m["role"] == "citizen"]
    assert mine[:2] == [TRICK, ISOLATED]
