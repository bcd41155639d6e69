"""Messages for Telegram chats that did not get there live are sent again from the pending pushes: those Telegram
did not take (tried again after TELEGRAM_REDELIVER_SECONDS, then twice as long each time, at most 30 minutes) and
those written while the bot was down or its event was lost (sent once they are that old). After a week a message is
given up: it stays in the conversation, where officers see it."""

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

GIVE_UP_AFTER = dt.timedelta(days=7)


async def redeliver(delivery: Delivery) -> None:
    """Until cancelled: every TELEGRAM_REDELIVER_SECONDS, queue what is due on the delivery's usual path."""
    every = delivery.runtime.settings.telegram_redeliver_seconds
    while True:
        try:
            for conversation_id, message, due_at in await asyncio.to_thread(due, delivery.runtime):
                delivery.resend(conversation_id, message, due_at)
        except Exception:
            log.exception("could not read the messages waiting for Telegram; trying again in %s s", every)
        await asyncio.sleep(every)


def due(runtime: Runtime) -> list[tuple[str, dict[str, Any], dt.datetime]]:
    """(conversation id, message view, due time) of the pending pushes due now, oldest first; gives up week-old
    ones."""
    now = utcnow()
    grace = dt.timedelta(seconds=runtime.settings.telegram_redeliver_seconds)
    with runtime.sessions() as session:
        stale = push_store.older_than(session, before=now - GIVE_UP_AFTER)
        if stale:
            push_store.forget(session, before=now - GIVE_UP_AFTER)
            log.error("gave up sending messages %s to Telegram after %s days; they stay in their conversations",
                      stale, GIVE_UP_AFTER.days)
        rows = push_store.due(session, channel=CHANNEL, now=now, grace=grace)
        found = [(row.conversation_id, views.message(row.message), row.due_at) for row in rows]
        session.commit()
    return found
