"""All settings in one place, read from environment variables and an optional .env file."""

from __future__ import annotations

import re
from dataclasses import astuple
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.loader import PACKAGE_DIR as KNOWLEDGE_DIR
from knowledge.loader import load_offices

_DEV_SECRET = "dev-only-secret-change-me"
# Every secret value written anywhere in the repository (defaults, .env.sample, docs): anyone can read them, so
# production refuses each. tests/assistant/test_settings.py finds every such value in the repository's files.
PUBLISHED_SECRETS = frozenset({_DEV_SECRET, "change-me-to-a-long-random-string", "another-random-string",
                               "your-carrier-auth-token"})
MIN_SECRET_BYTES = 32  # SECRET_KEY signs staff sessions: shorter can be guessed offline
SAMPLE_MARK = "示例"
SAMPLE_DUTY_NUMBER = "+86-000-0000-0000"  # as in .env.sample
# What Telegram accepts as a webhook's secret_token, long enough not to be guessed.
_TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")
_TELEGRAM_TOKEN = re.compile(r"[0-9]+:\S+")  # what aiogram accepts: the bot's number, a colon, the key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Path("data")
    database_url: str = ""  # empty: a SQLite file under data_dir
    redis_url: str | None = None
    secret_key: SecretStr = SecretStr(_DEV_SECRET)

    offices_file: Path = KNOWLEDGE_DIR / "offices.sample.yaml"
    model_dir: Path | None = None  # empty: data_dir / "model"

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    # False: `serve` answers no Telegram webhook (`citizen-help bot` polls) yet still delivers officers' replies.
    telegram_webhook_enabled: bool = True
    telegram_pace_seconds: float = Field(default=1.0, ge=0)  # at most one message per chat this often
    # A message Telegram did not take is tried again after this long, then after twice as long each time (at most
    # 30 minutes); one never tried live (the bot was down) is sent this long after it was written.
    telegram_redeliver_seconds: float = Field(default=30.0, gt=0)
    # Every process running the Telegram channel looks this often for messages written by another process (`serve`
    # without the token while `bot` polls, no Redis to carry the live event): they reach the chat within about this.
    telegram_outbox_poll_seconds: float = Field(default=0.5, gt=0)
    twilio_auth_token: SecretStr | None = None
    hotline_enabled: bool = True  # False: no carrier webhooks at all, for an office without a phone line

    # Service hours: when callbacks can be promised (local time of the office).
    timezone: str = "Asia/Shanghai"
    service_start_hour: int = Field(default=9, ge=0, le=23)
    service_end_hour: int = Field(default=17, ge=1, le=24)
    service_days: list[int] = Field(default=[1, 2, 3, 4, 5])  # ISO weekdays, 1 = Monday

    voice_cache_dir: Path | None = None  # empty: data_dir / "voice-cache"
    # The voices: gTTS (Google, online) only when the operator turns it on; the neural Mandarin voice is the offline
    # default (its Baker training data is licensed non-commercially: docs/deploy.md); espeak-ng the last fallback.
    gtts_enabled: bool = False
    gtts_timeout_seconds: float = Field(default=3.0, gt=0)
    gtts_retry_after_seconds: float = Field(default=60.0, ge=0)  # after a gTTS failure, offline voices for this long
    neural_voice_enabled: bool = True  # False: espeak-ng only (e.g. where the Baker licence does not allow the use)
    slow_speech: bool = False  # the slower pace (about 165 characters a minute instead of 200) on every channel
    asr_model_dir: Path | None = None  # a Vosk or sherpa-onnx model; empty: no speech recognition of our own
    hotline_duty_number: str | None = None  # the duty officers' phone, dialled on transfer; empty: the carrier's queue
    hotline_audio_format: Literal["mp3", "wav8k"] = "mp3"  # what the hotline plays to callers
    hotline_slow_speech: bool = False  # the slower pace for everything the hotline says (SLOW_SPEECH: every channel)
    # The local gas company's emergency line, said after 119 in the gas advice; empty or a sample (示例): never said.
    gas_emergency_phone: str | None = None
    # The carrier's code for Cantonese speech recognition (Twilio: yue-Hant-HK; the card's yue-Hans-HK where the carrier
    # takes it): set, the greeting offers it ("讲广东话，请按9"); the voice that answers stays Mandarin.
    hotline_cantonese_language: str | None = None

    # Staff console: a case's timer turns amber, then red, after this many minutes without being resolved.
    sla_amber_minutes: int = Field(default=5, ge=1)
    sla_red_minutes: int = Field(default=15, ge=1)
    # A waiting citizen's estimate, until enough cases were handled recently to measure (assistant/waiting.py).
    queue_default_handling_minutes: int = Field(default=8, ge=1, le=240)
    # Staff sessions live on the server (a table, or Redis with REDIS_URL): one ends after this many minutes without
    # a request from the console, and in any case this many hours after the login.
    staff_idle_minutes: int = Field(default=30, ge=1)
    staff_session_hours: int = Field(default=12, ge=1, le=24 * 7)
    staff_stream_check_seconds: int = Field(default=30, ge=1, le=300)  # an open live stream re-checks its session
    # Failed logins of one name from one address, within the window, before that pair must wait; an address failing
    # across names gets four times as many. Then the wait starts at login_backoff_seconds and doubles with each
    # further failure, up to login_backoff_max_seconds. Nobody is locked out by what others do from elsewhere.
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=10)  # failures are remembered this long
    login_backoff_seconds: int = Field(default=60, ge=1)
    login_backoff_max_seconds: int = Field(default=900, ge=1)
    # Public endpoints (questions, chat messages): per client address within the window; 0 turns the limit off.
    public_max_requests: int = Field(default=60, ge=0)
    public_window_seconds: int = Field(default=60, ge=1)
    # Live event streams (SSE) each hold a connection for as long as they are open; per process, beyond these caps
    # a stream is refused (429 per address or officer, 503 in all) and ordinary requests are unaffected. Under a
    # 1024-descriptor limit the defaults leave over 500 descriptors for everything else, with Redis (a second
    # connection per stream) too; docs/deploy.md says how they were chosen.
    stream_max_per_address: int = Field(default=20, ge=1)
    stream_max_open: int = Field(default=200, ge=1)
    staff_stream_max_per_officer: int = Field(default=5, ge=1)
    staff_stream_max_open: int = Field(default=50, ge=1)
    stream_idle_seconds: float = Field(default=300, gt=0)  # a stream with nothing to send ends; the page reconnects
    # Larger request bodies are refused (413); room for the longest chat message (api/schemas.MAX_BODY_TEXT) as \uXXXX.
    max_request_bytes: int = Field(default=1024 * 1024, ge=1024)

    # The hard maximum age of citizens' personal data (words, case summaries, notes, callback numbers, phones,
    # channel identities), whatever a case's status: `serve` clears what is older once a day, `purge` no less.
    personal_data_max_days: int = Field(default=365, ge=1)

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'citizen-help.db').resolve()}"

    @property
    def effective_model_dir(self) -> Path:
        return self.model_dir or self.data_dir / "model"

    @property
    def gas_line(self) -> str | None:
        """The gas company's line to tell citizens: None while unset or still the sample (示例)."""
        phone = (self.gas_emergency_phone or "").strip()
        return phone if phone and SAMPLE_MARK not in phone else None


