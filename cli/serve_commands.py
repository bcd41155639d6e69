"""`citizen-help serve`: upgrade the schema, then run the web service."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from assistant import migrate
from assistant.settings import Settings, get_settings, sample_values, unsafe_to_serve
from cli.progress import progress_bar
from cli.server_lock import AnotherServer, only_server, sqlite_lock_path
from knowledge.loader import KnowledgeBase
from knowledge.matcher import Progress


def _fail(message: str) -> typer.Exit:
    typer.echo(f"citizen-help: {message}", err=True)
    return typer.Exit(code=2)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes behind the one port; more than 1 needs "
                                                     "REDIS_URL.")] = 1,
    forwarded_allow_ips: Annotated[str, typer.Option(help="Addresses of the TLS proxy in front, whose X-Forwarded-* "
                                                         "headers are believed (comma-separated, or *).")
                                   ] = "127.0.0.1",
) -> None:
    """Run the whole service: web chat at /, APIs under /api, OpenAPI at /docs. Upgrades the database first."""
    settings = get_settings()
    if problems := unsafe_to_serve(settings):
        raise _fail("\ncitizen-help: ".join(problems))
    for line in sample_values(settings):  # production refuses them (above); a laptop is told what to replace
        typer.echo(f"citizen-help: note: {line}", err=True)
    if workers > 1 and not settings.redis_url:
        raise _fail(f"--workers {workers} needs REDIS_URL: live replies and queue changes must reach every worker")
    try:
        migrate.upgrade(settings.effective_database_url)
    except migrate.NeedsOwner as exc:  # a serving role (docs/deploy.md): the owner migrates first
        raise _fail(str(exc)) from None
    typer.echo(f"database ready: {settings.effective_database_url.split('@')[-1]}", err=True)
    _prepare_voice(settings)
    _check_port(host, port)
    # Live chat streams stay open; on shutdown they get a few seconds, then are closed.
    options = {"host": host, "port": port, "timeout_graceful_shutdown": 5, "proxy_headers": True,
               "forwarded_allow_ips": forwarded_allow_ips}
    # Without Redis, live events reach only the process they happen in: a second server on the same SQLite file
    # would serve citizens whose officers' replies never show.
    lock = None if settings.redis_url else sqlite_lock_path(settings.effective_database_url)
    try:
        with only_server(lock):
            _run(settings, workers, options)
    except AnotherServer as exc:
        raise _fail(str(exc)) from None


def _run(settings: Settings, workers: int, options: dict[str, Any]) -> None:
    import uvicorn

    from api.app import create_app
    from assistant.matching import load_matcher, served_knowledge
    from knowledge.matcher import ensure_trained

    knowledge = served_knowledge(settings)
    if workers == 1:
        # Loaded (or trained, with progress shown) before the server starts, where Ctrl+C stops it at once.
        with _training_shown(settings, knowledge) as progress:
            matcher = load_matcher(settings, progress)
        uvicorn.run(create_app(settings, matcher), **options)
        return
    # Trained (if the guides or the staff's additions changed) here, once: the workers then all load the cached model
    # instead of each training it. Only checked here, not loaded: that is the workers' job.
    with _training_shown(settings, knowledge) as progress:
        ensure_trained(settings.effective_model_dir, knowledge, progress=progress)
    # A worker busy loading the model can miss uvicorn's 5 s health check, and would be killed and started again.
    uvicorn.run("api.app:create_app", factory=True, workers=workers, timeout_worker_healthcheck=60, **options)


def _prepare_voice(settings: Settings) -> None:
    """Say which voices cannot speak, and render the hotline's prompts ahead of time (into the shared disk cache)."""
    from voice.speech.shared import shared_speaker
    from voice.speech.warm import prepare

    phone = settings.hotline_audio_format if settings.hotline_enabled else None
    slow = settings.hotline_slow_speech or settings.slow_speech
    for warning, line in prepare(shared_speaker(settings), phone, slow=slow):
        typer.echo(f"citizen-help: warning: {line}" if warning else line, err=True)


def _check_port(host: str, port: int) -> None:
    """An OSError (address in use) now, with the hint of --port, rather than from inside the server."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        probe.bind((host, port))


@contextmanager
def _training_shown(settings: Settings, knowledge: KnowledgeBase) -> Iterator[Progress]:
    """A progress bar, with what and about how long, when the matcher must be trained; silence when it is cached."""
    from knowledge.matcher import MatcherConfig, model_path

    if model_path(settings.effective_model_dir, knowledge, MatcherConfig()).exists():
        yield lambda stage, done, total: None
        return
    typer.echo(f"citizen-help: first start with these guides: training the matcher on {len(knowledge.guides)} "
               "services (about 10–60 s; later starts load it in about a second). Ctrl+C stops.", err=True)
    with progress_bar() as report:
        yield report


def register(app: typer.Typer) -> None:
    app.command()(serve)
