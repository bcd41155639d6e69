"""In production the service refuses to start on a secret anyone could know or guess, on a sample value still set,
or when a webhook it answers would believe requests nobody signed: one line per setting, naming it and what to do."""

from __future__ import annotations

import re
import secrets
import subprocess
from pathlib import Path
from typing import Any

import pytest

from assistant.settings import SAMPLE_DUTY_NUMBER, Settings, sample_values, unsafe_to_serve

CARRIER_TOKEN = secrets.token_hex(16)
BOT_TOKEN = "123456:TEST-token"
WEBHOOK_SECRET = secrets.token_urlsafe(24)
REPO = Path(__file__).resolve().parents[2]
SECRET_SETTINGS = ("SECRET_KEY", "TWILIO_AUTH_TOKEN", "TELEGRAM_WEBHOOK_SECRET")


@pytest.fixture
def production(own_offices_file: Path):
    """Production settings that are safe but for what a test gives."""
    def make(**settings: Any) -> Settings:
        chosen = {"secret_key": secrets.token_urlsafe(32), "offices_file": own_offices_file} | settings
        return Settings(_env_file=None, environment="production", **chosen)  # type: ignore[call-arg]
    return make


def test_production_without_a_carrier_token_is_refused_naming_the_setting_and_the_way_out(production):
    [problem] = unsafe_to_serve(production())
    assert problem == ("TWILIO_AUTH_TOKEN is not set: the hotline would believe unsigned webhooks. "
                       "Set it, or HOTLINE_ENABLED=false.")


def test_an_empty_carrier_token_counts_as_none(production):
    assert unsafe_to_serve(production(twilio_auth_token="")) == unsafe_to_serve(production())


def test_an_office_without_a_phone_line_runs_production_without_a_carrier_token(production):
    assert unsafe_to_serve(production(hotline_enabled=False)) == []
    assert unsafe_to_serve(production(twilio_auth_token=CARRIER_TOKEN)) == []


@pytest.mark.parametrize("secret", [None, ""], ids=["unset", "empty"])
def test_a_telegram_webhook_in_production_needs_a_secret_of_its_own_not_one_derived_from_the_token(production,
                                                                                                   secret):
    [problem] = unsafe_to_serve(production(twilio_auth_token=CARRIER_TOKEN, telegram_bot_token=BOT_TOKEN,
                                           telegram_webhook_secret=secret))
    assert problem.startswith("TELEGRAM_WEBHOOK_SECRET is not set: ")
    assert "TELEGRAM_WEBHOOK_ENABLED=false" in problem


@pytest.mark.parametrize("secret", ["short-secret", "x" * 257, "spaces are not allowed here", "密钥" * 8])
def test_a_guessable_or_malformed_telegram_secret_is_refused(production, secret):
    [problem] = unsafe_to_serve(production(twilio_auth_token=CARRIER_TOKEN, telegram_bot_token=BOT_TOKEN,
                                           telegram_webhook_secret=secret))
    assert problem.startswith("TELEGRAM_WEBHOOK_SECRET must be 16 to 256 letters, digits, _ or -")


def test_a_telegram_secret_of_its_own_or_polling_instead_of_the_webhook_is_accepted(production):
    safe = {"twilio_auth_token": CARRIER_TOKEN, "telegram_bot_token": BOT_TOKEN}
    assert unsafe_to_serve(production(**safe, telegram_webhook_secret=WEBHOOK_SECRET)) == []
    assert unsafe_to_serve(production(**safe, telegram_webhook_enabled=False)) == []


def test_every_problem_is_named_at_once(production):
    problems = unsafe_to_serve(production(telegram_bot_token=BOT_TOKEN))
    assert [p.split(" ")[0] for p in problems] == ["TWILIO_AUTH_TOKEN", "TELEGRAM_WEBHOOK_SECRET"]


def test_development_runs_as_before_without_any_secret():
    laptop = Settings(_env_file=None, telegram_bot_token=BOT_TOKEN)  # type: ignore[call-arg]
    assert unsafe_to_serve(laptop) == []


def _published_values() -> set[tuple[str, str]]:
    """Every `SECRET=value` written in the repository's docs, samples and configuration (not in code)."""
    files = subprocess.run(["git", "ls-files", "*.md", "*.sample", "*.toml", "*.yaml", "*.yml", "*.service",
                            "*.conf", "*.cfg", ".ci/*", "scripts/*"],
                           cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    pattern = re.compile(rf"\b({'|'.join(SECRET_SETTINGS)})=([^\s#'\"]+)")
    return {match.groups() for name in files
            for match in pattern.finditer((REPO / name).read_text(encoding="utf-8", errors="replace"))}


def test_the_repository_publishes_sample_secrets_and_the_scan_finds_them():
    found = _published_values()
    assert ("SECRET_KEY", "change-me-to-a-long-random-string") in found  # .env.sample: the scan really reads files


@pytest.mark.parametrize("name,value", sorted(_published_values()) + [("SECRET_KEY", "dev-only-secret-change-me")])
def test_every_secret_written_in_the_repository_is_refused_in_production(production, name, value):
    """An .env copied from .env.sample or the docs, uncommented, must not run: the values are public."""
    telegram = {"telegram_bot_token": BOT_TOKEN} if name == "TELEGRAM_WEBHOOK_SECRET" else {}
    problems = unsafe_to_serve(production(**({"twilio_auth_token": CARRIER_TOKEN} | telegram | {name.lower(): value})))
    assert any(p.startswith(f"{name} ") for p in problems), problems


@pytest.mark.parametrize("length", [8, 20, 31])
def test_a_short_secret_key_is_refused_with_a_way_to_make_a_good_one(production, length):
    [problem] = unsafe_to_serve(production(secret_key="k" * length, twilio_auth_token=CARRIER_TOKEN))
    assert problem.startswith("SECRET_KEY is shorter than 32 bytes")
    assert "secrets.token_urlsafe" in problem


def test_the_sample_offices_are_refused_in_production_naming_the_setting(production):
    from knowledge.loader import PACKAGE_DIR

    [problem] = unsafe_to_serve(production(offices_file=PACKAGE_DIR / "offices.sample.yaml",
                                           twilio_auth_token=CARRIER_TOKEN))
    assert problem.startswith("OFFICES_FILE (offices.sample.yaml) still holds sample")
    assert "示例" in problem


def test_the_sample_duty_number_is_refused_in_production(production):
    [problem] = unsafe_to_serve(production(hotline_duty_number=SAMPLE_DUTY_NUMBER, twilio_auth_token=CARRIER_TOKEN))
    assert problem.startswith("HOTLINE_DUTY_NUMBER is the sample number")


def test_in_development_the_sample_values_are_named_but_do_not_stop_the_service():
    laptop = Settings(_env_file=None)  # type: ignore[call-arg]
    assert unsafe_to_serve(laptop) == []
    assert [line.split(" ")[0] for line in sample_values(laptop)] == ["OFFICES_FILE"]
