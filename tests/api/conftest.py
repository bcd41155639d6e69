"""API fixtures: the app on a fresh database (SQLite, or PostgreSQL: see tests/utils/db.py) with the session's
matcher, a test client for citizens, logged-in clients for staff, and a real uvicorn server for live events and
the browser."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from assistant.runtime import Runtime
from assistant.settings import Settings
from assistant.store.db import make_engine
from assistant.store.models import Base, Officer
from tests.utils.browser import ARGS, CHROMIUM
from tests.utils.factories import make_officer
from tests.utils.officer_login import log_in
from tests.utils.server import running


@pytest.fixture
def settings(tmp_path: Path, fresh_db_url: str) -> Settings:
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    # Tests send many messages from one address: the public rate limit is off here (tests/api/test_limits.py).
    return Settings(_env_file=None, data_dir=tmp_path, database_url=fresh_db_url,  # type: ignore[call-arg]
                    public_max_requests=0)


@pytest.fixture
def officer_of(app: FastAPI, runtime: Runtime) -> Callable[..., tuple[TestClient, Officer]]:
    """An officer of the given role, and a client logged in as them (their own cookie jar)."""
    def make(role: str = "officer", on_duty: bool = True, name: str | None = None) -> tuple[TestClient, Officer]:
        with runtime.sessions() as session:
            officer = make_officer(session, role=role, on_duty=on_duty, name=name)
        staff = TestClient(app)  # not entered: shares the running app's state
        log_in(staff, officer.username)
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
    with running(app) as url:
        yield LiveServer(url, app)


# --- a real browser ---

@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests skipped: {CHROMIUM} is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser: Browser, live_server: LiveServer) -> Iterator[Callable[[int, int], Page]]:
    """A page in its own browser context, closed after the test even when it fails, and before the server stops:
    its live event stream ends with it."""
    contexts: list[BrowserContext] = []

    def make(width: int, height: int) -> Page:
        contexts.append(browser.new_context(viewport={"width": width, "height": height}))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()
