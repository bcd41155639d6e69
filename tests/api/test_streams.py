"""Live event streams are bounded, over real HTTP against a real server: beyond a cap per address a stream gets 429,
beyond the process's cap 503, both with Retry-After, while a citizen's ordinary requests still succeed; a stream
with nothing to send ends by itself; every slot is given back when a stream ends, however it ends."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import httpx
import pytest

from api.app import create_app
from api.streams import RETRY_AFTER_SECONDS, StreamLimit
from api.web import Web
from assistant.live.events import conversation_topic
from assistant.services import Services
from tests.api.conftest import LiveServer
from tests.utils.factories import make_officer
from tests.utils.officer_login import log_in
from tests.utils.server import running

PER_ADDRESS, TOTAL, PER_OFFICER = 3, 5, 2
ATTEMPTS = 40  # one address trying to hold this many streams open


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"stream_max_per_address": PER_ADDRESS, "stream_max_open": TOTAL,
                                       "staff_stream_max_per_officer": PER_OFFICER, "gtts_enabled": False})


def client_from(server: LiveServer, address: str = "127.0.0.1") -> httpx.Client:
    """A client whose connections come from this loopback address (any of 127.0.0.0/8 works on Linux)."""
    return httpx.Client(base_url=server.url, timeout=10, transport=httpx.HTTPTransport(local_address=address))


def conversation(client: httpx.Client) -> str:
    response = client.post("/api/conversations", json={})
    assert response.status_code == 201
    return response.json()["id"]


@contextmanager
def streams(client: httpx.Client, path: str, n: int) -> Iterator[list[httpx.Response]]:
    """n streams opened at once, each on its own connection, held open until the block ends."""
    with ExitStack() as stack:
        yield [stack.enter_context(client.stream("GET", path)) for _ in range(n)]


def wait_until(condition: Callable[[], bool], seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_the_limit_counts_per_key_and_in_all():
    limit = StreamLimit(per_key=2, total=3)
    limit.take("a")
    limit.take("a")
    with pytest.raises(Exception) as too_many:
        limit.take("a")
    assert too_many.value.status_code == 429
    limit.take("b")
    with pytest.raises(Exception) as full:
        limit.take("c")
    assert full.value.status_code == 503 and full.value.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    limit.give_back("a")
    limit.take("c")
    assert limit.open == 3


def test_streams_from_one_address_beyond_the_cap_get_429_and_citizens_still_get_in(live_server):
    with client_from(live_server) as citizen:
        path = f"/api/conversations/{conversation(citizen)}/events"
        with streams(citizen, path, ATTEMPTS) as opened:
            statuses = [s.status_code for s in opened]
            assert statuses == [200] * PER_ADDRESS + [429] * (ATTEMPTS - PER_ADDRESS)  # before: all 40 held open
            refused = opened[-1]
            refused.read()
            assert refused.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
            assert "实时连接太多" in refused.json()["detail"]
            assert Services.of(live_server.app).part(Web).citizen_streams.open == PER_ADDRESS
            # Ordinary requests from the same address are never counted.
            second = conversation(citizen)
            said = citizen.post(f"/api/conversations/{second}/messages", json={"text": "老年卡怎么办"})
            assert said.status_code == 200
        wait_until(lambda: Services.of(live_server.app).part(Web).citizen_streams.open == 0)  # every slot given back
        with citizen.stream("GET", path) as again:
            assert again.status_code == 200


def test_streams_beyond_the_process_cap_get_503_and_citizens_still_get_in(live_server):
    with ExitStack() as stack:
        clients = [stack.enter_context(client_from(live_server, f"127.0.0.{n}")) for n in range(2, 10)]
        path = f"/api/conversations/{conversation(clients[0])}/events"
        opened = [stack.enter_context(c.stream("GET", path)) for c in clients[:TOTAL]]  # one each: under 429
        assert [s.status_code for s in opened] == [200] * TOTAL
        with clients[TOTAL].stream("GET", path) as refused:
            refused.read()
            assert refused.status_code == 503 and refused.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert clients[TOTAL].post("/api/conversations", json={}).status_code == 201
        assert clients[TOTAL + 1].get(path.removesuffix("/events")).status_code == 200


def test_a_refused_stream_gives_its_connection_back_at_once(live_server):
    with client_from(live_server) as citizen:
        path = f"/api/conversations/{conversation(citizen)}/events"
        with streams(citizen, path, PER_ADDRESS):
            raw = socket.create_connection(("127.0.0.1", int(live_server.url.rsplit(":", 1)[1])), timeout=3)
            raw.sendall(f"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
            received, started = b"", time.monotonic()
            while chunk := raw.recv(65536):  # until the server closes: no waiting for a keep-alive timeout
                received += chunk
            raw.close()
            assert received.startswith(b"HTTP/1.1 429") and time.monotonic() - started < 2


def test_an_officer_has_a_cap_of_their_own(live_server):
    with Services.of(live_server.app).runtime.sessions() as session:
        first, second = make_officer(session), make_officer(session)
    with client_from(live_server) as one, client_from(live_server) as other:
        log_in(one, first.username)
        log_in(other, second.username)
        with streams(one, "/api/officer/events", PER_OFFICER + 1) as opened:
            assert [s.status_code for s in opened] == [200] * PER_OFFICER + [429]
            with other.stream("GET", "/api/officer/events") as theirs:
                assert theirs.status_code == 200


def test_citizens_streams_never_take_the_officers_slots(live_server):
    with Services.of(live_server.app).runtime.sessions() as session:
        officer = make_officer(session)
    with ExitStack() as stack:
        clients = [stack.enter_context(client_from(live_server, f"127.0.0.{n}")) for n in range(2, 2 + TOTAL)]
        path = f"/api/conversations/{conversation(clients[0])}/events"
        assert all(stack.enter_context(c.stream("GET", path)).status_code == 200 for c in clients)
        staff = stack.enter_context(client_from(live_server))
        log_in(staff, officer.username)
        with staff.stream("GET", "/api/officer/events") as console:
            assert console.status_code == 200


@pytest.fixture
def idle_server(settings, matcher) -> Iterator[LiveServer]:
    """A server whose streams end after 1 s with nothing to send."""
    app = create_app(settings=settings.model_copy(update={"stream_idle_seconds": 1.0}), matcher=matcher)
    with running(app) as url:
        yield LiveServer(url, app)


def test_a_stream_with_nothing_to_send_ends_and_gives_its_slot_back(idle_server):
    live_server = idle_server
    with client_from(live_server) as citizen:
        conversation_id = conversation(citizen)
        path = f"/api/conversations/{conversation_id}/events"
        bus = Services.of(live_server.app).runtime.bus

        def keep_talking() -> None:  # an event every 0.4 s for 2 s: the stream stays open meanwhile
            for n in range(5):
                time.sleep(0.4)
                bus.publish(conversation_topic(conversation_id), {"type": "queue", "case": None, "n": n})

        talker = threading.Thread(target=keep_talking)
        started = time.monotonic()
        with citizen.stream("GET", path) as stream:
            talker.start()
            lines = list(stream.iter_lines())  # ends when the server ends the stream
        lasted = time.monotonic() - started
        talker.join()
        assert sum(line.startswith("data: ") for line in lines) == 5
        assert 2.0 < lasted < 4.5  # the last event at ~2 s, then 1 s of nothing
        assert "retry: 3000" in lines  # the page is told to come back after 3 s
        wait_until(lambda: Services.of(live_server.app).part(Web).citizen_streams.open == 0)
