"""The turn budget (issue 19): SQL statements per chat turn, counted on the real engine through the public API. They
are deterministic, so a change that reads the conversation twice, updates a row it just wrote or reads the queue
once per waiting citizen shows here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from assistant import upkeep
from assistant.runtime import Runtime
from assistant.store.models import Officer
from tests.utils.factories import make_officer

ORDINARY_TURN = 4
ESCALATION = 10


@pytest.fixture(autouse=True)
def no_daily_purge(monkeypatch: pytest.MonkeyPatch) -> None:
    """The day's purge starts with the app, on the same engine: not part of any turn, so it is left out here
    (autouse: set before the app starts)."""
    monkeypatch.setattr(upkeep, "purge_if_due", lambda *args: None)


@pytest.fixture
def statements(runtime: Runtime) -> Callable[[], AbstractContextManager[list[str]]]:
    """A context in which every statement sent to the database is kept, in order."""
    @contextmanager
    def counting() -> Iterator[list[str]]:
        sent: list[str] = []

        def keep(conn: object, cursor: object, statement: str, *args: object) -> None:
            sent.append(statement)

        event.listen(runtime.engine, "before_cursor_execute", keep)
        try:
            yield sent
        finally:
            event.remove(runtime.engine, "before_cursor_execute", keep)
    return counting


@pytest.fixture
def on_duty(runtime: Runtime) -> Officer:
    with runtime.sessions() as session:
        return make_officer(session, name="王芳")


def _say(client: TestClient, conversation: str, text: str, choice: str | None = None) -> dict:
    body = {"text": text} if choice is None else {"text": text, "choice": choice}
    response = client.post(f"/api/conversations/{conversation}/messages", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _started(client: TestClient) -> str:
    response = client.post("/api/conversations", json={})
    assert response.status_code == 201
    return response.json()["id"]


def test_an_ordinary_turn_stays_within_its_statements(client, statements, on_duty):
    conversation = _started(client)
    _say(client, conversation, "身份证过期了怎么换")
    with statements() as sent:
        turn = _say(client, conversation, "要带什么材料")
    assert turn["messages"][-1]["kind"] == "detail" and turn["case"] is None
    assert len(sent) <= ORDINARY_TURN, "\n".join(sent)


def test_a_tapped_choice_is_an_ordinary_turn_too(client, statements, on_duty):
    conversation = _started(client)
    _say(client, conversation, "身份证过期了怎么换")
    with statements() as sent:
        turn = _say(client, conversation, "办理地点", choice="2")
    assert turn["messages"][-1]["kind"] == "detail"
    assert len(sent) <= ORDINARY_TURN, "\n".join(sent)


def test_an_escalation_stays_within_its_statements_however_many_wait(client, statements, on_duty):
    for _ in range(3):  # others already waiting: the queue is read once, not once per waiting citizen
        _say(client, _started(client), "找人工")
    conversation = _started(client)
    _say(client, conversation, "身份证过期了怎么换")
    with statements() as sent:
        turn = _say(client, conversation, "找人工")
    assert turn["messages"][-1]["kind"] == "queue" and turn["case"]["position"] == 4
    assert len(sent) <= ESCALATION, "\n".join(sent)


def test_the_conversation_is_read_once_and_no_message_is_updated_after_it_is_written(client, statements):
    conversation = _started(client)
    with statements() as sent:
        _say(client, conversation, "身份证过期了怎么换")
    reads = [s for s in sent if s.lstrip().upper().startswith("SELECT") and "FROM conversations" in s]
    assert len(reads) == 1, "\n".join(sent)
    assert not [s for s in sent if s.lstrip().upper().startswith("UPDATE MESSAGES")], "\n".join(sent)
