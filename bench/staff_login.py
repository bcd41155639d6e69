"""Logging an officer in over HTTP the way the console does: session, CSRF token, login, fresh token."""

from __future__ import annotations

import httpx

CSRF_HEADER = "X-CSRF-Token"


def log_in(client: httpx.Client, username: str, password: str) -> None:
    """Leaves the client logged in and sending the session's CSRF token with every request."""
    client.headers[CSRF_HEADER] = client.get("/api/staff/session").json()["csrf_token"]
    response = client.post("/api/officer/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    client.headers[CSRF_HEADER] = client.get("/api/staff/session").json()["csrf_token"]  # a login starts a session
