"""Staff login: one answer for every wrong name or password, a limit on guessing, CSRF tokens on every change,
and a session cookie scripts cannot read and other sites cannot send."""

from __future__ import annotations

import pytest

from api.csrf import REFUSED
from api.routes.officers import WRONG_LOGIN
from tests.utils.factories import PASSWORD, make_officer
from tests.utils.officer_login import CSRF_HEADER


@pytest.fixture
def wangfang(runtime):
    with runtime.sessions() as session:
        return make_officer(session, username="wangfang", name="王芳")


@pytest.fixture
def token(client) -> str:
    """The console's first step: a session and its CSRF token, sent back as a header from then on."""
    value = client.get("/api/staff/session").json()["csrf_token"]
    client.headers[CSRF_HEADER] = value
    return value


def log_in(client, username: str, password: str):
    return client.post("/api/officer/login", json={"username": username, "password": password})


@pytest.mark.parametrize(("username", "password", "status", "detail"), [
    ("wangfang", PASSWORD, 200, None),
    ("wangfang", "wrong password", 401, WRONG_LOGIN),
    ("WANGFANG", PASSWORD, 401, WRONG_LOGIN),
    ("nobody", PASSWORD, 401, WRONG_LOGIN),  # an unknown name reads exactly like a wrong password
    ("nobody", "wrong password", 401, WRONG_LOGIN),
])
def test_login_rules(client, wangfang, token, username, password, status, detail):
    response = log_in(client, username, password)
    assert response.status_code == status
    assert response.json().get("detail") == detail


@pytest.mark.parametrize(("header", "status"), [(None, 403), ("forged-token", 403), ("the session's", 200)])
def test_login_needs_the_sessions_csrf_token(client, wangfang, token, header, status):
    headers = {CSRF_HEADER: token if header == "the session's" else header or ""}
    response = client.post("/api/officer/login", json={"username": "wangfang", "password": PASSWORD}, headers=headers)
    assert response.status_code == status
    if status == 403:
        assert response.json()["detail"] == REFUSED


def test_too_many_failures_make_logins_wait_even_with_the_right_password(client, wangfang, token, runtime):
    for _ in range(runtime.settings.login_max_failures):
        assert log_in(client, "wangfang", "guess").status_code == 401
    refused = log_in(client, "wangfang", PASSWORD)
    assert refused.status_code == 429
    assert "分钟后再试" in refused.json()["detail"] and int(refused.headers["retry-after"]) > 0
    assert log_in(client, "another", "guess").status_code == 401  # other names from this address still get tries


def test_a_success_clears_the_failures(client, wangfang, token, runtime):
    for _ in range(runtime.settings.login_max_failures - 1):
        log_in(client, "wangfang", "guess")
    assert log_in(client, "wangfang", PASSWORD).status_code == 200
    client.headers[CSRF_HEADER] = client.get("/api/staff/session").json()["csrf_token"]
    assert log_in(client, "wangfang", "guess").status_code == 401  # counting starts again


def test_the_session_cookie_is_httponly_and_samesite(client, wangfang, token):
    cookie = log_in(client, "wangfang", PASSWORD).headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_logging_in_renews_the_session_and_its_token(client, wangfang, token):
    log_in(client, "wangfang", PASSWORD)
    assert client.post("/api/officer/cases/1/claim").json()["detail"] == REFUSED  # the pre-login token is gone
    renewed = client.get("/api/staff/session").json()
    assert renewed["csrf_token"] != token and renewed["officer"]["username"] == "wangfang"


CHANGES = [
    ("put", "/api/officer/duty", {"on_duty": False}),
    ("post", "/api/officer/logout", None),
    ("post", "/api/officer/cases/1/claim", None),
    ("post", "/api/officer/cases/1/notes", {"text": "x"}),
    ("post", "/api/staff/cases/1/reveal", None),
    ("post", "/api/staff/gaps/attach", {"message_ids": [1], "label": "x"}),
    ("post", "/api/staff/retrain", None),
]


@pytest.mark.parametrize(("method", "path", "body"), CHANGES, ids=[f"{m} {p}" for m, p, _ in CHANGES])
def test_every_change_by_a_logged_in_session_needs_the_token(officer_of, method, path, body):
    staff, _ = officer_of("supervisor")
    del staff.headers[CSRF_HEADER]
    response = staff.request(method, path, json=body)
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert staff.get("/api/officer/me").status_code == 200  # reading needs no token


def test_the_staff_page_is_served_and_shows_a_login_form(client):
    page = client.get("/staff")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="login-form"' in page.text and 'autocomplete="current-password"' in page.text
    assert client.get("/api/staff/session").json()["officer"] is None
