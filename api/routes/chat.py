"""The web chat: start a conversation, send a message, read it back after a reload, and live events (SSE)."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import AsyncIterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from fastapi.sse import EventSourceResponse, ServerSentEvent
from sqlalchemy.orm import Session

from api.deps import CitizenStream, IdempotencyKey, PublicRateLimit, RuntimeDep, SessionDep
from api.schemas import MAX_ROW_ID, CitizenSays, ConversationOut, ConversationStart, LinkCodeIn, LinkOut, TurnOut
from api.streams import until_idle
from assistant import views
from assistant.engine import Turn
from assistant.live.events import conversation_topic
from assistant.messages import Incoming, Once
from assistant.runtime import Runtime
from assistant.store import cases as case_store
from assistant.store import conversations as conversation_store
from assistant.store.models import Conversation

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
    turn = runtime.assistant.start(session, channel=CHANNEL, sender_id=client_id, once=once)
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
    conversation = _conversation(session, conversation_id)
    meta = {"conversation_id": conversation.id, "choice": body.choice}
    once = Once(f"{CHANNEL}:{conversation.id}", key, _digest(body)) if key is not None else None
    turn = runtime.assistant.handle(session, Incoming(CHANNEL, str(conversation.citizen_id), body.text, meta, once))
    _answered(response, turn)
    return TurnOut.model_validate({"messages": [views.message(m) for m in turn.messages],
                                   "case": _queue(session, runtime, conversation.id)})


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
    return LinkOut(text=runtime.assistant.link_code(session, channel=CHANNEL, sender_id=sender).text)


@router.post("/{conversation_id}/link", dependencies=[PublicRateLimit])
def link(conversation_id: str, body: LinkCodeIn, session: SessionDep, runtime: RuntimeDep) -> LinkOut:
    """A code shown on Telegram, typed here: this page's citizen joins the one who was shown it."""
    sender = _sender(_conversation(session, conversation_id))
    reply = runtime.assistant.use_link_code(session, channel=CHANNEL, sender_id=sender, code=body.code)
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
    async with runtime.bus.subscribe(conversation_topic(conversation_id)) as events:
        yield ServerSentEvent(comment="connected", retry=3000)
        async for event in until_idle(events, runtime.settings.stream_idle_seconds):
            yield ServerSentEvent(data=event, event=event["type"])
