"""Many citizens at once on a real server: every one gets an answer, even with far more requests in flight than
the pool has database connections (none waits on a connection held by a request that waits for a thread)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from assistant import services
from assistant.settings import Settings
from assistant.store import db
from knowledge.matcher import Matcher

CITIZENS = 60  # more than the worker threads (40) and the connections (2 here) together


@pytest.fixture
def app(settings: Settings, matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    """The app with a pool of two connections."""
    monkeypatch.setattr(db, "POOL_SIZE", 2)
    monkeypatch.setattr(db, "MAX_OVERFLOW", 0)
    monkeypatch.setattr(services, "REQUEST_SESSIONS", 1)
    monkeypatch.setattr(services, "SQLITE_REQUEST_SESSIONS", 1)
    return create_app(settings=settings, matcher=matcher)


async def test_sixty_citizens_at_once_all_get_their_answer(live_server):
    async with httpx.AsyncClient(base_url=live_server.url, timeout=20) as http:
        conversations = [(await http.post("/api/conversations", json={})).json()["id"] for _ in range(CITIZENS)]

        async def ask(conversation: str) -> int:
            response = await http.post(f"/api/conversations/{conversation}/messages", json={"text": "身份证丢了咋补"})
            return response.status_code

        statuses = await asyncio.wait_for(asyncio.gather(*(ask(c) for c in conversations)), timeout=25)
    assert statuses == [200] * CITIZENS
