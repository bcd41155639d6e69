"""A request sent again takes effect once: the engine records a keyed turn in the same commit as the turn, and the
same key again gets that turn back, without a second message, case or reply; also when both arrive at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from assistant.engine import Turn
from assistant.messages import Incoming, Once, Start, Text
from assistant.runtime import Runtime, build
from assistant.settings import Settings
from assistant.store.models import Base, Case, Conversation, Message
from assistant.store.replays import KeyReused
from knowledge.matcher import Matcher
from tests.utils.db import BACKENDS, database_url

CHANNEL = "web"


def said(runtime: Runtime, once: Once | None, text: str = "身份证过期了咋换",
         conversation_id: str | None = None) -> Turn:
    with runtime.sessions() as session:
        incoming = Incoming(CHANNEL, "browser-1", Text(text), conversation_id=conversation_id, once=once)
        return runtime.assistant.handle(session, incoming)


def stored(runtime: Runtime, model: type[Base], **where: object) -> int:
    with runtime.sessions() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.scalar(query)


def key(name: str = "message-1", digest: str | None = "asked") -> Once:
    return Once("web:test", name, digest)


def test_the_same_keyed_message_twice_is_stored_once_and_gets_the_same_turn_back(runtime):
    first = said(runtime, key())
    again = said(runtime, key())
    assert not first.replayed and again.replayed
    assert [m.id for m in again.messages] == [m.id for m in first.messages]
    assert again.replies == first.replies
    assert stored(runtime, Message, role="citizen") == 1


def test_without_a_key_each_message_counts(runtime):
    said(runtime, None)
    said(runtime, None)
    assert stored(runtime, Message, role="citizen") == 2


def test_another_key_is_another_message(runtime):
    first = said(runtime, key("message-1"))
    said(runtime, key("message-2"), conversation_id=first.conversation.id)
    assert stored(runtime, Message, role="citizen") == 2


def test_a_key_reused_for_another_request_is_refused_and_nothing_stored(runtime):
    said(runtime, key(digest="asked"))
    with pytest.raises(KeyReused):
        said(runtime, key(digest="something else"), text="我要找人工")
    assert stored(runtime, Message, role="citizen") == 1


def test_a_keyed_request_for_a_person_opens_one_case(runtime, on_duty):
    first = said(runtime, key(), text="找人工")
    said(runtime, key(), text="找人工")
    assert stored(runtime, Case, conversation_id=first.conversation.id) == 1


def test_a_start_sent_again_opens_one_conversation(runtime):
    def start() -> Turn:
        with runtime.sessions() as session:
            return runtime.assistant.handle(session, Incoming(CHANNEL, "browser-1", Start(),
                                                              once=Once("web:start:browser-1", "start-1")))

    assert start().conversation.id == start().conversation.id
    assert stored(runtime, Conversation) == 1


def test_when_the_reply_fails_the_words_are_kept_once_under_the_key(runtime, monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the matcher fell over")

    monkeypatch.setattr(runtime.assistant.dialogue, "respond", broken)
    with pytest.raises(RuntimeError):
        said(runtime, key())
    again = said(runtime, key())  # the page retries: the words are there, nothing is added
    assert [m.role for m in again.messages] == ["citizen"]
    assert stored(runtime, Message, role="citizen") == 1


# --- two at once, on both databases ---

@pytest.fixture(params=BACKENDS)
def any_runtime(request: pytest.FixtureRequest, tmp_path: Path, matcher: Matcher) -> Iterator[Runtime]:
    with database_url(request.param, tmp_path) as url:
        runtime = build(Settings(_env_file=None, data_dir=tmp_path, database_url=url), matcher)  # type: ignore[call-arg]
        Base.metadata.create_all(runtime.engine)
        yield runtime
        runtime.close()


def test_the_same_keyed_message_sent_twice_at_once_is_stored_once(any_runtime, monkeypatch):
    """Both pass the first look-up before either commits (the reply takes a while): the row lock (PostgreSQL) or
    the unique key (SQLite) lets one turn through, and the other returns it."""
    runtime = any_runtime
    conversation_id = said(runtime, None, text="你好").conversation.id
    respond = runtime.assistant.dialogue.respond

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(0.3)
        return respond(*args, **kwargs)

    monkeypatch.setattr(runtime.assistant.dialogue, "respond", slow)
    start = threading.Barrier(2)
    turns: list[Turn] = []

    def send() -> None:
        start.wait()
        turns.append(said(runtime, key(), conversation_id=conversation_id))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert len(turns) == 2
    assert [t.replayed for t in turns].count(True) == 1
    assert [m.id for m in turns[0].messages] == [m.id for m in turns[1].messages]
    assert stored(runtime, Message, role="citizen") == 2  # 你好, and the keyed message once
