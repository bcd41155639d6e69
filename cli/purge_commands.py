"""`citizen-help purge --older-than DAYS`: delete citizens' personal data older than that; statistics stay.
Whatever DAYS says, everything older than PERSONAL_DATA_MAX_DAYS goes too, open cases and pending callbacks
included; a DAYS beyond the maximum is brought back to it."""

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
                                            help="Personal data from more than this many days ago goes (at most "
                                                 "PERSONAL_DATA_MAX_DAYS).")],
    dry_run: Annotated[bool, typer.Option(help="Count what would go, change nothing.")] = False,
) -> None:
    """Clear message words, notes, phone numbers, channel identities and callback numbers older than DAYS, except
    where a case is still open; and all of it older than PERSONAL_DATA_MAX_DAYS. The anonymous statistics (/stats)
    and the case audit trail are kept (the trail records what was cleared)."""
    settings = get_settings()
    maximum = settings.personal_data_max_days
    if older_than > maximum:
        typer.echo(f"--older-than {older_than} is beyond PERSONAL_DATA_MAX_DAYS={maximum}: purging what is older "
                   f"than {maximum} days", err=True)
        older_than = maximum
    try:
        migrate.upgrade(settings.effective_database_url)
    except migrate.NeedsOwner as exc:
        typer.echo(f"citizen-help: {exc}", err=True)
        raise typer.Exit(code=2) from None
    now = utcnow()
    before, hard_before = now - dt.timedelta(days=older_than), now - dt.timedelta(days=maximum)
    engine = make_engine(settings.effective_database_url)
    try:
        with make_session_factory(engine)() as session:
            purged = purge_data(session, before=before, hard_before=hard_before, dry_run=dry_run,
                                by=f"citizen-help purge --older-than {older_than}")
    finally:
        engine.dispose()
    verb = "would clear" if dry_run else "cleared"
    typer.echo(f"{verb} data from before {before:%Y-%m-%d %H:%M} UTC (open cases too before {hard_before:%Y-%m-%d}): "
               f"{purged.summary()}; {purged.batches} batches, the longest {purged.longest_batch:.3f} s")


def register(app: typer.Typer) -> None:
    app.command()(purge)
