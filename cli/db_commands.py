"""`citizen-help db upgrade` and `citizen-help db grant --serving-role ROLE`, run with the owner's DATABASE_URL:
the owner migrates the schema; the service runs as a role that may not rewrite the audit trail (docs/deploy.md)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from assistant import migrate
from assistant.settings import get_settings
from assistant.store.db import make_engine
from assistant.store.grants import GrantRefused, can_create_in_schema, grant_serving_role

db_app = typer.Typer(help="The database: schema upgrades and the serving role's rights.", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"citizen-help: {message}", err=True)
    return typer.Exit(code=2)


@db_app.command("upgrade")
def upgrade() -> None:
    """Apply the migrations not yet applied (as the schema's owner)."""
    url = get_settings().effective_database_url
    try:
        migrate.upgrade(url)
    except migrate.NeedsOwner as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"database at revision {migrate.current(url)}")


@db_app.command("grant")
def grant(
    serving_role: Annotated[str, typer.Option(metavar="ROLE", help="The role `serve` connects as (PostgreSQL).")],
) -> None:
    """Give the serving role what the service needs: it may read and add case events, never change, delete or
    truncate them. Run as the role that owns the tables; running it again is harmless."""
    url = get_settings().effective_database_url
    if make_url(url).get_backend_name() != "postgresql":
        raise _fail("db grant is for PostgreSQL; a SQLite file is protected by its owner and permissions")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            statements = grant_serving_role(connection, serving_role)
            creates = can_create_in_schema(connection, serving_role)
    except GrantRefused as exc:
        raise _fail(f"{exc}; nothing was granted") from None
    finally:
        engine.dispose()
    for statement in statements:
        typer.echo(statement)
    typer.echo(f"{serving_role} may read and write the service's tables, and read and add case events, but not "
               "change, delete or truncate them")
    if creates:
        typer.echo(f"note: {serving_role} may still create tables in this schema (through PUBLIC); "
                   "REVOKE CREATE ON SCHEMA … FROM PUBLIC to stop it", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
