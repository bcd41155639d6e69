"""The staff cookies (the login form's signed token before login, the session key after): HttpOnly and SameSite
always, Secure whenever the request came over TLS."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api.app import create_app
from api.staff_auth import LOGIN_COOKIE, STAFF_COOKIE
from tests.utils.factories import PASSWORD, make_officer
from tests.utils.officer_login import CSRF_HEADER


def _set_cookie(response, name: str) -> str:
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith(f"{name}=")]
    assert len(cookies) == 1, response.headers
    return cookies[0].lower()


def login_form_cookie(client: TestClient, **headers: str) -> str:
    return _set_cookie(client.get("/api/staff/session", headers=headers), LOGIN_COOKIE)


@pytest.fixture
def session_cookie(runtime) -> Callable[..., str]:
    """The session cookie a login sets, over the given client. The login form's cookie is sent back by hand: a
    Secure one does not leave the test client's jar over plain http (a browser behind TLS would send it)."""
    with runtime.sessions() as session:
        username = make_officer(session).username

    def log_in(client: TestClient, **headers: str) -> str:
        form = client.get("/api/staff/session", headers=headers)
        sent = {"cookie": f"{LOGIN_COOKIE}={form.cookies[LOGIN_COOKIE]}", CSRF_HEADER: form.json()["csrf_token"]}
        client.cookies.clear()
        response = client.post("/api/officer/login", json={"username": username, "password": PASSWORD},
                               headers={**headers, **sent})
        assert response.status_code == 200, response.text
        return _set_cookie(response, STAFF_COOKIE)

    return log_in


@pytest.fixture(params=["login form", "session"])
def staff_cookie(request, session_cookie) -> Callable[..., str]:
    return login_form_cookie if request.param == "login form" else session_cookie


@pytest.fixture
def behind_proxy(app: FastAPI) -> Iterator[TestClient]:
    """The app as `citizen-help serve` runs it (uvicorn's proxy_headers), reached through a local TLS proxy."""
    with TestClient(ProxyHeadersMiddleware(app, trusted_hosts="*")) as client:
        yield client


def test_over_plain_http_in_development_the_cookie_is_httponly_and_samesite_but_not_secure(client, staff_cookie):
    cookie = staff_cookie(client)
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie


def test_over_https_the_cookie_is_secure(app, client, staff_cookie):
    with TestClient(app, base_url="https://testserver") as tls:
        cookie = staff_cookie(tls)
    assert "; secure" in cookie and "httponly" in cookie


def test_behind_a_tls_proxy_x_forwarded_proto_makes_the_cookie_secure(behind_proxy, staff_cookie):
    assert "; secure" in staff_cookie(behind_proxy, **{"X-Forwarded-Proto": "https"})
    assert "secure" not in staff_cookie(behind_proxy, **{"X-Forwarded-Proto": "http"})


def test_in_production_the_cookie_is_secure_even_over_plain_http(settings, matcher, session_cookie, own_offices_file):
    production = settings.model_copy(update={"environment": "production", "twilio_auth_token": SecretStr("t" * 32),
                                             "secret_key": SecretStr(secrets.token_urlsafe(32)),
                                             "offices_file": own_offices_file})
    with TestClient(create_app(settings=production, matcher=matcher)) as client:
        assert "; secure" in login_form_cookie(client)
        assert "; secure" in session_cookie(client)
