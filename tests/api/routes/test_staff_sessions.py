"""Attacks on staff sessions, each refused: a cookie copied before logout, after `officer disable`, after a new
password; an idle session; the stored hash of a key used as a cookie; a key planted before login; an anonymous flood
of the login page; a stranger failing on purpose for an officer's name; an open live stream after the session ended."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from alembic import command
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select
from typer.testing import CliRunner

from api.csrf import REFUSED
from api.routes.officers import WRONG_LOGIN
from api.staff_auth import LOGIN_COOKIE, STAFF_COOKIE
from assistant import auth, migrate
from assistant.redis_sessions import RedisSessionStore
from assistant.runtime import Runtime
from assistant.services import Services
from assistant.settings import Settings, get_settings
from assistant.store import officers as officer_store
from assistant.store.models import Officer, OfficerSession
from cli import app as command_line
from tests.utils.clock import FakeClock
from tests.utils.factories import PASSWORD, make_officer
from tests.utils.officer_login import CSRF_HEADER, log_in

NEW_PASSWORD = "a brand new password"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"staff_stream_check_seconds": 1})  # a live stream re-checks every second


@pytest.fixture
def wang(runtime: Runtime) -> Officer:
    with runtime.sessions() as session:
        return make_officer(session, username="wang", name="王芳")


@pytest.fixture
def console(app: FastAPI, client: TestClient) -> Callable[..., TestClient]:
    """A browser of its own (its own cookies) at the given address; the app is already running."""
    def make(address: str = "198.51.100.1") -> TestClient:
        return TestClient(app, client=(address, 50000))
    return make


@pytest.fixture
def citizen_help(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[Callable[..., str]]:
    """The `citizen-help` command line, on the database the app serves from; returns what it printed."""
    command.stamp(migrate.alembic_config(settings.effective_database_url), "head")  # made from the models
    monkeypatch.setenv("DATABASE_URL", settings.effective_database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()

    def run(*args: str, input: str | None = None) -> str:
        result = CliRunner().invoke(command_line, list(args), input=input)
        assert result.exit_code == 0, result.output
        return result.output

    yield run
    get_settings.cache_clear()


def plant(browser: httpx.Client, name: str, value: str) -> None:
    """A cookie put in the browser's jar as if the server had set it (the same domain, so a Set-Cookie replaces it)."""
    domain = "testserver.local" if isinstance(browser, TestClient) else "127.0.0.1"
    browser.cookies.set(name, value, domain=domain)


def copy_of(browser: TestClient, console: Callable[..., TestClient]) -> TestClient:
    """Another browser holding a copy of this one's session cookie (and its CSRF header)."""
    thief = console("203.0.113.7")
    plant(thief, STAFF_COOKIE, browser.cookies[STAFF_COOKIE])
    thief.headers[CSRF_HEADER] = browser.headers[CSRF_HEADER]
    return thief


def session_rows(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(OfficerSession)) or 0


# --- logout, disable, a new password: the session ends at once, every copy of its cookie with it ---

def test_a_cookie_copied_before_logout_is_refused_after_it(console, wang):
    browser = console()
    log_in(browser, "wang")
    thief = copy_of(browser, console)
    assert thief.get("/api/officer/me").status_code == 200  # a copy works while the session lives ...
    assert browser.post("/api/officer/logout").status_code == 204
    assert thief.get("/api/officer/me").status_code == 401  # ... and not a moment after the logout
    assert thief.post("/api/officer/cases/1/claim").status_code == 401
    assert browser.get("/api/officer/me").status_code == 401


def test_after_officer_disable_the_old_cookie_is_refused_at_once(console, wang, citizen_help):
    browser = console()
    log_in(browser, "wang")
    thief = copy_of(browser, console)

    assert "disabled" in citizen_help("officer", "disable", "wang")

    assert browser.get("/api/officer/me").status_code == 401
    assert thief.get("/api/officer/me").status_code == 401


def test_after_reset_password_the_old_cookie_is_refused_at_once(console, wang, citizen_help):
    browser = console()
    log_in(browser, "wang")

    assert "changed" in citizen_help("officer", "reset-password", "wang", input=f"{NEW_PASSWORD}\n")

    assert browser.get("/api/officer/me").status_code == 401
    log_in(console(), "wang", NEW_PASSWORD)


def test_a_password_changed_by_any_path_ends_the_sessions_opened_with_the_old_one(console, wang, runtime):
    """Not only the command: whatever writes a new hash (a script, an admin at the database) ends them too."""
    browser = console()
    log_in(browser, "wang")
    with runtime.sessions() as session:
        officer = officer_store.get(session, officer_id=wang.id)
        auth.set_password(session, officer=officer, password=NEW_PASSWORD)
        session.commit()
    assert browser.get("/api/officer/me").status_code == 401


