"""Logging an officer in over HTTP the way the console does (bench/staff_login.py), with the factories' password."""

from __future__ import annotations

import httpx

from bench import staff_login
from bench.staff_login import CSRF_HEADER as CSRF_HEADER
from tests.utils.factories import PASSWORD


def log_in(client: httpx.Client, username: str, password: str = PASSWORD) -> None:
    """Leaves the client logged in and sending the session's CSRF token with every request."""
    staff_login.log_in(client, username, password)
