"""Bring a database's schema up to date with the checked-in Alembic migrations, from code (no alembic.ini)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "assistant:migrations")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser reads % as interpolation
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str | None = None, *, connection: Connection | None = None, revision: str = "head") -> None:
    """Apply every migration not yet applied: on a new database this creates the whole schema."""
    command.upgrade(alembic_config(url, connection), revision)
