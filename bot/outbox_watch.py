"""Messages another process wrote for Telegram chats, sent within about TELEGRAM_OUTBOX_POLL_SECONDS.

A live event reaches only the processes on the same bus: with `serve` and `bot` apart and no Redis between them,
the bot hears nothing of an officer's reply written in `serve` (which may not even run the channel). Every such
message is a pending push, written in the reply's own transaction, so the bot looks at the pending pushes often: a
cheap indexed query of a table that holds only what is not yet delivered. A push is taken before it is sent
(bot/delivery.py), so the live event and this look, in one process or two, send it once between them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from assistant import views
from assistant.runtime import Runtime
from assistant.store import pushes as push_store
from assistant.store.types import utcnow
from bot.delivery import Delivery
from bot.talk import CHANNEL

log = logging.getLogger(__name__)


async def watch_outbox(delivery: Delivery) -> None:
    """Until cancelled: every TELEGRAM_OUTBOX_POLL_SECONDS, send what nobody has taken yet on the usual path."""
    every = delivery.runtime.settings.telegram_outbox_poll_seconds
    failing = False
    while True:
        try:
            for conversation_id, message, due_at in await asyncio.to_thread(fresh, delivery.runtime):
                delivery.resend(conversation_id, message, due_at)
            failing = False
        except Exception:
            if not failing:  # once per outage, not twice a second
                log.exception("could not look for messages waiting for Telegram; looking again every %s s", every)
            failing = True
        await asyncio.sleep(every)


def fresh(runtime: Runtime) -> list[tuple[str, dict[str, Any], dt.datetime]]:
    """(conversation id, message view, due time) of the pending pushes no sender has taken yet, oldest first."""
    with runtime.sessions() as session:
        rows = push_store.fresh(session, channel=CHANNEL, now=utcnow())
        return [(row.conversation_id, views.message(row.message), row.due_at) for row in rows]
