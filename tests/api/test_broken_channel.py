"""A channel whose own setting is wrong is switched off and said so; the web chat and the hotline still serve."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from assistant.settings import Settings


@pytest.mark.parametrize("token", ["not-a-token", "123456", "abc:def", "123 456:AAE"])
def test_a_malformed_telegram_token_switches_telegram_off_and_the_rest_serves(settings: Settings, matcher, caplog,
                                                                              token):
    broken = settings.model_copy(update={"telegram_bot_token": SecretStr(token)})

    with caplog.at_level(logging.WARNING), TestClient(create_app(broken, matcher)) as client:
        assert client.post("/api/conversations", json={}).status_code == 201
        call = {"CallSid": "CA1", "From": "+8613800000000"}
        assert client.post("/voice/twilio/incoming", data=call).status_code == 200
        assert client.post("/telegram/webhook", json={}).status_code == 404

    assert any(r.getMessage().startswith("TELEGRAM_BOT_TOKEN is not a bot token") for r in caplog.records)
