"""In production the service refuses to start when a webhook it answers would believe requests nobody signed: one
line per setting, naming it and what to do."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.settings import Settings, unsafe_to_serve

CARRIER_TOKEN = "0123456789abcdef0123456789abcdef"
BOT_TOKEN = "123456:TEST-token"
WEBHOOK_SECRET = "a-long-random-webhook-secret_42"


def production(**settings: Any) -> Settings:
    return Settings(_env_file=None, environment="production", secret_key="a real secret, long and random",  # type: ignore[call-arg]
                    **settings)


def test_production_without_a_carrier_token_is_refused_naming_the_setting_and_the_way_out():
    [problem] = unsafe_to_serve(production())
    assert problem == ("TWILIO_AUTH_TOKEN is not set: the hotline would believe unsigned webhooks. "
                       "Set it, or HOTLINE_ENABLED=false.")


def test_an_empty_carrier_token_counts_as_none():
    assert unsafe_to_serve(production(twilio_auth_token="")) == unsafe_to_serve(production())


def test_an_office_without_a_phone_line_runs_production_without_a_carrier_token():
    assert unsafe_to_serve(production(hotline_enabled=False)) == []
    assert unsafe_to_serve(production(twilio_auth_token=CARRIER_TOKEN)) == []


@pytest.mark.parametrize("secret", [None, ""], ids=["unset", "empty"])
def test_a_telegram_webhook_in_production_needs_a_secret_of_its_own_not_one_derived_from_the_token(secret):
    [problem] = unsafe_to_serve(production(twilio_auth_token=CARRIER_TOKEN, telegram_bot_token=BOT_TOKEN,
                                           telegram_webhook_secret=secret))
    assert problem.startswith("TELEGRAM_WEBHOOK_SECRET is not set: ")
    assert "TELEGRAM_WEBHOOK_ENABLED=false" in problem


@pytest.mark.parametrize("secret", ["short-secret", "x" * 257, "spaces are not allowed here", "密钥" * 8])
def test_a_guessable_or_malformed_telegram_secret_is_refused(secret):
    [problem] = unsafe_to_serve(production(twilio_auth_token=CARRIER_TOKEN, telegram_bot_token=BOT_TOKEN,
                                           telegram_webhook_secret=secret))
    assert problem.startswith("TELEGRAM_WEBHOOK_SECRET must be 16 to 256 letters, digits, _ or -")


def test_a_telegram_secret_of_its_own_or_polling_instead_of_the_webhook_is_accepted():
    safe = {"twilio_auth_token": CARRIER_TOKEN, "telegram_bot_token": BOT_TOKEN}
    assert unsafe_to_serve(production(**safe, telegram_webhook_secret=WEBHOOK_SECRET)) == []
    assert unsafe_to_serve(production(**safe, telegram_webhook_enabled=False)) == []


def test_every_problem_is_named_at_once():
    problems = unsafe_to_serve(production(telegram_bot_token=BOT_TOKEN))
    assert [p.split(" ")[0] for p in problems] == ["TWILIO_AUTH_TOKEN", "TELEGRAM_WEBHOOK_SECRET"]


def test_development_runs_as_before_without_any_secret():
    laptop = Settings(_env_file=None, telegram_bot_token=BOT_TOKEN)  # type: ignore[call-arg]
    assert unsafe_to_serve(laptop) == []
