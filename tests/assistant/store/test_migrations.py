"""The checked-in migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from assistant import migrate
from assistant.store.db import make_engine
from assistant.store.models import Base


def test_upgrade_builds_the_models_schema(db_url):
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_upgrade_twice_is_harmless_and_downgrade_removes_everything(db_url):
    migrate.upgrade(db_url)
    migrate.upgrade(db_url)
    command.downgrade(migrate.alembic_config(db_url), "base")
    engine = make_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
