"""The `citizen-help` command."""

from __future__ import annotations

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
