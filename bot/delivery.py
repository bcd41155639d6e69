"""Pushed output: what officers and the desk send to a Telegram citizen (a reply, "an officer has come", "did this
solve it?", a new place in the queue) is delivered to their chat as it happens.

Events come from the event bus (the Telegram channel's topic) and name a conversation; the chat is found through the
citizen's stored Telegram identity. Events of one conversation are delivered in order, conversations in parallel.
With the Redis bus every worker hears every event: a claim in Redis lets exactly one of them deliver it.
A delivery that still fails after the sender's retries is logged with the stored message's id: the text itself is
kept in the conversation, where officers see it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assistant.events import Event, channel_topic, follow
from assistant.runtime import Runtime
from assistant.store import citizens as citizen_store
from assistant.store import conversations as conversation_store
from bot import texts
from bot.output import Output, Shown
from bot.preferences import Preferences
from bot.talk import CHANNEL

if TYPE_CHECKING:
    from redis.asyncio import Redis  # an optional dependency, present when REDIS_URL is used

log = logging.getLogger(__name__)


class Claims:
    """With Redis, every worker hears every event and the first to claim one delivers it; a process on its own
    hears each event once and delivers it."""

    def __init__(self, redis: Redis | None = None) -> None:
        self.redis = redis

    async def first(self, key: str, *, seconds: int = 24 * 3600) -> bool:
        """True for the one worker that is to deliver; the claim is kept for `seconds`."""
        if self.redis is None:
            return True
        return bool(await self.redis.set(f"citizen-help:telegram:delivered:{key}", 1, nx=True, ex=seconds))


class Delivery:
    def __init__(self, runtime: Runtime, output: Output, preferences: Preferences,
                 claims: Claims | None = None) -> None:
        self.runtime = runtime
        self.output = output
        self.preferences = preferences
        self.claims = claims or Claims()
        self.listening = asyncio.Event()  # set once subscribed: events published from then on are delivered
        self._chains: dict[str, asyncio.Task[None]] = {}
        # The newest event of each conversation not yet delivered: after a burst of queue changes (officers
        # taking several cases) a citizen hears only their newest place, and none once an officer has come.
        self._newest: dict[str, Event] = {}

    async def run(self, *, first_pause: float = 1.0, max_pause: float = 30.0) -> None:
        """Deliver events until cancelled. A lost subscription is renewed (assistant/events.py: follow); what was
        published meanwhile is still in the conversations, where officers see it."""
        async def enqueue(event: Event) -> None:
            self._enqueue(event)

        def flowing(on: bool) -> None:
            (self.listening.set if on else self.listening.clear)()

        await follow(self.runtime.bus, channel_topic(CHANNEL), enqueue, what="Telegram's live events",
                     subscribed=flowing, first_pause=first_pause, max_pause=max_pause)

    async def drain(self) -> None:
        """Wait for deliveries under way (at shutdown, and in tests)."""
        while self._chains:
            await asyncio.wait(list(self._chains.values()))

    def _enqueue(self, event: Event) -> None:
        conversation_id = str(event.get("conversation_id") or "")
        # A place not yet told is stale once a newer place, or a message (an officer has come), is on its way.
        self._newest[conversation_id] = event
        previous = self._chains.get(conversation_id)
        task = asyncio.create_task(self._deliver_after(previous, event))
        self._chains[conversation_id] = task
        task.add_done_callback(lambda done: self._forget(conversation_id, done))

    def _forget(self, conversation_id: str, task: asyncio.Task[None]) -> None:
        if self._chains.get(conversation_id) is task:
            del self._chains[conversation_id]

    async def _deliver_after(self, previous: asyncio.Task[None] | None, event: Event) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        try:
            await self.deliver(event)
        except Exception:
            message_id = (event.get("message") or {}).get("id")
            log.exception("could not deliver %s event (message id %s) of conversation %s to Telegram",
                          event.get("type"), message_id, event.get("conversation_id"))

    async def deliver(self, event: Event) -> None:
        conversation_id = str(event.get("conversation_id"))
        newest = self._newest.get(conversation_id, event) is event
        if newest:
            self._newest.pop(conversation_id, None)
        elif event.get("type") == "queue":
            return
        chats = await asyncio.to_thread(self._chats, conversation_id)
        if event.get("type") == "message":
            shown = _shown(event["message"])
            for chat_id in chats:
                if await self.claims.first(f"message:{event['message']['id']}:{chat_id}"):
                    await self.output.show(chat_id, [shown])
        elif event.get("type") == "queue":
            for chat_id in chats:
                await self._queue_place(chat_id, event["case"])

    async def _queue_place(self, chat_id: int, status: Mapping[str, Any]) -> None:
        """A waiting citizen hears when their place changes; the first place they were told with the hand-over."""
        if status.get("status") != "waiting" or status.get("position") is None:
            return
        told = await self.preferences.queue_place(chat_id, status["case_id"])
        await self.preferences.set_queue_place(chat_id, status["case_id"], status["position"])
        claim = f"queue:{status['case_id']}:{status['position']}:{chat_id}"  # the same place again later is news
        if told is not None and told != status["position"] and await self.claims.first(claim, seconds=60):
            await self.output.show(chat_id, [{"text": status["text"], "choices": []}])

    def _chats(self, conversation_id: str) -> list[int]:
        with self.runtime.sessions() as session:
            conversation = conversation_store.get(session, conversation_id=conversation_id)
            if conversation is None or conversation.channel != CHANNEL:
                return []
            ids = citizen_store.external_ids(session, citizen_id=conversation.citizen_id, channel=CHANNEL)
        return [int(chat_id) for chat_id in ids]


def _shown(message: Mapping[str, Any]) -> Shown:
    """A stored message's view as the chat shows it: an officer's words under their name."""
    if message.get("role") == "officer" and message.get("sender"):
        return {**message, "text": texts.OFFICER_SAYS.format(name=message["sender"], text=message["text"])}
    return message
