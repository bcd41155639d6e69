"""What `serve` does by itself: once a day it clears personal data older than PERSONAL_DATA_MAX_DAYS, whatever a
case's status, so the maximum holds even if nobody runs `citizen-help purge`.

Every worker checks once an hour; the first to claim the day's run (assistant/store/jobs.py) purges, in batches
that citizens' messages interleave with, and logs what it cleared and the trail's newest event (an anchor for
`citizen-help audit verify --anchor`). A run that fails is tried again the next day; the error is logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import threading

import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.purge import Purged, purge
from assistant.runtime import Runtime
from assistant.settings import Settings
from assistant.store import jobs
from assistant.store.models import CaseEvent

log = logging.getLogger("citizen_help.upkeep")

PURGE_JOB = "purge"
EVERY = dt.timedelta(days=1)
CHECK_SECONDS = 3600.0


def purge_if_due(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime,
                 stop: threading.Event | None = None) -> Purged | None:
    """The day's purge, if no worker has started it in the last day; None if one has. `stop` ends it between
    batches (the service is shutting down; the rest waits for the next run)."""
    days = settings.personal_data_max_days
    maximum = now - dt.timedelta(days=days)
    with sessions() as session:
        claimed = jobs.claim(session, name=PURGE_JOB, now=now, every=EVERY)
        session.commit()  # the claim is seen by every worker before the work starts (or it was somebody else's)
        if not claimed:
            return None
        purged = purge(session, before=maximum, hard_before=maximum, by=f"serve: PERSONAL_DATA_MAX_DAYS={days}",
                       stop=stop.is_set if stop is not None else lambda: False)
        newest = session.execute(select(CaseEvent.id, CaseEvent.event_hash).order_by(CaseEvent.id.desc())
                                 .limit(1)).first()
    log.info("purged personal data from before %s (PERSONAL_DATA_MAX_DAYS=%d): %s; %d batches, the longest %.3f s",
             f"{maximum:%Y-%m-%d %H:%M} UTC", days, purged.summary(), purged.batches, purged.longest_batch)
    if newest is not None:
        log.info("audit trail's newest event: %d:%s", newest.id, newest.event_hash)
    return purged


class DailyPurge:
    """The background task of one worker; stopping it ends a purge under way after its current batch."""

    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self._stop = threading.Event()  # seen by the purge between its batches, in its thread
        self._stopping = asyncio.Event()  # wakes the loop from its hour's wait
        self.checked = threading.Event()  # set once the first check (and the purge it found due) has finished
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        """Ends the loop and waits for a purge under way to finish its batch. Not by cancelling the task: a cancel
        does not reach the worker thread, which would go on purging after the service (and its database) is gone."""
        self._stop.set()
        self._stopping.set()
        if self._task is not None:
            await self._task

    async def _loop(self) -> None:
        runtime = self.runtime
        while not self._stop.is_set():
            try:
                await anyio.to_thread.run_sync(purge_if_due, runtime.sessions, runtime.settings,
                                               runtime.desk.clock(), self._stop)
            except Exception:
                log.exception("the daily purge failed; tried again tomorrow")
            self.checked.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), CHECK_SECONDS)  # the next check, or the stop
