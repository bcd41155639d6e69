"""Each Telegram update handled once, whoever receives it: Telegram sends an update again when it got no answer in
time (a slow reply, a worker killed mid-way), long polling hands out again what a dead poller had not confirmed, and
someone holding the webhook secret could replay one. The claim is a row in the database that every worker shares.

A claim is taken before the update is handled and marked done after, also when handling failed (the citizen was
answered kindly and their words kept: doing it again would keep them twice). A claim left unfinished (its worker
died) is taken over once `lease` has passed; until then a webhook copy is answered 503, so Telegram tries again
later instead of the update being lost."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from sqlalchemy.orm import Session, sessionmaker

from assistant.store import replays as replay_store
from assistant.store.types import utcnow

WEBHOOK_LEASE = dt.timedelta(seconds=60)  # longer than Telegram waits for a webhook's answer


class Claim(enum.Enum):
    MINE = "mine"  # handle it now
    DONE = "done"  # handled before: acknowledge, do nothing
    BUSY = "busy"  # being handled elsewhere, or by a worker that died less than a lease ago


IN_PROGRESS = Claim.BUSY  # what feed_update returns for such an update: the webhook answers 503


class OncePerUpdate(BaseMiddleware):
    """An outer update middleware: updates with an update_id already handled are dropped."""

    def __init__(self, sessions: sessionmaker[Session], bot_id: int, lease: dt.timedelta = WEBHOOK_LEASE) -> None:
        self.sessions, self.scope, self.lease = sessions, f"telegram:{bot_id}", lease

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        key = str(event.update_id)
        claim = self.claim(key)
        if claim is Claim.DONE:
            return None
        if claim is Claim.BUSY:
            return IN_PROGRESS
        try:
            result = await handler(event, data)
        except Exception:
            self.finish(key)
            raise
        self.finish(key)  # not on cancellation (shutdown): a claim left unfinished is taken over after the lease
        return result

    def claim(self, key: str) -> Claim:
        with self.sessions() as session:
            try:
                replay_store.record(session, scope=self.scope, key=key, done=False)
                session.commit()
                return Claim.MINE
            except replay_store.AlreadyDone:
                session.rollback()
            row = replay_store.earlier(session, scope=self.scope, key=key)
            if row is None or row.done:
                return Claim.DONE  # None: handled so long ago that its record was forgotten
            if replay_store.take_over(session, row=row, stale_before=utcnow() - self.lease):
                session.commit()
                return Claim.MINE
            return Claim.BUSY

    def finish(self, key: str) -> None:
        with self.sessions() as session:
            replay_store.finish(session, scope=self.scope, key=key)
            session.commit()
