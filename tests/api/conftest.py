"""API fixtures: the app on a fresh SQLite file with the session's matcher, a test client for citizens, logged-in
clients for staff, and a real uvicorn server for live events and the browser."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.runtime import Runtime
from assistant.settings import Settings
from assistant.store.db import make_engine
from assistant.store.models import Base, Officer
from knowledge.matcher import Matcher
from tests.utils.db import sqlite_url
from tests.utils.factories import PASSWORD, make_officer


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    url = sqlite_url(tmp_path)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return Settings(_env_file=None, data_dir=tmp_path, database_url=url)  # type: ignore[call-arg]


@pytest.fixture
def app(settings: Settings, matcher: Matcher) -> FastAPI:
    return create_app(settings=settings, matcher=matcher)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """The citizen's side; entering it starts the app (and its runtime)."""
    with TestClient(app) as client:
        yield client


@pytest.fixture
def runtime(app: FastAPI, client: TestClient) -> Runtime:
    return app.state.runtime


@pytest.fixture
def officer_of(app: FastAPI, runtime: Runtime) -> Callable[..., tuple[TestClient, Officer]]:
    """An officer of the given role, and a client logged in as them (their own cookie jar)."""
    def make(role: str = "officer", on_duty: bool = True, name: str | None = None) -> tuple[TestClient, Officer]:
        with runtime.sessions() as session:
            officer = make_officer(session, role=role, on_duty=on_duty, name=name)
        staff = TestClient(app)  # not entered: shares the running app's state
        response = staff.post("/api/officer/login", json={"username": officer.username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return staff, officer
    return make


@pytest.fixture
def conversation(client: TestClient) -> str:
    response = client.post("/api/conversations", json={})
    assert response.status_code == 201
    return response.json()["id"]


@pytest.fixture
def say(client: TestClient, conversation: str) -> Callable[..., dict]:
    def send(text: str, choice: str | None = None) -> dict:
        body = {"text": text} if choice is None else {"text": text, "choice": choice}
        response = client.post(f"/api/conversations/{conversation}/messages", json=body)
        assert response.status_code == 200, response.text
        return response.json()
    return send


# --- a real server ---

@dataclass(frozen=True)
class LiveServer:
    url: str
    app: FastAPI


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    """uvicorn on a free localhost port, in a thread; open event streams get a second to close at the end."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", app)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
