"""When the database is down the citizen reads "系统有点忙，请稍后再试", the log gets the error, no one a stack trace.
"""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant import texts
from assistant.settings import Settings

# Nothing listens on port 1: every connection is refused, like a database server that is down.
UNREACHABLE = "postgresql+psycopg://citizen@127.0.0.1:1/citizen_help?connect_timeout=2"


@pytest.fixture
def down(tmp_path, matcher):
    settings = Settings(_env_file=None, data_dir=tmp_path, database_url=UNREACHABLE)  # type: ignore[call-arg]
    with TestClient(create_app(settings=settings, matcher=matcher)) as client:
        yield client


def test_the_citizen_is_told_to_try_again_later(down, caplog):
    with caplog.at_level(logging.ERROR, logger="citizen_help.api"):
        response = down.post("/api/conversations", json={})
    assert response.status_code == 503
    assert response.json() == {"detail": texts.BUSY}
    assert "Traceback" not in response.text and "psycopg" not in response.text
    assert "database error on POST /api/conversations" in caplog.text


def test_what_needs_no_database_still_works(down):
    assert down.get("/").status_code == 200
    assert down.post("/api/ask", json={"text": "身份证过期了咋换"}).json()["label"] == "id-card-renewal"
