"""Test databases: a SQLite file in a temporary folder, or a fresh schema on the PostgreSQL of TEST_DATABASE_URL.

TEST_DATABASE_BACKEND=postgresql runs every test that uses the `fresh_db_url` fixture (so every app, runtime and
command line test) on PostgreSQL instead of SQLite; CI runs the whole suite both ways."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

POSTGRES_ENV = "TEST_DATABASE_URL"
BACKEND_ENV = "TEST_DATABASE_BACKEND"
BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'test.db'}"


def chosen_backend() -> str:
    """The backend of this test run: sqlite unless TEST_DATABASE_BACKEND says postgresql."""
    backend = os.environ.get(BACKEND_ENV, "sqlite")
    if backend not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"{BACKEND_ENV} must be sqlite or postgresql, not {backend!r}")
    if backend == "postgresql" and not os.environ.get(POSTGRES_ENV):
        raise pytest.UsageError(f"{BACKEND_ENV}=postgresql needs {POSTGRES_ENV}")
    return backend


def _postgres_base() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests skipped: set {POSTGRES_ENV} (e.g. postgresql+psycopg://postgres@localhost/test)")
    return url


_TRIGRAMS_READY: set[str] = set()  # databases this process has made sure of pg_trgm in


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections see only a new, empty schema; the schema is dropped afterwards."""
    base = _postgres_base()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            if base not in _TRIGRAMS_READY:
                # pg_trgm (the officers' search) once for the whole database, in public: an extension created from
                # a test's own search path would live in that schema and go when it is dropped, under the others.
                connection.execute(text("SELECT pg_advisory_xact_lock(20260018)"))
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
                _TRIGRAMS_READY.add(base)
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL tests skipped: {POSTGRES_ENV} does not answer ({exc.orig})")
    # libpq's "options" sets the search path for every connection made from this URL.
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield sqlite_url(folder)
    else:
        with postgres_schema() as url:
            yield url

