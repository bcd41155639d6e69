"""Pushed output: what officers and the desk send to a Telegram citizen (a reply, "an officer has come", "did this
solve it?", a new place in the queue) is delivered to their chat as it happens.

Events come from the event bus (the Telegram channel's topic) and name a conversation; the chat is found through the
citizen's stored Telegram identity. Events of one conversation are delivered in order, conversations in parallel.
With the Redis bus every worker hears every event: a claim in Redis lets exactly one of them deliver it.
Every message for a Telegram chat is kept as a pending push until it is delivered. The one process that sends it,
live or again, first takes it (holds it for SENDING_LEASE), so no other sends it meanwhile. One the live event could
not deliver (Telegram unreachable beyond the sender's retries, the bot down when it was written) is sent again later
(bot/redelivery.py). One Telegram refuses for good (the citizen blocked the bot) is logged and stays in the
conversation, where officers see it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramNotFound
from sqlalchemy.orm import Session

from assistant import views
from assistant.live.events import OFFICERS_TOPIC, QUEUE_TOPIC, Event, channel_topic, follow
from assistant.outbox import publish_after_commit
from assistant.runtime import Runtime
from assistant.store import conversations as conversation_store
from assistant.store import pushes as push_store
from assistant.store.models import Message
from assistant.store.types import utcnow
from assistant.waiting import places
from bot import texts
from bot.output import Output, Shown
from bot.preferences import Preferences
from bot.talk import CHANNEL

if TYPE_CHECKING:
    from redis.asyncio import Redis  # an optional dependency, present when REDIS_URL is used

log = logging.getLogger(__name__)

# Telegram will never take these for this chat (blocked by the citizen, no such chat): trying again cannot help.
_FOR_GOOD = (TelegramForbiddenError, TelegramBadRequest, TelegramNotFound)
# A pending push being sent is not sent by anyone else for this long (longer than the sender's retries and its
# longest wait for a 429); if this process dies meanwhile, it is sent again once the time is up.
SENDING_LEASE = dt.timedelta(minutes=15)


class Claims:
    """With Redis, every worker hears every event and the first to claim one delivers it; a process on its own
    hears each event once and delivers it."""

    def __init__(self, redis: Redis | None = None) -> None:
        self.redis = redis

    async def first(self, key: str, *, seconds: int = 24 * 3600) -> bool:
        """True for the one worker that is to deliver; the claim is kept for `seconds`."""
        if self.redis is None:
            return True
        return bool(await self.redis.set(self._key(key), 1, nx=True, ex=seconds))

    async def release(self, key: str) -> None:
        """After a failed delivery: the next try, by any worker, may claim it again."""
        if self.redis is not None:
            await self.redis.delete(self._key(key))

    @staticmethod
    def _key(key: str) -> str:
        return f"citizen-help:telegram:delivered:{key}"


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
        self._in_flight: set[int] = set()  # ids of messages queued for delivery here and not yet done

    async def run(self, *, first_pause: float = 1.0, max_pause: float = 30.0) -> None:
        """Deliver events until cancelled. A lost subscription is renewed (assistant/live/events.py: follow); what was
        published meanwhile is still in the conversations, where officers see it."""
        async def enqueue(event: Event) -> None:
            if event.get("type") == "queue_changed":  # one event for the whole queue: our citizens' places
                for conversation_id, status in places(event, channel=CHANNEL):
                    self._enqueue({"type": "queue", "conversation_id": conversation_id, "case": status.to_dict()})
            else:
                self._enqueue(event)

        def flowing(on: bool) -> None:
            (self.listening.set if on else self.listening.clear)()

        await follow(self.runtime.bus, channel_topic(CHANNEL), enqueue, what="Telegram's live events",
                     subscribed=flowing, first_pause=first_pause, max_pause=max_pause, also=(QUEUE_TOPIC,))

    async def drain(self) -> None:
        """Wait for deliveries under way (at shutdown, and in tests)."""
        while self._chains:
            await asyncio.wait(list(self._chains.values()))

    def resend(self, conversation_id: str, message: Mapping[str, Any], due_at: dt.datetime) -> None:
        """A message still pending, as last seen (due at `due_at`), unless it is on its way already."""
        if int(message["id"]) not in self._in_flight:
            self._enqueue({"type": "message", "conversation_id": conversation_id, "message": message,
                           "seen_due_at": due_at})

    def _enqueue(self, event: Event) -> None:
        conversation_id = str(event.get("conversation_id") or "")
        if event.get("type") == "message":
            self._in_flight.add(int(event["message"]["id"]))
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
            log.exception("could not deliver %s event of conversation %s to Telegram", event.get("type"),
                          event.get("conversation_id"))
        finally:
            if event.get("type") == "message":
                self._in_flight.discard(int(event["message"]["id"]))

    async def deliver(self, event: Event) -> None:
        conversation_id = str(event.get("conversation_id"))
        newest = self._newest.get(conversation_id, event) is event
        if newest:
            self._newest.pop(conversation_id, None)
        elif event.get("type") == "queue":
            return
        chats = await asyncio.to_thread(self._chats, conversation_id)
        if event.get("type") == "message":
            await self._message(conversation_id, event["message"], chats, seen_due_at=event.get("seen_due_at"))
        elif event.get("type") == "queue":
            for chat_id in chats:
                await self._queue_place(chat_id, event["case"])

    async def _message(self, conversation_id: str, message: Mapping[str, Any], chats: list[int], *,
                       seen_due_at: dt.datetime | None) -> None:
        """Shown in each of the citizen's chats, after any earlier message of the conversation still pending; then
        the next one pending is sent, or this one waits for a later try. seen_due_at: a pending push being sent
        again, which this process must first take (another may be sweeping too)."""
        message_id = int(message["id"])
        if seen_due_at is not None:
            if not await asyncio.to_thread(self._take, message_id, seen_due_at):
                return  # delivered meanwhile, or taken by another process
        elif not await asyncio.to_thread(self._take_first, conversation_id, message_id):
            return  # an earlier one still pending brings it along once delivered; or it is on its way already
        shown, tried = _shown(message), not chats  # no chat to show it in: nothing will ever deliver it
        try:
            for chat_id in chats:
                claim = f"message:{message_id}:{chat_id}"
                if not await self.claims.first(claim):
                    continue  # another worker is delivering it
                tried = True
                try:
                    await self.output.show(chat_id, [shown])
                except Exception:
                    await self.claims.release(claim)
                    raise
        except Exception as exc:
            await asyncio.to_thread(self._settle, message_id, exc)
            return
        if tried:
            following = await asyncio.to_thread(self._settle, message_id, None, conversation_id)
            if following is not None:
                self.resend(conversation_id, *following)

    def _take_first(self, conversation_id: str, message_id: int) -> bool:
        """A live event's message is sent only if it is the conversation's earliest pending one and no sender has
        taken it yet (another worker that heard the event too, a process that found it in the outbox first); then
        taken like a resend: no one else sends it while Telegram makes this delivery wait (a 429)."""
        with self.runtime.sessions() as session:
            first = push_store.earliest(session, conversation_id=conversation_id)
            if first is None or first.message_id != message_id or not push_store.untouched(first):
                return False
            return _take(session, message_id, first.due_at)

    def _take(self, message_id: int, seen_due_at: dt.datetime) -> bool:
        with self.runtime.sessions() as session:
            return _take(session, message_id, seen_due_at)

    def _settle(self, message_id: int, error: Exception | None,
                conversation_id: str | None = None) -> tuple[dict[str, Any], dt.datetime] | None:
        """Records how a delivery went; after a success, returns the conversation's next pending message, if any."""
        pause = dt.timedelta(seconds=self.runtime.settings.telegram_redeliver_seconds)
        following = None
        with self.runtime.sessions() as session:
            if error is None:
                if push_store.remove(session, message_id=message_id):  # it had failed before: officers saw that
                    _tell_officers(session, message_id, delivered=True)
                after = push_store.earliest(session, conversation_id=conversation_id) if conversation_id else None
                following = (views.message(after.message), after.due_at) if after is not None else None
            elif isinstance(error, _FOR_GOOD):
                push_store.remove(session, message_id=message_id)
                log.error("message %s will not reach Telegram (%s); it stays in the conversation for officers",
                          message_id, error)
            else:
                pending = push_store.failed(session, message_id=message_id, error=f"{type(error).__name__}: {error}",
                                            now=utcnow(), first_pause=pause)
                if pending is not None:
                    log.warning("message %s did not reach Telegram (%s); trying again at %s (attempt %d failed)",
                                message_id, error, f"{pending.due_at:%H:%M:%S}", pending.attempts)
                    if pending.attempts == 1:
                        _tell_officers(session, message_id, delivered=False)
            session.commit()
        return following

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
        """The conversation's own chat: never the citizen's other chats, which may be other people's phones."""
        with self.runtime.sessions() as session:
            conversation = conversation_store.get(session, conversation_id=conversation_id)
            identity = conversation.identity if conversation is not None else None
            if identity is None or identity.channel != CHANNEL:
                return []
            return [int(identity.external_id)]


def _take(session: Session, message_id: int, seen_due_at: dt.datetime) -> bool:
    """Holds the pending push for this sender for SENDING_LEASE if it is still as seen; committed at once."""
    taken = push_store.take(session, message_id=message_id, seen_due_at=seen_due_at, until=utcnow() + SENDING_LEASE)
    session.commit()
    return taken


def _tell_officers(session: Session, message_id: int, *, delivered: bool) -> None:
    """A case's console shows which of the officer's words have not reached the chat: it is told when that changes."""
    message = session.get(Message, message_id)
    if message is not None and message.case_id is not None:
        publish_after_commit(session, OFFICERS_TOPIC, {"type": "delivery", "case_id": message.case_id,
                                                       "message_id": message_id, "delivered": delivered})


def _shown(message: Mapping[str, Any]) -> Shown:
    """A stored message's view as the chat shows it: an officer's words under their name."""
    if message.get("role") == "officer" and message.get("sender"):
        return {**message, "text": texts.OFFICER_SAYS.format(name=message["sender"], text=message["text"])}
    return message
