"""PostgreSQL: what the serving role may do, set by the role that owns the schema (and runs the migrations).

The serving role reads and writes the service's tables, but may only read and add case events: without UPDATE,
DELETE or TRUNCATE on case_events, and not being its owner, it can neither change the trail nor switch its triggers
off nor drop it. Tables a later migration creates get the same everyday rights (default privileges); one that must be
append-only too needs its own REVOKE here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

APPEND_ONLY_TABLES = ("case_events",)
OWNERS_ONLY_TABLES = ("alembic_version",)  # the schema's revision: migrations are the owner's


class GrantRefused(Exception):
    """The serving role would be too strong (or missing): nothing was granted."""


@dataclass(frozen=True)
class _Roles:
    schema: str
    owner: str  # of case_events: whoever ran the migrations
    serving: str


def grant_serving_role(connection: Connection, serving: str) -> list[str]:
    """Grants the serving role exactly its rights in the current schema, in one transaction; returns what ran."""
    roles = _roles(connection, serving)
    _refuse_strong_role(connection, roles)
    statements = _statements(connection, roles)
    for statement in statements:
        connection.execute(text(statement))
    return statements


def _roles(connection: Connection, serving: str) -> _Roles:
    schema = connection.scalar(text("SELECT current_schema()"))
    owner = connection.scalar(text("SELECT tableowner FROM pg_tables WHERE schemaname = :schema AND "
                                   "tablename = 'case_events'"), {"schema": schema})
    if owner is None:
        raise GrantRefused(f"no case_events table in schema {schema}: run `citizen-help db upgrade` first")
    if connection.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = :name"), {"name": serving}) == 0:
        raise GrantRefused(f"no role {serving}: create it first (CREATE ROLE {serving} LOGIN PASSWORD '…')")
    return _Roles(schema, owner, serving)


def _refuse_strong_role(connection: Connection, roles: _Roles) -> None:
    """A role that is, or can become, the owner could switch the trail's triggers off or drop it."""
    if roles.serving == roles.owner:
        raise GrantRefused(f"{roles.serving} owns the tables: the serving role must be another role")
    row = connection.execute(text("SELECT rolsuper, rolcreaterole, pg_has_role(:serving, :owner, 'MEMBER') "
                                  "FROM pg_roles WHERE rolname = :serving"),
                             {"serving": roles.serving, "owner": roles.owner}).one()
    if row.rolsuper:
        raise GrantRefused(f"{roles.serving} is a superuser: it could do anything to the trail")
    if row.rolcreaterole:
        raise GrantRefused(f"{roles.serving} has CREATEROLE: it could make itself a member of {roles.owner}")
    if row.pg_has_role:
        raise GrantRefused(f"{roles.serving} is a member of {roles.owner}, so it can act as the owner")


def _statements(connection: Connection, roles: _Roles) -> list[str]:
    quote = connection.dialect.identifier_preparer.quote
    schema, owner, role = quote(roles.schema), quote(roles.owner), quote(roles.serving)
    everyday = "SELECT, INSERT, UPDATE, DELETE"
    return [
        # From nothing, so running it again (or after a wider grant) ends with exactly these rights.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT {everyday} ON ALL TABLES IN SCHEMA {schema} TO {role}",
        *(f"REVOKE UPDATE, DELETE ON {schema}.{quote(table)} FROM {role}" for table in APPEND_ONLY_TABLES),
        *(f"REVOKE INSERT, UPDATE, DELETE ON {schema}.{quote(table)} FROM {role}"
          for table in OWNERS_ONLY_TABLES if _exists(connection, roles.schema, table)),
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT {everyday} ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]


def _exists(connection: Connection, schema: str, table: str) -> bool:
    return bool(connection.scalar(text("SELECT count(*) FROM pg_tables WHERE schemaname = :schema AND "
                                       "tablename = :table"), {"schema": schema, "table": table}))


def can_create_in_schema(connection: Connection, serving: str) -> bool:
    """Through PUBLIC (PostgreSQL before 15 grants CREATE on schema public to everyone)."""
    return bool(connection.scalar(text("SELECT has_schema_privilege(:role, current_schema(), 'CREATE')"),
                                  {"role": serving}))
