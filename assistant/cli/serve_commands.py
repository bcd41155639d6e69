"""`citizen-help serve` (upgrade the schema, then run the web service) and `citizen-help officer add`."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from sqlalchemy.exc import IntegrityError

from assistant import auth, migrate
from assistant.settings import get_settings
from assistant.store import officers as officer_store
from assistant.store.db import make_engine, make_session_factory

officer_app = typer.Typer(help="Officer accounts.", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"citizen-help: {message}", err=True)
    return typer.Exit(code=2)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes behind the one port; more than 1 needs "
                                                     "REDIS_URL.")] = 1,
) -> None:
    """Run the whole service: web chat at /, APIs under /api, OpenAPI at /docs. Upgrades the database first."""
    import uvicorn

    from api.app import create_app
    from assistant.matching import served_knowledge
    from knowledge.matcher import ensure_trained

    settings = get_settings()
    if workers > 1 and not settings.redis_url:
        raise _fail(f"--workers {workers} needs REDIS_URL: live replies and queue changes must reach every worker")
    migrate.upgrade(settings.effective_database_url)
    typer.echo(f"database ready: {settings.effective_database_url.split('@')[-1]}", err=True)
    # Live chat streams stay open; on shutdown they get a few seconds, then are closed.
    options = {"host": host, "port": port, "timeout_graceful_shutdown": 5, "proxy_headers": True}
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    # Trained (if the guides or the staff's additions changed) here, once: the workers then all load the cached model
    # instead of each training it. Only checked here, not loaded: that is the workers' job.
    ensure_trained(settings.effective_model_dir, served_knowledge(settings))
    # A worker busy loading the model can miss uvicorn's 5 s health check, and would be killed and started again.
    uvicorn.run("api.app:create_app", factory=True, workers=workers, timeout_worker_healthcheck=60, **options)


def _read_password() -> str:
    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise _fail("the two passwords differ")
        return password
    return sys.stdin.readline().rstrip("\n")


@officer_app.command("add")
def add_officer(
    username: Annotated[str, typer.Argument(help="Login name, e.g. wangfang.")],
    role: Annotated[str, typer.Option(help="officer, supervisor or admin.")] = "officer",
    name: Annotated[str | None, typer.Option(help="Name shown to citizens, e.g. 王芳. Default: the login name.")]
    = None,
    on_duty: Annotated[bool, typer.Option(help="Start on duty.")] = False,
) -> None:
    """Add an officer; the password is asked for (or read from standard input when piped)."""
    if role not in officer_store.ROLES:
        raise _fail(f"role must be one of {', '.join(officer_store.ROLES)}")
    try:
        password_hash = auth.hash_password(_read_password())
    except ValueError as exc:
        raise _fail(str(exc)) from None
    settings = get_settings()
    migrate.upgrade(settings.effective_database_url)
    engine = make_engine(settings.effective_database_url)
    try:
        with make_session_factory(engine)() as session:
            officer_store.create(session, username=username, name=name or username, role=role,
                                 password_hash=password_hash, on_duty=on_duty)
            session.commit()
    except IntegrityError:
        raise _fail(f"an officer called {username} already exists") from None
    finally:
        engine.dispose()
    typer.echo(f"officer {username} added ({role})")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(officer_app, name="officer")