def test_a_disabled_officer_cannot_log_in_and_hears_what_a_wrong_password_hears(console, wang, citizen_help):
    citizen_help("officer", "disable", "wang")
    browser = console()
    browser.headers[CSRF_HEADER] = browser.get("/api/staff/session").json()["csrf_token"]
    refused = browser.post("/api/officer/login", json={"username": "wang", "password": PASSWORD})
    wrong = browser.post("/api/officer/login", json={"username": "wang", "password": "not the password"})
    assert (refused.status_code, refused.json()) == (wrong.status_code, wrong.json()) == (401, {"detail": WRONG_LOGIN})

    citizen_help("officer", "enable", "wang")
    log_in(console("198.51.100.2"), "wang")


def test_a_disabled_officer_is_off_duty_and_nobody_can_hand_them_a_case(officer_of, wang, citizen_help, runtime):
    colleague, _ = officer_of()
    citizen_help("officer", "disable", "wang")
    with runtime.sessions() as session:
        assert officer_store.get(session, officer_id=wang.id).on_duty is False
    assert wang.id not in [o["id"] for o in colleague.get("/api/staff/colleagues").json()]


# --- idle and lifetime: an injected clock, not sleeps ---

@pytest.fixture
def clock(app: FastAPI, client: TestClient) -> FakeClock:
    clock = Services.of(app).staff_sessions.clock = FakeClock()
    return clock


def test_an_idle_session_expires(console, wang, clock, runtime):
    browser = console()
    log_in(browser, "wang")
    clock.advance(minutes=runtime.settings.staff_idle_minutes - 1)
    assert browser.get("/api/officer/me").status_code == 200
    clock.advance(minutes=runtime.settings.staff_idle_minutes)
    assert browser.get("/api/officer/me").status_code == 401


def test_an_officer_at_work_stays_logged_in_until_the_end_of_the_day(console, wang, clock, runtime):
    browser = console()
    log_in(browser, "wang")
    for _ in range(runtime.settings.staff_session_hours * 4 - 1):  # something every quarter of an hour
        clock.advance(minutes=15)
        assert browser.get("/api/officer/cases").status_code == 200
    clock.advance(minutes=15)
    assert browser.get("/api/officer/cases").status_code == 401


# --- keys: what the server keeps opens nothing, a key from before login is not the key after it ---

def test_what_the_database_keeps_of_a_session_does_not_work_as_a_cookie(console, wang, runtime):
    log_in(console(), "wang")
    with runtime.sessions() as session:
        [row] = session.scalars(select(OfficerSession)).all()
    for stolen in (row.key_hash, row.csrf_token, row.stamp):
        intruder = console("203.0.113.7")
        plant(intruder, STAFF_COOKIE, stolen)
        assert intruder.get("/api/officer/me").status_code == 401


def test_a_key_planted_before_login_is_not_the_key_after_login(console, wang):
    browser = console()
    planted = "p" * 43
    plant(browser, STAFF_COOKIE, planted)
    log_in(browser, "wang")
    assert browser.cookies[STAFF_COOKIE] != planted
    intruder = console("203.0.113.7")
    plant(intruder, STAFF_COOKIE, planted)
    assert intruder.get("/api/officer/me").status_code == 401


def test_logging_in_ends_the_session_the_browser_came_with(console, wang, runtime):
    """An attacker plants the key of their own live session in the officer's browser; the officer logs in: the
    attacker's key is not logged in as the officer, and is not logged in at all any more."""
    with runtime.sessions() as session:
        attacker = make_officer(session, username="mallory")
    theirs = console("203.0.113.7")
    log_in(theirs, attacker.username)
    browser = console()
    plant(browser, STAFF_COOKIE, theirs.cookies[STAFF_COOKIE])
    log_in(browser, "wang")
    assert browser.get("/api/officer/me").json()["username"] == "wang"
    assert theirs.get("/api/officer/me").status_code == 401


# --- before login: a signed cookie, no server row per visitor ---

def test_anonymous_visitors_leave_no_row_on_the_server(console, wang, runtime):
    for n in range(50):
        visitor = console(f"198.51.100.{n}")
        assert visitor.get("/staff").status_code == 200
        token = visitor.get("/api/staff/session").json()["csrf_token"]
        visitor.post("/api/officer/login", json={"username": "wang", "password": "guess"},
                     headers={CSRF_HEADER: token})
    assert session_rows(runtime) == 0
    log_in(console(), "wang")
    assert session_rows(runtime) == 1


def test_the_login_form_token_stays_the_same_while_the_page_is_open(console):
    browser = console()
    first = browser.get("/api/staff/session").json()["csrf_token"]
    assert browser.get("/api/staff/session").json()["csrf_token"] == first


def _login_with_form_cookie(console, value: str, token: str) -> httpx.Response:
    browser = console()
    plant(browser, LOGIN_COOKIE, value)
    return browser.post("/api/officer/login", json={"username": "wang", "password": PASSWORD},
                        headers={CSRF_HEADER: token})


def test_a_login_form_cookie_signed_with_another_secret_is_refused(console, wang):
    forged = URLSafeTimedSerializer("not our secret", salt="citizen-help staff login form").dumps("chosen")
    response = _login_with_form_cookie(console, forged, "chosen")
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)


