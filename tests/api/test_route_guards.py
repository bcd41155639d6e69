"""Every staff route checks who is asking: found from the app's own routes, so a new route cannot forget it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from api.app import create_app
from assistant.settings import Settings
from tests.api.routes.test_staff_roles import ROLE_RULES
from tests.utils.officer_login import CSRF_HEADER

STAFF_PREFIXES = ("/api/officer", "/api/staff")
# How one logs in, and logging out (which only forgets the session, whoever asks).
OPEN_TO_ANYONE = {("POST", "/api/officer/login"), ("GET", "/api/staff/session"), ("POST", "/api/officer/logout")}


def staff_routes(app: FastAPI) -> Iterator[tuple[str, str, Dependant]]:
    for route in iter_route_contexts(app.routes):
        if (route.path or "").startswith(STAFF_PREFIXES):
            for method in sorted(route.methods or ()):
                yield method, route.path, route.dependant


def role_checked(dependant: Dependant) -> bool:
    """True when the route (or a dependency of it) is guarded by api.deps.role_required."""
    return any(d.call is not None and getattr(d.call, "__qualname__", "").startswith("role_required.")
               or role_checked(d) for d in dependant.dependencies)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


ROUTES = list(staff_routes(create_app(Settings(_env_file=None))))  # type: ignore[call-arg]
GUARDED = [(method, path) for method, path, _ in ROUTES if (method, path) not in OPEN_TO_ANYONE]


def test_the_staff_routes_were_found():
    assert len(GUARDED) >= 20
    assert ("GET", "/api/officer/cases/{case_id}") in GUARDED


@pytest.mark.parametrize(("method", "path"), GUARDED, ids=[f"{m} {p}" for m, p in GUARDED])
def test_an_anonymous_request_is_refused(client, method, path):
    client.headers[CSRF_HEADER] = client.get("/api/staff/session").json()["csrf_token"]  # past CSRF, to the role
    response = client.request(method, concrete(path), json={})
    assert response.status_code == 401, response.text
    assert response.json()["detail"] == "请先登录"


def test_every_role_restricted_route_is_in_the_roles_table_with_a_lower_role_refused():
    restricted = {(method, path) for method, path, dependant in ROUTES if role_checked(dependant)}
    refused = {(method.upper(), path) for _, method, path, status in ROLE_RULES if status == 403}
    assert restricted, "no route uses role_required: the check itself has moved"
    assert restricted <= refused, f"not in tests/api/routes/test_staff_roles.py: {sorted(restricted - refused)}"


WITH_ID = [(method, path) for method, path in GUARDED if "_id}" in path]


@pytest.mark.parametrize(("method", "path"), WITH_ID, ids=[f"{m} {p}" for m, p in WITH_ID])
def test_an_id_too_large_for_the_database_is_a_clear_422_not_a_crash(officer_of, method, path):
    """Found by the schemathesis run (tests/api/test_schema_fuzz.py): SQLite cannot even bind such a number."""
    admin, _ = officer_of("admin")
    response = admin.request(method, re.sub(r"\{[^}]+\}", str(2**63), path), json={})
    assert response.status_code == 422
    assert response.json()["message"]
