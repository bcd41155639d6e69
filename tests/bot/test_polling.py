"""`citizen-help bot`: long polling for a laptop, or --webhook-url to register the webhook `serve` answers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from assistant import texts as engine_texts
from assistant.settings import get_settings
from bench import telegram_updates as updates
from bench.telegram_standin import TOKEN
from bot.polling import ALLOWED_UPDATES, run_polling
from cli import app
from tests.bot.conftest import SECRET


async def test_long_polling_removes_any_webhook_then_answers_updates(make_channel, telegram):
    channel = make_channel()
    telegram.push_update(updates.message("/start"))
    polling = asyncio.create_task(run_polling(channel, handle_signals=False))

    [greeting] = await asyncio.to_thread(telegram.wait_for, "sendMessage")
    await channel.dispatcher.stop_polling()
    await polling

    assert greeting.text == engine_texts.GREETING
    methods = [c.method for c in telegram.sent()]
    assert methods[0] == "deleteWebhook" and "getUpdates" in methods


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path, model_dir) -> Iterator[CliRunner]:
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MODEL_DIR", str(model_dir))
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "TELEGRAM_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_bot_without_a_token_says_what_to_set(cli):
    result = cli.invoke(app, ["bot"])
    assert result.exit_code == 2
    assert "TELEGRAM_BOT_TOKEN" in result.output


def test_webhook_url_registers_the_webhook_with_its_secret(cli, monkeypatch, telegram):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_URL", telegram.url)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)

    result = cli.invoke(app, ["bot", "--webhook-url", "https://help.example.org/telegram/webhook"])

    assert result.exit_code == 0, result.output
    [registered] = telegram.sent("setWebhook")
    assert registered.params["url"] == "https://help.example.org/telegram/webhook"
    assert registered.params["secret_token"] == SECRET
    assert json.loads(registered.params["allowed_updates"]) == ALLOWED_UPDATES


def test_a_malformed_token_is_one_line_naming_it(cli, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not-a-token")

    result = cli.invoke(app, ["bot"])

    assert result.exit_code == 2
    assert result.output.startswith("citizen-help: TELEGRAM_BOT_TOKEN is not a bot token")
    assert "Traceback" not in result.output


def test_a_telegram_that_cannot_be_reached_is_not_called_a_refusal(cli, monkeypatch):
    """Nothing listens on the port (and no DNS or network is needed to find that out)."""
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_URL", f"http://127.0.0.1:{port}")

    result = cli.invoke(app, ["bot", "--webhook-url", "https://help.example.org/telegram/webhook"])

    assert result.exit_code == 2
    assert result.output.startswith(f"citizen-help: cannot reach Telegram at http://127.0.0.1:{port}")
    assert "Telegram refused" not in result.output
