"""The web chat: start a conversation, send a message, read it back after a reload, and live events (SSE)."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from fastapi.sse import EventSourceResponse, ServerSentEvent
from sqlalchemy.orm import Session

from api.deps import CitizenStream, IdempotencyKey, PublicRateLimit, RuntimeDep, SessionDep
from api.schemas import MAX_ROW_ID, CitizenSays, ConversationOut, ConversationStart, LinkCodeIn, LinkOut, TurnOut
from api.streams import until_idle
from assistant import views
from assistant.engine import Turn
from assistant.live.events import QUEUE_TOPIC, Event, conversation_topic
from assistant.messages import Incoming, LinkCodeTyped, LinkCodeWanted, Once, Start, Tap, Text
from assistant.runtime import Runtime
from assistant.store import cases as case_store
from assistant.store import conversations as conversation_store
from assistant.store.models import Conversation
from assistant.waiting import QueueSnapshot

CHANNEL = "web"
REPLAYED = "Idempotent-Replayed"  # on an answer given again to a retried request
KEY_NEEDS_CLIENT = "Idempotency-Key 要和 client_id 一起发：重发时才知道是谁的对话。"

router = APIRouter(prefix="/api/conversations", tags=["chat"])


def _conversation(session: Session, conversation_id: str) -> Conversation:
    conversation = conversation_store.get(session, conversation_id=conversation_id)
    if conversation is None or conversation.channel != CHANNEL:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有找到这段对话")
    return conversation


def _queue(session: Session, runtime: Runtime, conversation_id: str) -> dict[str, Any] | None:
    case = case_store.open_for_conversation(session, conversation_id=conversation_id)
    return runtime.desk.status(session, case=case).to_dict() if case else None


def _said(body: CitizenSays) -> Text | Tap:
    """A tap sends its key with the button's words; a key alone acts as the tap."""
    return Tap(body.choice, body.text) if body.choice is not None else Text(body.text)


def _answered(response: Response, turn: Turn) -> None:
    if turn.replayed:
        response.headers[REPLAYED] = "true"


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[PublicRateLimit],
             responses={422: {"description": "Idempotency-Key without client_id, or a malformed body or key"}})
def start(body: ConversationStart, session: SessionDep, runtime: RuntimeDep, response: Response,
          key: IdempotencyKey) -> ConversationOut:
    """Start a conversation. With an Idempotency-Key (and client_id), a start sent again returns the conversation
    the first one opened."""
    if key is not None and body.client_id is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, KEY_NEEDS_CLIENT)
    client_id = body.client_id or uuid.uuid4().hex
    once = Once(f"{CHANNEL}:start:{client_id}", key) if key is not None else None
    turn = runtime.assistant.handle(session, Incoming(CHANNEL, client_id, Start(), once=once))
    _answered(response, turn)
    return ConversationOut.model_validate({"id": turn.conversation.id, "client_id": client_id, "case": None,
                                           "messages": [views.message(m) for m in turn.messages]})


@router.get("/{conversation_id}")
def history(conversation_id: str, session: SessionDep, runtime: RuntimeDep,
            after: Annotated[int, Query(ge=0, le=MAX_ROW_ID, description="Only messages after this id")] = 0
            ) -> ConversationOut:
    """Everything so far, for a page that was reloaded or reconnected."""
    conversation = _conversation(session, conversation_id)
    rows = conversation_store.messages(session, conversation_id=conversation.id, after_id=after)
    return ConversationOut.model_validate({"id": conversation.id, "messages": [views.message(m) for m in rows],
                                           "case": _queue(session, runtime, conversation.id)})


@router.post("/{conversation_id}/messages", dependencies=[PublicRateLimit],
             responses={422: {"description": "The Idempotency-Key was used for a different message, or a malformed "
                                             "body or key"}})
def say(conversation_id: str, body: CitizenSays, session: SessionDep, runtime: RuntimeDep, response: Response,
        key: IdempotencyKey) -> TurnOut:
    """What the citizen typed or tapped, and the replies. With an Idempotency-Key (unique within the conversation),
    a message sent again (after a dropped connection) is stored once: the retry gets the same turn back."""
    once = Once(f"{CHANNEL}:{conversation_id}", key, _digest(body)) if key is not None else None
    # The conversation names the sender (UnknownConversation: 404, api/errors.py).
    incoming = Incoming(CHANNEL, "", _said(body), conversation_id=conversation_id, once=once)
    turn = runtime.assistant.handle(session, incoming)
    _answered(response, turn)
    return TurnOut.model_validate({"messages": [views.message(m) for m in turn.messages],
                                   "case": turn.case.to_dict() if turn.case else None})


def _digest(body: CitizenSays) -> str:
    return hashlib.sha256(json.dumps([body.text, body.choice], ensure_ascii=False).encode()).hexdigest()


def _sender(conversation: Conversation) -> str:
    """The page this conversation is with (its own random id)."""
    if conversation.identity is None:  # an old conversation, from before identities were kept per conversation
        raise HTTPException(status.HTTP_409_CONFLICT, "这段对话太旧了，请开始一段新的对话再试。")
    return conversation.identity.external_id


@router.post("/{conversation_id}/link-code", dependencies=[PublicRateLimit])
def link_code(conversation_id: str, session: SessionDep, runtime: RuntimeDep) -> LinkOut:
    """A one-time code to type on Telegram, so both are known as the same citizen."""
    sender = _sender(_conversation(session, conversation_id))
    [reply] = runtime.assistant.handle(session, Incoming(CHANNEL, sender, LinkCodeWanted())).replies
    return LinkOut(text=reply.text)


@router.post("/{conversation_id}/link", dependencies=[PublicRateLimit])
def link(conversation_id: str, body: LinkCodeIn, session: SessionDep, runtime: RuntimeDep) -> LinkOut:
    """A code shown on Telegram, typed here: this page's citizen joins the one who was shown it."""
    sender = _sender(_conversation(session, conversation_id))
    [reply] = runtime.assistant.handle(session, Incoming(CHANNEL, sender, LinkCodeTyped(body.code))).replies
    return LinkOut(text=reply.text)


def _existing(conversation_id: str, runtime: RuntimeDep) -> str:
    """Checked before the stream starts, so an unknown id is a plain 404; no session is held while streaming."""
    with runtime.sessions() as session:
        return _conversation(session, conversation_id).id


@router.get("/{conversation_id}/events", response_class=EventSourceResponse, dependencies=[CitizenStream],
            responses={429: {"description": "Too many streams open from this address"},
                       503: {"description": "Too many streams open in all"}})
async def live(conversation_id: Annotated[str, Depends(_existing)],
               runtime: RuntimeDep) -> AsyncIterable[ServerSentEvent]:
    """Officer replies and queue changes as they happen, until nothing has come for STREAM_IDLE_SECONDS. On
    (re)connect the page fetches what it missed."""
    async with runtime.bus.subscribe(conversation_topic(conversation_id), QUEUE_TOPIC) as events:
        yield ServerSentEvent(comment="connected", retry=3000)
        async for event in until_idle(_for_page(events, conversation_id), runtime.settings.stream_idle_seconds):
            yield ServerSentEvent(data=event, event=event["type"])


async def _for_page(events: AsyncIterator[Event], conversation_id: str) -> AsyncIterator[Event]:
    """The conversation's own events; of a change in the queue, only this citizen's place (when they wait)."""
    async for event in events:
        if event.get("type") != "queue_changed":
            yield event
        elif (status := QueueSnapshot.from_event(event["queue"]).status_for(conversation_id)) is not None:
            yield {"type": "queue", "case": status.to_dict()}
