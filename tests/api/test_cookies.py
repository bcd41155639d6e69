"""The staff session cookie: HttpOnly and SameSite always, Secure whenever the request came over TLS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api.app import STAFF_COOKIE, create_app


def session_cookie(client: TestClient, **headers: str) -> str:
    response = client.get("/api/staff/session", headers=headers)
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith(STAFF_COOKIE)]
    assert len(cookies) == 1
    return cookies[0].lower()


@pytest.fixture
def behind_proxy(app: FastAPI) -> Iterator[TestClient]:
    """The app as `citizen-help serve` runs it (uvicorn's proxy_headers), reached through a local TLS proxy."""
    with TestClient(ProxyHeadersMiddleware(app, trusted_hosts="*")) as client:
        yield client


def test_over_plain_http_in_development_the_cookie_is_httponly_and_samesite_but_not_secure(client):
    cookie = session_cookie(client)
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie


def test_over_https_the_cookie_is_secure(app, client):
    with TestClient(app, base_url="https://testserver") as tls:
        cookie = session_cookie(tls)
    assert "; secure" in cookie and "httponly" in cookie


def test_behind_a_tls_proxy_x_forwarded_proto_makes_the_cookie_secure(behind_proxy):
    assert "; secure" in session_cookie(behind_proxy, **{"X-Forwarded-Proto": "https"})
    assert "secure" not in session_cookie(behind_proxy, **{"X-Forwarded-Proto": "http"})


def test_in_production_the_cookie_is_secure_even_over_plain_http(settings, matcher):
    production = settings.model_copy(update={"environment": "production"})
    with TestClient(create_app(settings=production, matcher=matcher)) as client:
        assert "; secure" in session_cookie(client)
