"""`citizen-help audit verify`: walk the case events' hash chain; OK with the count, or the first broken link."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from assistant.audit import verify as verify_trail
from assistant.settings import get_settings
from assistant.store.db import make_engine, make_session_factory

ANCHOR_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only: str.isdigit takes "²" and "١" too
ANCHOR_HASH = re.compile(r"[0-9a-fA-F]{64}")
audit_app = typer.Typer(help="The cases' audit trail.", no_args_is_help=True)


def _anchor(value: str | None) -> tuple[int, str] | None:
    if value is None:
        return None
    event_id, _, expected = value.strip().partition(":")
    if not ANCHOR_ID.fullmatch(event_id) or not ANCHOR_HASH.fullmatch(expected):
        raise typer.BadParameter("give it as EVENT_ID:HASH, as an earlier `audit verify` printed it")
    return int(event_id), expected.lower()


@audit_app.command("verify")
def verify(
    anchor: Annotated[str | None, typer.Option(metavar="EVENT_ID:HASH", help="An event an earlier run printed as "
                                               "the newest: it must still be in the trail with that hash.")] = None,
) -> None:
    """Check every case event against its hash and the one before it. Exit status 1 names the first broken link."""
    expected = _anchor(anchor)
    engine = make_engine(get_settings().effective_database_url)
    try:
        with make_session_factory(engine)() as session:
            verdict = verify_trail(session, anchor=expected)
    finally:
        engine.dispose()
    typer.echo(str(verdict))
    if verdict.broken is not None:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
