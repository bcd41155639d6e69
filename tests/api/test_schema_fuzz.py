"""A bounded schemathesis run: requests generated from the app's own OpenAPI schema, sent over real HTTP to a
running server; whatever they hold, no answer is a server error (5xx)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from api.app import create_app
from assistant.services import Services
from assistant.settings import Settings
from assistant.store.db import make_engine
from assistant.store.models import Base
from knowledge.matcher import Matcher
from tests.api.conftest import LiveServer
from tests.utils.db import chosen_backend, database_url
from tests.utils.factories import make_officer
from tests.utils.officer_login import CSRF_HEADER, log_in
from tests.utils.server import running

MAX_EXAMPLES = 5
STREAMS = r"/events$"  # live event streams stay open until the client leaves: nothing to check in one request
STAFF = r"^/api/(officer|staff)/"
STAFF_SESSION = r"/(login|logout)$"  # logging out would end the session the other examples use

schema = schemathesis.openapi.from_dict(
    create_app(Settings(_env_file=None)).openapi()).exclude(path_regex=STREAMS)  # type: ignore[call-arg]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much,
                                 HealthCheck.too_slow])
def test_no_request_gets_a_server_error(case, server):
    response = case.call(base_url=server.url, timeout=10)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, matcher: Matcher) -> Iterator[LiveServer]:
    """One server for the whole run (a server per operation would take most of its time), on its own database."""
    folder = tmp_path_factory.mktemp("fuzz")
    with database_url(chosen_backend(), folder) as url:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        settings = Settings(_env_file=None, data_dir=folder, database_url=url,  # type: ignore[call-arg]
                            public_max_requests=0)
        app = create_app(settings=settings, matcher=matcher)
        with running(app) as base_url:
            yield LiveServer(base_url, app)


@pytest.fixture(scope="module")
def admin_headers(server: LiveServer) -> dict[str, str]:
    """An admin's session cookie and CSRF token: staff routes are fuzzed past their login and role checks."""
    with Services.of(server.app).runtime.sessions() as session:
        admin = make_officer(session, role="admin")
    with httpx.Client(base_url=server.url) as client:
        log_in(client, admin.username)
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        return {CSRF_HEADER: client.headers[CSRF_HEADER], "Cookie": cookie}


@schema.include(path_regex=STAFF).exclude(path_regex=STAFF_SESSION).parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much,
                                 HealthCheck.too_slow])
def test_no_staff_request_gets_a_server_error(case, server, admin_headers):
    response = case.call(base_url=server.url, headers=admin_headers, timeout=10)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text}"