def _set(secret: SecretStr | None) -> str:
    return secret.get_secret_value() if secret is not None else ""


def unsafe_to_serve(settings: Settings) -> list[str]:
    """In production, each secret anyone could know or guess, each sample value still set, and each webhook `serve`
    would answer without a secret of its own, one line per setting: `serve` and create_app refuse to start on any."""
    if settings.environment != "production":
        return []
    problems = _published_secrets(settings)
    secret_key = settings.secret_key.get_secret_value()
    if secret_key not in PUBLISHED_SECRETS and len(secret_key.encode()) < MIN_SECRET_BYTES:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_BYTES} bytes: it signs staff sessions, and a short "
                        "one can be guessed. Make one with: python3 -c 'import secrets; "
                        "print(secrets.token_urlsafe(32))'")
    problems += sample_values(settings)
    if settings.hotline_enabled and not _set(settings.twilio_auth_token):
        problems.append("TWILIO_AUTH_TOKEN is not set: the hotline would believe unsigned webhooks. "
                        "Set it, or HOTLINE_ENABLED=false.")
    if settings.telegram_bot_token is not None and settings.telegram_webhook_enabled:
        secret = _set(settings.telegram_webhook_secret)
        if not secret:
            # A secret derived from the token falls with the token, which travels in every Bot API address.
            problems.append("TELEGRAM_WEBHOOK_SECRET is not set: the Telegram webhook would believe anyone who has "
                            "the bot token. Set it and register the webhook again (citizen-help bot --webhook-url), "
                            "or TELEGRAM_WEBHOOK_ENABLED=false when `citizen-help bot` polls.")
        elif not _TELEGRAM_SECRET.fullmatch(secret):
            problems.append("TELEGRAM_WEBHOOK_SECRET must be 16 to 256 letters, digits, _ or -: "
                            "a short secret can be guessed, and Telegram refuses other characters.")
    return problems


def _published_secrets(settings: Settings) -> list[str]:
    named = {"SECRET_KEY": settings.secret_key, "TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
             "TELEGRAM_WEBHOOK_SECRET": settings.telegram_webhook_secret}
    return [f"{name} is a sample value published in the project's files: anyone can read it. Set a secret of "
            "your own." for name, secret in named.items() if _set(secret) in PUBLISHED_SECRETS]


def sample_values(settings: Settings) -> list[str]:
    """The settings still holding the project's sample values (marked 示例), one line each naming what to set."""
    found = []
    offices = load_offices(settings.offices_file)
    if sample := sorted(key for key, office in offices.items() if SAMPLE_MARK in "".join(astuple(office))):
        found.append(f"OFFICES_FILE ({settings.offices_file.name}) still holds sample addresses, hours or phones "
                     f"(示例) for {len(sample)} offices ({', '.join(sample[:3])}…): point OFFICES_FILE at your "
                     "office's own file.")
    if settings.hotline_duty_number == SAMPLE_DUTY_NUMBER:
        found.append("HOTLINE_DUTY_NUMBER is the sample number from .env.sample: set your duty officers' line.")
    if SAMPLE_MARK in (settings.gas_emergency_phone or ""):
        found.append("GAS_EMERGENCY_PHONE is a sample (示例): set the gas company's real emergency line, or unset it.")
    return found


def without_broken_channels(settings: Settings) -> tuple[Settings, list[str]]:
    """The settings with each channel whose own settings are wrong switched off, and one line for each: a bad
    Telegram token must not take the web chat and the hotline down with it."""
    token = _set(settings.telegram_bot_token)
    if settings.telegram_bot_token is None or _TELEGRAM_TOKEN.fullmatch(token):
        return settings, []
    problem = ("TELEGRAM_BOT_TOKEN is not a bot token (it looks like 123456789:AAE…, as @BotFather gives it): "
               "the Telegram channel is off until it is corrected; the web chat and the hotline serve.")
    return settings.model_copy(update={"telegram_bot_token": None}), [problem]


class UnsafeSettings(RuntimeError):
    """Settings `serve` must not run with (see unsafe_to_serve)."""


@lru_cache
def get_settings() -> Settings:
    return Settings()
