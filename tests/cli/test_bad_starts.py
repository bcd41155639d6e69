"""A newcomer's or an operator's first mistakes: each is one or two lines on stderr beginning `citizen-help:`,
naming the setting or path and what to do, with exit code 2 — never a wall of traceback. --debug keeps the
traceback for whoever must see it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import uvicorn

from assistant.settings import get_settings
from cli import main

CITIZEN_HELP = Path(sys.executable).with_name("citizen-help")


@pytest.fixture
def run(cli, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """`citizen-help ARGS` as the console script runs it (main()), with the cli fixture's scratch settings: its exit
    code and what it wrote on stderr. The server itself never starts."""
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)

    def invoke(*args: str, **env: str) -> tuple[int, str]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        monkeypatch.setattr(sys, "argv", ["citizen-help", *args])
        with pytest.raises(SystemExit) as ended:
            main()
        return ended.value.code, capsys.readouterr().err
    return invoke


def errors_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("citizen-help:") and ": note:" not in line]


@pytest.mark.parametrize("url,says", [
    ("postgresql+psycopg://citizen:hunter2@127.0.0.1:1/x", "cannot reach the database"),
    ("postgresql+psycopg://citizen:hunter2@no-such-host.invalid/x", "cannot reach the database"),
    ("postgres://citizen:hunter2@localhost/x", "is not a database address this service can use"),
    ("mysql://citizen:hunter2@localhost/x", "is not a database address this service can use"),
    ("::not a url::", "is not a database address this service can use"),
], ids=["refused", "unknown-host", "postgres-scheme", "mysql", "unparseable"])
def test_a_wrong_database_url_is_one_line_naming_it_without_its_password(run, url, says):
    code, stderr = run("serve", DATABASE_URL=url)

    assert code == 2
    [line] = errors_of(stderr)
    assert says in line and "Traceback" not in stderr
    assert "hunter2" not in stderr  # the address is shown, its password never


def test_a_data_folder_that_cannot_be_made_names_the_path_and_the_setting(run, monkeypatch):
    monkeypatch.delenv("DATABASE_URL")
    code, stderr = run("serve", DATA_DIR="/proc/no-such-folder/data")

    assert code == 2
    [line] = errors_of(stderr)
    assert "/proc/no-such-folder" in line and "DATA_DIR" in line


def test_each_malformed_setting_is_named_with_its_value(run):
    code, stderr = run("serve", SERVICE_START_HOUR="nine", TELEGRAM_PACE_SECONDS="-1")

    assert code == 2
    assert {line.split(":")[1].strip() for line in errors_of(stderr)} == {"setting SERVICE_START_HOUR",
                                                                          "setting TELEGRAM_PACE_SECONDS"}
    assert "'nine'" in stderr and "'-1'" in stderr


def test_a_port_in_use_says_so_and_points_at_the_port_option(run):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code, stderr = run("serve", "--port", str(taken.getsockname()[1]))

    assert code == 2
    [line] = errors_of(stderr)
    assert "--port" in line


def test_debug_shows_the_traceback_instead(run):
    with pytest.raises(Exception, match="postgres"):
        run("--debug", "serve", DATABASE_URL="postgres://u@localhost/x")


def test_the_console_script_prints_one_line_and_exits_2(tmp_path):
    """The installed command itself, in a process of its own: what an operator sees."""
    env = os.environ | {"DATABASE_URL": "postgres://citizen@localhost/x", "DATA_DIR": str(tmp_path)}
    done = subprocess.run([CITIZEN_HELP, "serve"], env=env, capture_output=True, text=True, cwd=tmp_path)

    assert done.returncode == 2
    assert errors_of(done.stderr) == [line for line in done.stderr.splitlines() if ": note:" not in line]
    assert len(errors_of(done.stderr)) == 1


def test_ctrl_c_during_the_first_training_stops_it_without_a_traceback(tmp_path):
    env = os.environ | {"DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("MODEL_DIR", None)
    server = subprocess.Popen([CITIZEN_HELP, "serve", "--port", "0"], env=env, cwd=tmp_path, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert server.stderr is not None
    for line in server.stderr:  # the announcement comes just before training starts
        if "training the matcher" in line:
            break
    server.send_signal(signal.SIGINT)
    _, stderr = server.communicate(timeout=120)

    assert server.returncode != 0
    assert "Traceback" not in stderr
    assert not list((tmp_path / "model").glob("matcher-*.pickle"))  # stopped in training, not after it
