"""Engine fixtures: a runtime on a fresh database (SQLite, or PostgreSQL: see tests/utils/db.py), with the
session's trained matcher and a hand-moved clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from assistant.runtime import Runtime, build
from assistant.settings import Settings
from assistant.store.models import Base, Officer
from knowledge.matcher import Matcher
from tests.utils.chat import Chat
from tests.utils.clock import FakeClock
from tests.utils.factories import make_officer


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, fresh_db_url: str) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, database_url=fresh_db_url)  # type: ignore[call-arg]


@pytest.fixture
def runtime(settings: Settings, matcher: Matcher, clock: FakeClock) -> Iterator[Runtime]:
    runtime = build(settings, matcher, clock=clock)
    Base.metadata.create_all(runtime.engine)
    yield runtime
    runtime.close()


@pytest.fixture
def session(runtime: Runtime) -> Iterator[Session]:
    with runtime.sessions() as session:
        yield session


@pytest.fixture
def chat(runtime: Runtime, session: Session) -> Chat:
    return Chat(runtime, session)


@pytest.fixture
def on_duty(session: Session) -> Officer:
    """An officer on duty: without one, a citizen handed over is offered a callback."""
    return make_officer(session, name="王芳")
