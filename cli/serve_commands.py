"""`citizen-help serve`: upgrade the schema, then run the web service."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant import migrate
from assistant.settings import Settings, get_settings, unsafe_to_serve


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
    if problems := unsafe_to_serve(settings):
        raise _fail("\ncitizen-help: ".join(problems))
    if workers > 1 and not settings.redis_url:
        raise _fail(f"--workers {workers} needs REDIS_URL: live replies and queue changes must reach every worker")
    try:
        migrate.upgrade(settings.effective_database_url)
    except migrate.NeedsOwner as exc:  # a serving role (docs/deploy.md): the owner migrates first
        raise _fail(str(exc)) from None
    typer.echo(f"database ready: {settings.effective_database_url.split('@')[-1]}", err=True)
    _prepare_voice(settings)
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


def _prepare_voice(settings: Settings) -> None:
    """Say which voices cannot speak, and render the hotline's prompts ahead of time (into the shared disk cache)."""
    from voice.speech.shared import shared_speaker
    from voice.speech.warm import prepare

    phone = settings.hotline_audio_format if settings.hotline_enabled else None
    slow = settings.hotline_slow_speech or settings.slow_speech
    for warning, line in prepare(shared_speaker(settings), phone, slow=slow):
        typer.echo(f"citizen-help: warning: {line}" if warning else line, err=True)


def register(app: typer.Typer) -> None:
    app.command()(serve)
