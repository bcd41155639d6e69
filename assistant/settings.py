"""All settings in one place, read from environment variables and an optional .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.loader import PACKAGE_DIR as KNOWLEDGE_DIR

_DEV_SECRET = "dev-only-secret-change-me"


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
    telegram_pace_seconds: float = Field(default=1.0, ge=0)  # at most one message per chat this often
    # A message Telegram did not take is tried again after this long, then after twice as long each time (at most
    # 30 minutes); one never tried live (the bot was down) is sent this long after it was written.
    telegram_redeliver_seconds: float = Field(default=30.0, gt=0)
    twilio_auth_token: SecretStr | None = None

    # Service hours: when callbacks can be promised (local time of the office).
    timezone: str = "Asia/Shanghai"
    service_start_hour: int = Field(default=9, ge=0, le=23)
    service_end_hour: int = Field(default=17, ge=1, le=24)
    service_days: list[int] = Field(default=[1, 2, 3, 4, 5])  # ISO weekdays, 1 = Monday

    voice_cache_dir: Path | None = None  # empty: data_dir / "voice-cache"
    gtts_enabled: bool = True  # False: offline voice only
    gtts_timeout_seconds: float = 5.0
    asr_model_dir: Path | None = None  # a Vosk or sherpa-onnx model; empty: no speech recognition of our own
    hotline_duty_number: str | None = None  # the duty officers' phone, dialled on transfer; empty: the carrier's queue
    hotline_audio_format: Literal["mp3", "wav8k"] = "mp3"  # what the hotline plays to callers
    hotline_slow_speech: bool = False  # the slower pace (gTTS slow mode) for everything the hotline says

    # Staff console: a case's timer turns amber, then red, after this many minutes without being resolved.
    sla_amber_minutes: int = Field(default=5, ge=1)
    sla_red_minutes: int = Field(default=15, ge=1)
    login_max_failures: int = Field(default=5, ge=1)  # per user name, within the window; then logins wait
    login_window_seconds: int = Field(default=900, ge=10)
    # Public endpoints (questions, chat messages): per client address within the window; 0 turns the limit off.
    public_max_requests: int = Field(default=60, ge=0)
    public_window_seconds: int = Field(default=60, ge=1)
    # Larger request bodies are refused (413); room for the longest chat message (api/schemas.MAX_BODY_TEXT) as \uXXXX.
    max_request_bytes: int = Field(default=1024 * 1024, ge=1024)

    @model_validator(mode="after")
    def _refuse_sample_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key.get_secret_value() == _DEV_SECRET:
            raise ValueError("SECRET_KEY must be set to a real secret when ENVIRONMENT=production")
        return self

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'citizen-help.db').resolve()}"

    @property
    def effective_model_dir(self) -> Path:
        return self.model_dir or self.data_dir / "model"


@lru_cache
def get_settings() -> Settings:
    return Settings()
