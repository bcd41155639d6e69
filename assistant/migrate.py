"""Bring a database's schema up to date with the checked-in Alembic migrations, from code (no alembic.ini)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.exc import ProgrammingError

from assistant.store.db import make_engine

INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE


class NeedsOwner(RuntimeError):
    """The schema is behind and this database role may not change it (PostgreSQL's serving role)."""


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "assistant:migrations")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser reads % as interpolation
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str | None = None, *, connection: Connection | None = None, revision: str = "head") -> None:
    """Apply every migration not yet applied: on a new database this creates the whole schema. At the head it
    only reads the schema's revision, which the serving role may."""
    try:
        command.upgrade(alembic_config(url, connection), revision)
    except ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
            raise
        raise NeedsOwner("the database schema needs an upgrade this role may not make: run `citizen-help db "
                         "upgrade` with the owner's DATABASE_URL, then `citizen-help db grant`") from exc


def current(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
