"""`citizen-help serve` upgrades the database itself and runs one or several workers; `citizen-help officer add`
makes a login."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import create_engine, inspect

from assistant import auth, migrate
from assistant.matching import served_knowledge
from assistant.settings import get_settings
from assistant.store import additions as addition_store
from assistant.store import officers as officer_store
from assistant.store.db import make_engine, make_session_factory
from cli import app
from cli.server_lock import only_server, sqlite_lock_path
from knowledge.matcher import MatcherConfig, model_path
from tests.utils.factories import make_officer


def test_serve_upgrades_the_schema_then_runs_uvicorn(cli, tmp_path: Path, monkeypatch):
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app, **options))

    result = cli.invoke(app, ["serve", "--host", "127.0.0.1", "--port", "8123"])

    assert result.exit_code == 0, result.output
    assert (started["host"], started["port"]) == ("127.0.0.1", 8123)
    engine = create_engine(get_settings().effective_database_url)
    assert {"cases", "case_events", "messages", "officers", "callbacks"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_several_workers_need_redis_for_live_events(cli, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: pytest.fail("must not start"))

    result = cli.invoke(app, ["serve", "--workers", "2"])

    assert result.exit_code == 2
    assert "--workers 2 needs REDIS_URL" in result.output


@pytest.fixture
def taught(cli):
    """A migrated database where a supervisor attached a question to a guide."""
    settings = get_settings()
    migrate.upgrade(settings.effective_database_url)
    engine = make_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        supervisor = make_officer(session, role="supervisor", username="zuzhang")
        addition_store.add_question(session, text="身份证快到期了提前多久能换", label="id-card-renewal",
                                    officer=supervisor)
        session.commit()
    engine.dispose()
    get_settings.cache_clear()  # the test changes the environment next


def test_several_workers_each_build_the_app_from_the_settings(cli, monkeypatch, taught, tmp_path):
    """uvicorn imports the factory in every worker; the model they serve (guides and staff additions) was cached
    first, so no worker trains."""
    monkeypatch.setenv("REDIS_URL", "redis://localhost:6379/0")
    monkeypatch.setenv("MODEL_DIR", str(tmp_path / "model"))  # trained here: not into the test run's shared cache
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app, **options))

    result = cli.invoke(app, ["serve", "--workers", "3"])

    assert result.exit_code == 0, result.output
    assert (started["app"], started["factory"], started["workers"]) == ("api.app:create_app", True, 3)
    settings = get_settings()
    served = served_knowledge(settings)
    assert "身份证快到期了提前多久能换" in served.guides["id-card-renewal"].questions
    assert model_path(settings.effective_model_dir, served, MatcherConfig()).exists()


def test_officer_add_reads_the_password_from_stdin(cli):
    result = cli.invoke(app, ["officer", "add", "wangfang", "--role", "supervisor", "--name", "王芳"],
                        input="a long enough password\n")
    assert result.exit_code == 0, result.output
    engine = make_engine(get_settings().effective_database_url)
    with make_session_factory(engine)() as session:
        officer = auth.authenticate(session, username="wangfang", password="a long enough password")
        assert officer is not None and (officer.role, officer.name) == ("supervisor", "王芳")
        assert officer_store.count_on_duty(session) == 0
    engine.dispose()


def test_officer_add_refuses_an_unknown_role_and_a_short_password(cli):
    assert cli.invoke(app, ["officer", "add", "x", "--role", "boss"], input="a long enough password\n").exit_code == 2
    assert cli.invoke(app, ["officer", "add", "x"], input="short\n").exit_code == 2


def test_officer_add_refuses_a_taken_username(cli):
    assert cli.invoke(app, ["officer", "add", "wangfang"], input="a long enough password\n").exit_code == 0
    result = cli.invoke(app, ["officer", "add", "wangfang"], input="another password\n")
    assert result.exit_code == 2
    assert "already exists" in result.output


@pytest.fixture
def in_production(monkeypatch: pytest.MonkeyPatch, own_offices_file: Path) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(32))
    monkeypatch.setenv("OFFICES_FILE", str(own_offices_file))
    for name in ("TWILIO_AUTH_TOKEN", "HOTLINE_ENABLED", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET",
                 "TELEGRAM_WEBHOOK_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: pytest.fail("must not start"))


def test_serve_in_production_refuses_a_hotline_without_a_carrier_token(cli, in_production, monkeypatch):
    result = cli.invoke(app, ["serve"])

    assert result.exit_code == 2
    assert result.output.strip() == ("citizen-help: TWILIO_AUTH_TOKEN is not set: the hotline would believe unsigned "
                                     "webhooks. Set it, or HOTLINE_ENABLED=false.")


def test_serve_in_production_refuses_a_telegram_webhook_without_its_own_secret(cli, in_production, monkeypatch):
    monkeypatch.setenv("HOTLINE_ENABLED", "false")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-token")

    result = cli.invoke(app, ["serve"])

    assert result.exit_code == 2
    assert result.output.startswith("citizen-help: TELEGRAM_WEBHOOK_SECRET is not set")


def test_serve_in_production_with_every_webhook_secret_starts(cli, in_production, monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "0123456789abcdef0123456789abcdef")
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app))

    result = cli.invoke(app, ["serve"])

    assert result.exit_code == 0, result.output
    assert "app" in started


def test_create_app_refuses_the_same_settings(in_production, tmp_path: Path):
    from api.app import create_app
    from assistant.settings import Settings, UnsafeSettings

    with pytest.raises(UnsafeSettings, match="TWILIO_AUTH_TOKEN is not set"):
        create_app(Settings(_env_file=None, data_dir=tmp_path))  # type: ignore[call-arg]


def test_serve_renders_the_hotline_prompts_ahead_of_time(cli, monkeypatch):
    from voice import prompts
    from voice.speech.shared import shared_speaker

    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    result = cli.invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert f"voice: fastspeech2-baker, espeak-ng; the hotline's {len(prompts.PROMPTS)} prompts ready" in result.output
    settings = get_settings()
    speaker = shared_speaker(settings)
    found = speaker.find(prompts.GREETING, settings.hotline_audio_format)
    assert found is not None and found.voice == "fastspeech2-baker"  # the first caller waits for nothing


def test_serve_warns_when_a_voice_is_unavailable(cli, monkeypatch, tmp_path: Path):
    from voice.speech import neural

    monkeypatch.setattr(neural, "MODELS", tmp_path / "no-models")
    monkeypatch.setattr(neural.NeuralVoice.__init__, "__defaults__", (tmp_path / "no-models",))
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    result = cli.invoke(app, ["serve"])
    assert result.exit_code == 0, result.output  # espeak-ng still speaks: the service starts
    assert "citizen-help: warning: voice fastspeech2-baker is unavailable: the neural voice's model files are " \
           "missing" in result.output
    assert "voice: espeak-ng;" in result.output


def test_serve_in_production_refuses_a_secret_key_copied_from_the_sample(cli, in_production, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "change-me-to-a-long-random-string")
    monkeypatch.setenv("HOTLINE_ENABLED", "false")

    result = cli.invoke(app, ["serve"])

    assert result.exit_code == 2
    assert result.output.startswith("citizen-help: SECRET_KEY is a sample value published in the project's files")


def test_serve_on_a_laptop_names_the_sample_values_still_set(cli, monkeypatch):
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)

    result = cli.invoke(app, ["serve"])

    assert result.exit_code == 0, result.output
    assert "citizen-help: note: OFFICES_FILE (offices.sample.yaml) still holds sample" in result.output


def test_a_second_serve_on_the_same_sqlite_file_without_redis_refuses_saying_why(cli, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: pytest.fail("must not start"))
    get_settings.cache_clear()
    lock = sqlite_lock_path(get_settings().effective_database_url)
    if lock is None:
        pytest.skip("the lock is for SQLite files (this run's database is PostgreSQL)")

    with only_server(lock):  # the first server, still running
        result = cli.invoke(app, ["serve"])

    assert result.exit_code == 2
    assert "another citizen-help serve already uses" in result.output and "REDIS_URL" in result.output


def test_serve_passes_the_proxy_addresses_it_may_believe(cli, monkeypatch):
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options))

    assert cli.invoke(app, ["serve", "--forwarded-allow-ips", "10.0.0.5"]).exit_code == 0
    assert started["forwarded_allow_ips"] == "10.0.0.5" and started["proxy_headers"] is True
