"""The `citizen-help` command."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from assistant import log_privacy
from cli import (
    audit_commands,
    bot_commands,
    call_commands,
    db_commands,
    knowledge_commands,
    officer_commands,
    purge_commands,
    serve_commands,
    voice_commands,
)
from cli.errors import explain

app = typer.Typer(help="Citizen help assistant: answers from official service guides, hands over to a person.",
                  no_args_is_help=True, add_completion=False)
log_privacy.install()  # every command: numbers citizens gave never reach a log in full
knowledge_commands.register(app)
serve_commands.register(app)
officer_commands.register(app)
voice_commands.register(app)
call_commands.register(app)
bot_commands.register(app)
purge_commands.register(app)
audit_commands.register(app)
db_commands.register(app)
_shown = {"traceback": os.environ.get("LOG_LEVEL", "").upper() == "DEBUG"}


@app.callback()
def _options(debug: Annotated[bool, typer.Option("--debug", help="Show the whole traceback of an error.")] = False,
             ) -> None:
    _shown["traceback"] = _shown["traceback"] or debug


def _database_url() -> str:
    from assistant.settings import get_settings

    return get_settings().effective_database_url


def main() -> None:
    """`citizen-help`: an error the person who ran it can fix is one or two lines on stderr beginning
    `citizen-help:` and exit code 2; --debug or LOG_LEVEL=DEBUG shows the traceback instead."""
    try:
        app(prog_name="citizen-help")
    except Exception as exc:
        message = None if _shown["traceback"] else explain(exc, _database_url)
        if message is None:
            raise
        for line in message.splitlines():
            typer.echo(f"citizen-help: {line}", err=True)
        sys.exit(2)