def test_a_login_form_cookie_older_than_two_hours_is_refused(console, wang, settings, monkeypatch):
    signer = URLSafeTimedSerializer(settings.secret_key.get_secret_value(), salt="citizen-help staff login form")
    fresh = _login_with_form_cookie(console, signer.dumps("chosen"), "chosen")
    assert fresh.status_code == 200  # the same cookie, made now, is accepted ...
    long_ago = time.time() - 2 * 60 * 60 - 5
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: long_ago)
    stale = signer.dumps("chosen")
    monkeypatch.undo()
    response = _login_with_form_cookie(console, stale, "chosen")
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)  # ... but not two hours later


# --- failing on purpose: the stranger waits, the officer does not ---

def test_a_stranger_failing_for_an_officer_does_not_lock_the_officer_out(console, wang):
    stranger = console("203.0.113.7")
    stranger.headers[CSRF_HEADER] = stranger.get("/api/staff/session").json()["csrf_token"]
    answers = [stranger.post("/api/officer/login", json={"username": "wang", "password": f"guess {n}"}).status_code
               for n in range(50)]
    assert set(answers) == {401, 429} and answers.count(401) < 10  # the stranger was slowed down at once
    assert stranger.post("/api/officer/login", json={"username": "wang", "password": PASSWORD}).status_code == 429

    log_in(console("198.51.100.20"), "wang")  # wang, from the office, at once


def test_an_address_failing_across_many_names_waits_as_a_whole(console, wang, runtime):
    guesser = console("203.0.113.9")
    guesser.headers[CSRF_HEADER] = guesser.get("/api/staff/session").json()["csrf_token"]
    for n in range(runtime.settings.login_max_failures * 4):
        assert guesser.post("/api/officer/login", json={"username": f"name{n}", "password": "x"}).status_code == 401
    slowed = guesser.post("/api/officer/login", json={"username": "wang", "password": PASSWORD})
    assert slowed.status_code == 429 and int(slowed.headers["retry-after"]) > 0
    log_in(console("198.51.100.20"), "wang")


# --- an open live stream ends soon after its session ---

def read_until_closed(stream: httpx.Response, seconds: float) -> float:
    """Reads the stream until the server ends it; how long that took (the read timeout fails the test)."""
    started = time.monotonic()
    for _ in stream.iter_lines():
        assert time.monotonic() - started < seconds, "the stream outlived its session"
    return time.monotonic() - started


@pytest.mark.parametrize("how", ["logout", "disable", "idle"])
def test_an_open_live_stream_ends_soon_after_its_session(live_server, wang, citizen_help, how):
    with httpx.Client(base_url=live_server.url, timeout=10) as browser:
        log_in(browser, "wang")
        clock = Services.of(live_server.app).staff_sessions.clock = FakeClock(dt.datetime.now(dt.UTC))
        with browser.stream("GET", "/api/officer/events") as stream:
            assert stream.status_code == 200
            if how == "logout":
                with httpx.Client(base_url=live_server.url, timeout=10) as copy:
                    plant(copy, STAFF_COOKIE, browser.cookies[STAFF_COOKIE])
                    copy.post("/api/officer/logout", headers={CSRF_HEADER: browser.headers[CSRF_HEADER]})
            elif how == "disable":
                citizen_help("officer", "disable", "wang")
            else:
                clock.advance(minutes=Services.of(live_server.app).runtime.settings.staff_idle_minutes)
            assert read_until_closed(stream, seconds=5) < 5
        assert browser.get("/api/officer/events").status_code == 401


def test_an_open_live_stream_of_a_live_session_stays_open(live_server, wang):
    with httpx.Client(base_url=live_server.url, timeout=httpx.Timeout(10, read=3.5)) as browser:
        log_in(browser, "wang")
        with browser.stream("GET", "/api/officer/events") as stream, pytest.raises(httpx.ReadTimeout):
            read_until_closed(stream, seconds=60)  # three checks passed: nothing but the read timeout ends it


# --- the same attacks on the Redis store ---

@pytest.fixture
def on_redis(app: FastAPI, client: TestClient, redis_url: str, redis_prefix: str) -> Iterator[None]:
    sessions = Services.of(app).staff_sessions
    database, sessions.store = sessions.store, RedisSessionStore(redis_url, prefix=redis_prefix)
    yield
    sessions.store.close()
    sessions.store = database


def test_on_redis_logout_and_disable_end_sessions_at_once(on_redis, app, console, wang, runtime):
    browser = console()
    log_in(browser, "wang")
    thief = copy_of(browser, console)
    browser.post("/api/officer/logout")
    assert thief.get("/api/officer/me").status_code == 401

    log_in(browser, "wang")
    with runtime.sessions() as session:
        officer_store.set_disabled(session, officer=officer_store.get(session, officer_id=wang.id), at=FakeClock()())
        session.commit()
    assert Services.of(app).staff_sessions.end_officer(wang.id) == 1
    assert browser.get("/api/officer/me").status_code == 401
    assert session_rows(runtime) == 0  # nothing went to the database's table
