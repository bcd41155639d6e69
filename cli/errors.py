"""What went wrong, in one or two lines for the person who ran the command: the setting or path, and what to do.

Only errors a newcomer or an operator can cause and fix are explained; anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import errno
from collections.abc import Callable

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from knowledge.loader import KnowledgeError

DATABASE_FORMS = ("postgresql+psycopg://user:password@host/database for PostgreSQL, "
                  "or sqlite:///path/to/file.db (unset: a SQLite file under DATA_DIR)")


def _without_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _settings(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"])
        # Secrets are SecretStr, which takes any text: a value shown here is never one of them.
        lines.append(f"setting {field.upper()}: {error['msg']} (it is {error.get('input')!r}). "
                     "Correct it in the environment or in .env.")
    return "\n".join(lines)


def _database(exc: Exception, url: str) -> str:
    shown = _without_password(url)
    if isinstance(exc, OperationalError) and url.startswith("sqlite"):
        return (f"cannot open the SQLite database {shown}: {exc.orig}. The folder must exist and be writable: "
                "set DATA_DIR (or DATABASE_URL) to one that is.")
    if isinstance(exc, OperationalError):
        reason = str(exc.orig).strip().splitlines()[0]
        return (f"cannot reach the database {shown}: {reason}. Is PostgreSQL running there, and are the host, "
                "port, user and password in DATABASE_URL right?")
    return f"DATABASE_URL {shown!r} is not a database address this service can use: write {DATABASE_FORMS}."


def _os(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"{exc.strerror}: another program listens there. Stop it, or choose another port with --port."
    where = f" {exc.filename}" if exc.filename else ""
    return (f"cannot use{where}: {exc.strerror or exc}. Set DATA_DIR to a folder this user can write "
            "(or correct the path in its setting).")


def explain(exc: BaseException, database_url: Callable[[], str]) -> str | None:
    """The message for an error the person who ran the command can fix, or None (a bug: keep the traceback).
    database_url: the configured database address, asked only when the error is about the database."""
    if isinstance(exc, ValidationError):
        return _settings(exc)
    if isinstance(exc, (OperationalError, NoSuchModuleError, ArgumentError)):
        return _database(exc, database_url())
    if isinstance(exc, ModuleNotFoundError) and exc.name in {"MySQLdb", "pymysql", "psycopg2", "cx_Oracle"}:
        return _database(exc, database_url())
    if isinstance(exc, KnowledgeError):
        return f"{exc}. Correct the file, or the setting that points at it (OFFICES_FILE)."
    if isinstance(exc, OSError):
        return _os(exc)
    return None
