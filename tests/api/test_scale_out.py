"""Two workers on one database, joined by Redis: what happens on one reaches the live streams of the other.
Needs TEST_REDIS_URL (skipped, saying so, without it)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest

from api.app import create_app
from assistant.live.redis_bus import RedisBus
from assistant.settings import Settings
from assistant.store.db import make_engine, make_session_factory
from knowledge.matcher import Matcher
from tests.utils.factories import make_officer
from tests.utils.officer_login import log_in
from tests.utils.server import running
from tests.utils.sse import events_while_an_officer_replies, read_events

pytestmark = pytest.mark.redis


@pytest.fixture
def workers(settings: Settings, matcher: Matcher, redis_url: str) -> Iterator[tuple[str, str]]:
    """The base URLs of two servers, each with its own runtime and its own connection to Redis."""
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    with ExitStack() as stack:
        urls = [stack.enter_context(running(create_app(settings, matcher, bus=RedisBus(redis_url, prefix=prefix))))
                for _ in range(2)]
        yield urls[0], urls[1]


@pytest.fixture
def officer_name(workers, settings: Settings) -> str:
    engine = make_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        username = make_officer(session, name="王芳").username
    engine.dispose()
    return username


def test_an_officers_reply_on_one_worker_reaches_the_citizens_stream_on_the_other(workers, officer_name):
    first, second = workers
    with httpx.Client(base_url=first, timeout=10) as citizen, httpx.Client(base_url=second, timeout=10) as staff:
        conversation = citizen.post("/api/conversations", json={}).json()["id"]
        case = citizen.post(f"/api/conversations/{conversation}/messages", json={"text": "找人工"}).json()["case"]
        log_in(staff, officer_name)

        events = events_while_an_officer_replies(citizen, staff, conversation=conversation, case_id=case["case_id"],
                                                 reply="您好，我是王芳。")

    assert [e["message"]["text"] for name, e in events if name == "message"] == [
        "工作人员王芳来了，正在看您说过的话，请稍等。", "您好，我是王芳。"]


def test_a_case_opened_on_one_worker_reaches_the_console_on_the_other(workers, officer_name):
    first, second = workers
    with httpx.Client(base_url=first, timeout=10) as staff, httpx.Client(base_url=second, timeout=10) as citizen:
        log_in(staff, officer_name)
        conversation = citizen.post("/api/conversations", json={}).json()["id"]
        with staff.stream("GET", "/api/officer/events") as stream:
            asking = threading.Timer(0.2, citizen.post, args=(f"/api/conversations/{conversation}/messages",),
                                     kwargs={"json": {"text": "找人工"}})
            asking.start()
            [(name, event)] = read_events(stream, wanted=1)
            asking.join()
    assert (name, event["case"]["summary"]["said"]) == ("case_opened", ["找人工"])
    assert conversation not in str(event)  # staff never see the citizen's key
