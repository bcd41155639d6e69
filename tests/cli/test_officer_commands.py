"""`citizen-help officer list | reset-password | disable | enable` on a real database: one clear line each, an
unknown name a one-line error and a non-zero exit, and a new password or a disabled account ending every session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from assistant import auth, migrate
from assistant.session_stores import make_staff_sessions
from assistant.settings import get_settings
from assistant.staff_sessions import StaffSessions
from assistant.store import officers as officer_store
from assistant.store.db import make_engine, make_session_factory
from cli import app
from tests.utils.factories import PASSWORD, make_officer

NEW_PASSWORD = "a brand new password"


@pytest.fixture
def database(cli) -> Iterator[Session]:
    """The migrated database the command line uses, with 王芳 (supervisor, logged in once) and 李明 (officer)."""
    settings = get_settings()
    migrate.upgrade(settings.effective_database_url)
    engine = make_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        wangfang = make_officer(session, role="supervisor", username="wangfang", name="王芳", on_duty=True)
        officer_store.logged_in(session, officer=wangfang, at=dt.datetime(2026, 11, 24, 1, 30, tzinfo=dt.UTC))
        make_officer(session, username="liming", name="李明", on_duty=False)
        session.commit()
        yield session
    engine.dispose()


@pytest.fixture
def staff_sessions(database: Session) -> Iterator[StaffSessions]:
    sessions = make_staff_sessions(get_settings(), make_session_factory(database.get_bind()))
    yield sessions
    sessions.store.close()


def officer(database: Session, username: str):
    database.expire_all()  # as the command left it
    return officer_store.by_username(database, username=username)


def logs_in(database: Session, username: str, password: str) -> bool:
    database.expire_all()
    return auth.authenticate(database, username=username, password=password) is not None


def test_list_shows_every_officer_with_role_duty_disabled_and_last_login(cli, database):
    result = cli.invoke(app, ["officer", "list"])
    assert result.exit_code == 0, result.output
    header, *rows = [line.split() for line in result.output.strip().splitlines()]
    assert header == ["name", "display", "name", "role", "on", "duty", "disabled", "last", "login"]
    assert rows == [["wangfang", "王芳", "supervisor", "yes", "no", "2026-11-24", "09:30"],  # Beijing time
                    ["liming", "李明", "officer", "no", "no", "never"]]


def test_reset_password_reads_the_new_one_and_ends_every_session(cli, database, staff_sessions):
    wangfang = officer(database, "wangfang")
    keys = [staff_sessions.start(officer_id=wangfang.id, stamp=auth.session_stamp(wangfang))[0] for _ in range(2)]

    result = cli.invoke(app, ["officer", "reset-password", "wangfang"], input=f"{NEW_PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert result.output == "password of wangfang changed; 2 open session(s) ended\n"
    assert [staff_sessions.find(key) for key in keys] == [None, None]
    assert not logs_in(database, "wangfang", PASSWORD)
    assert logs_in(database, "wangfang", NEW_PASSWORD)


def test_reset_password_refuses_a_short_password_and_keeps_the_old_one(cli, database):
    result = cli.invoke(app, ["officer", "reset-password", "wangfang"], input="short\n")
    assert result.exit_code == 2
    assert "at least 8 characters" in result.output
    assert logs_in(database, "wangfang", PASSWORD)


def test_disable_ends_every_session_takes_the_officer_off_duty_and_stops_logins(cli, database, staff_sessions):
    wangfang = officer(database, "wangfang")
    key, _ = staff_sessions.start(officer_id=wangfang.id, stamp=auth.session_stamp(wangfang))

    result = cli.invoke(app, ["officer", "disable", "wangfang"])

    assert result.exit_code == 0, result.output
    assert result.output == "officer wangfang disabled; 1 open session(s) ended\n"
    assert staff_sessions.find(key) is None
    assert officer(database, "wangfang").on_duty is False
    assert not logs_in(database, "wangfang", PASSWORD)
    listed = cli.invoke(app, ["officer", "list"]).output.splitlines()[1].split()
    assert listed[:4] == ["wangfang", "王芳", "supervisor", "no"] and listed[4] != "no"  # when it was disabled


def test_enable_lets_a_disabled_officer_log_in_again(cli, database):
    assert cli.invoke(app, ["officer", "disable", "liming"]).exit_code == 0
    result = cli.invoke(app, ["officer", "enable", "liming"])
    assert (result.exit_code, result.output) == (0, "officer liming enabled\n")
    assert logs_in(database, "liming", PASSWORD)


@pytest.mark.parametrize("command", [["reset-password"], ["disable"], ["enable"]])
def test_an_unknown_name_is_a_one_line_error(cli, database, command):
    result = cli.invoke(app, ["officer", *command, "nobody"], input=f"{NEW_PASSWORD}\n")
    assert result.exit_code == 2
    assert result.output == "citizen-help: no officer called nobody\n"
