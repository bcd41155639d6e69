"""The webhook inside `citizen-help serve`: only Telegram, proving itself with the secret-token header, gets in;
the route exists only when TELEGRAM_BOT_TOKEN is set."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from assistant.services import Services
from bench import telegram_updates as updates
from bot.channel import TelegramChannel
from bot.client import webhook_secret
from tests.bot.conftest import SECRET


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                                     {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"}])
def test_a_wrong_or_missing_secret_is_403_and_nothing_is_done(client, telegram, headers):
    response = client.post("/telegram/webhook", json=updates.message("身份证过期了咋换"), headers=headers)

    assert response.status_code == 403
    assert telegram.sent() == []


def test_something_that_is_not_an_update_is_400(client):
    response = client.post("/telegram/webhook", content=b"not json",
                           headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 400


def test_the_right_secret_is_handled(client, telegram):
    response = client.post("/telegram/webhook", json=updates.message("/start"),
                           headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 200
    assert [c.method for c in telegram.sent()] == ["sendMessage"]


def test_without_a_token_there_is_no_telegram_route(settings, matcher):
    plain = settings.model_copy(update={"telegram_bot_token": None})
    with TestClient(create_app(settings=plain, matcher=matcher)) as client:
        assert client.post("/telegram/webhook", json={}).status_code == 404


def test_without_a_configured_secret_one_derived_from_the_token_is_required(settings, matcher, telegram):
    derived = settings.model_copy(update={"telegram_webhook_secret": None})
    with TestClient(create_app(settings=derived, matcher=matcher)) as client:
        assert client.post("/telegram/webhook", json=updates.message("/start")).status_code == 403
        response = client.post("/telegram/webhook", json=updates.message("/start"),
                               headers={"X-Telegram-Bot-Api-Secret-Token": webhook_secret(derived)})
        assert response.status_code == 200


def test_an_empty_configured_secret_does_not_let_in_an_empty_header(settings, matcher, telegram):
    """TELEGRAM_WEBHOOK_SECRET= (empty, as in a half-edited .env) must not make the empty header the secret."""
    empty = settings.model_copy(update={"telegram_webhook_secret": SecretStr("")})
    with TestClient(create_app(settings=empty, matcher=matcher)) as client:
        response = client.post("/telegram/webhook", json=updates.message("/start"),
                               headers={"X-Telegram-Bot-Api-Secret-Token": ""})
    assert response.status_code == 403
    assert telegram.sent() == []


def test_with_the_webhook_disabled_there_is_no_route_but_officers_replies_still_go_out(settings, matcher):
    """TELEGRAM_WEBHOOK_ENABLED=false: `citizen-help bot` polls, and `serve` only delivers."""
    polling = settings.model_copy(update={"telegram_webhook_enabled": False})
    app = create_app(settings=polling, matcher=matcher)
    with TestClient(app) as client:
        response = client.post("/telegram/webhook", json=updates.message("/start"),
                               headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert response.status_code == 404
        assert Services.of(app).part(TelegramChannel).delivery.listening.is_set()


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_an_update_nested_too_deep_is_400_not_a_crash(client, telegram, content_type):
    response = client.post("/telegram/webhook", content=b"[" * 200_000,
                           headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "content-type": content_type})
    assert response.status_code == 400
    assert telegram.sent() == []
