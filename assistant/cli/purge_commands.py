"""`citizen-help purge --older-than DAYS`: delete citizens' personal data older than that; statistics stay."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from assistant import migrate
from assistant.purge import purge as purge_data
from assistant.settings import get_settings
from assistant.store.db import make_engine, make_session_factory
from assistant.store.types import utcnow


def purge(
    older_than: Annotated[int, typer.Option("--older-than", min=1, metavar="DAYS",
                                            help="Personal data from more than this many days ago goes.")],
    dry_run: Annotated[bool, typer.Option(help="Count what would go, change nothing.")] = False,
) -> None:
    """Clear message words, phone numbers, channel identities and callback numbers older than DAYS. The anonymous
    statistics (/stats) and the case audit trail are kept."""
    settings = get_settings()
    migrate.upgrade(settings.effective_database_url)
    before = utcnow() - dt.timedelta(days=older_than)
    engine = make_engine(settings.effective_database_url)
    try:
        with make_session_factory(engine)() as session:
            purged = purge_data(session, before=before)
            session.rollback() if dry_run else session.commit()
    finally:
        engine.dispose()
    verb = "would clear" if dry_run else "cleared"
    typer.echo(f"{verb} data from before {before:%Y-%m-%d %H:%M} UTC: {purged.messages} messages, "
               f"{purged.conversations} conversations' memory, {purged.cases} case summaries, "
               f"{purged.callbacks} callback numbers, {purged.citizens} citizens' phones, "
               f"{purged.identities} channel identities, {purged.pushes} undelivered pushes")


def register(app: typer.Typer) -> None:
    app.command()(purge)
