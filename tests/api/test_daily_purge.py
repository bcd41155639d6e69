"""The running service clears personal data older than PERSONAL_DATA_MAX_DAYS by itself, with nobody running
`citizen-help purge`: the first check runs as it starts, then every hour (once a day for all workers)."""

from __future__ import annotations

import datetime as dt
import logging

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from assistant.purge import PURGED
from assistant.services import Services
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import Message
from assistant.store.types import utcnow
from assistant.upkeep import DailyPurge
from bench.backlog import seed


def test_the_service_purges_by_itself(settings, matcher, caplog):
    engine = make_engine(settings.effective_database_url)
    sessions = make_session_factory(engine)
    seed(sessions, 50, at=utcnow() - dt.timedelta(days=settings.personal_data_max_days + 30))
    try:
        with caplog.at_level(logging.INFO, logger="citizen_help.upkeep"), \
                TestClient(create_app(settings=settings, matcher=matcher)) as client:
            Services.of(client.app).part(DailyPurge).checked.wait()  # the first check, which found a purge due
            assert "purged personal data" in caplog.text
            assert client.get("/api/stats").status_code == 200  # serving all along
        with sessions() as session:
            assert set(session.scalars(select(Message.text))) == {PURGED}
        assert "50 messages" in caplog.text
    finally:
        engine.dispose()
