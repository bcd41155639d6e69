"""`citizen-help officer add|list|reset-password|disable|enable`: officer accounts. A new password and a disabled
account end every session of that officer at once (in the database, or in Redis when REDIS_URL is set)."""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assistant import auth, migrate
from assistant.session_stores import make_staff_sessions
from assistant.settings import Settings, get_settings
from assistant.staff_sessions import SessionsUnavailable, StaffSessions
from assistant.store import officers as officer_store
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import Officer
from assistant.store.types import utcnow

officer_app = typer.Typer(help="Officer accounts.", no_args_is_help=True)
Username = Annotated[str, typer.Argument(help="Login name, e.g. wangfang.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"citizen-help: {message}", err=True)
    return typer.Exit(code=2)


def _read_password() -> str:
    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise _fail("the two passwords differ")
        return password
    return sys.stdin.readline().rstrip("\n")


def _new_password_hash() -> str:
    try:
        return auth.hash_password(_read_password())
    except ValueError as exc:
        raise _fail(str(exc)) from None


@contextmanager
def _database() -> Iterator[tuple[Settings, sessionmaker[Session]]]:
    settings = get_settings()
    migrate.upgrade(settings.effective_database_url)
    engine = make_engine(settings.effective_database_url)
    try:
        yield settings, make_session_factory(engine)
    finally:
        engine.dispose()


@contextmanager
def _officer(username: str) -> Iterator[tuple[Session, Officer, StaffSessions]]:
    """The named officer in a session committed on success, and the staff sessions; an unknown name fails."""
    with _database() as (settings, factory), factory() as session:
        officer = officer_store.by_username(session, username=username)
        if officer is None:
            raise _fail(f"no officer called {username}")
        sessions = make_staff_sessions(settings, factory)
        try:
            yield session, officer, sessions
            session.commit()
        except SessionsUnavailable as exc:  # the change itself is committed: every old session is refused anyway
            raise _fail(f"{username} changed, but their sessions could not be removed ({exc}); they are refused "
                        "all the same") from None
        finally:
            sessions.store.close()


@officer_app.command("add")
def add_officer(
    username: Username,
    role: Annotated[str, typer.Option(help="officer, supervisor or admin.")] = "officer",
    name: Annotated[str | None, typer.Option(help="Name shown to citizens, e.g. 王芳. Default: the login name.")]
    = None,
    on_duty: Annotated[bool, typer.Option(help="Start on duty.")] = False,
) -> None:
    """Add an officer; the password is asked for (or read from standard input when piped)."""
    if role not in officer_store.ROLES:
        raise _fail(f"role must be one of {', '.join(officer_store.ROLES)}")
    password_hash = _new_password_hash()
    try:
        with _database() as (_, factory), factory() as session:
            officer_store.create(session, username=username, name=name or username, role=role,
                                 password_hash=password_hash, on_duty=on_duty)
            session.commit()
    except IntegrityError:
        raise _fail(f"an officer called {username} already exists") from None
    typer.echo(f"officer {username} added ({role})")


@officer_app.command("list")
def list_officers() -> None:
    """Every officer: login name, display name, role, on duty, disabled, last login (local time)."""
    with _database() as (settings, factory), factory() as session:
        officers = officer_store.all_officers(session)
    zone = ZoneInfo(settings.timezone)
    table = Table(box=None)
    for column in ("name", "display name", "role", "on duty", "disabled", "last login"):
        table.add_column(column)
    for o in officers:
        table.add_row(o.username, o.name, o.role, "yes" if o.on_duty else "no", _when(o.disabled_at, zone) or "no",
                      _when(o.last_login_at, zone) or "never")
    Console(width=160).print(table)


def _when(at: dt.datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""


@officer_app.command("reset-password")
def reset_password(username: Username) -> None:
    """A new password (asked twice, or read from standard input); every session of the officer ends."""
    with _officer(username) as (session, officer, sessions):
        password_hash = _new_password_hash()
        officer_store.set_password_hash(session, officer=officer, password_hash=password_hash)
        session.commit()
        ended = sessions.end_officer(officer.id)
    typer.echo(f"password of {username} changed; {ended} open session(s) ended")


@officer_app.command("disable")
def disable(username: Username) -> None:
    """The officer can no longer log in, is taken off duty, and every session of theirs ends now."""
    with _officer(username) as (session, officer, sessions):
        officer_store.set_disabled(session, officer=officer, at=utcnow())
        session.commit()
        ended = sessions.end_officer(officer.id)
    typer.echo(f"officer {username} disabled; {ended} open session(s) ended")


@officer_app.command("enable")
def enable(username: Username) -> None:
    """The officer can log in again (with their password as it was)."""
    with _officer(username) as (session, officer, _):
        officer_store.set_disabled(session, officer=officer, at=None)
    typer.echo(f"officer {username} enabled")


def register(app: typer.Typer) -> None:
    app.add_typer(officer_app, name="officer")
