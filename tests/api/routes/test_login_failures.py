"""Supervisors see bursts of failed logins: GET /api/officer/login-failures counts them per name as typed (numbers
masked) and per address, over the last hour and day, newest first."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.officer_login import CSRF_HEADER


def failing(app, address: str, *names: str) -> None:
    browser = TestClient(app, client=(address, 50000))
    browser.headers[CSRF_HEADER] = browser.get("/api/staff/session").json()["csrf_token"]
    for name in names:
        assert browser.post("/api/officer/login", json={"username": name, "password": "guess"}).status_code == 401


def test_supervisors_see_failures_per_name_and_per_address(app, officer_of):
    supervisor, _ = officer_of("supervisor")
    _, wang = officer_of()
    failing(app, "203.0.113.7", wang.username, wang.username, "admin")
    failing(app, "198.51.100.4", "13812345678")  # someone typed their phone number as the name

    figures = supervisor.get("/api/officer/login-failures").json()

    hour = figures["hour"]
    assert hour["total"] == 4 and figures["day"]["total"] == 4
    assert [(n["key"], n["count"], n["known"]) for n in hour["by_name"]] == [
        ("138****5678", 1, False), ("admin", 1, False), (wang.username, 2, True)]
    assert [(a["key"], a["count"]) for a in hour["by_address"]] == [("198.51.100.4", 1), ("203.0.113.7", 3)]
    assert "13812345678" not in supervisor.get("/api/officer/login-failures").text


def test_a_successful_login_is_not_a_failure(app, officer_of):
    supervisor, _ = officer_of("supervisor")
    officer_of()
    assert supervisor.get("/api/officer/login-failures").json()["day"]["total"] == 0
