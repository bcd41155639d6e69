"""`GET /api/conversations/{id}/messages/{message_id}/audio`: the chat page's 读给我听 in our own voice (the same
as the hotline's and Telegram's: the process's one Speaker), not whatever voice the citizen's browser has, if any."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, status
from fastapi.responses import FileResponse, Response, StreamingResponse

from api.deps import PublicRateLimit, RowId, ServicesDep, SessionDep
from api.routes.chat import CHANNEL
from assistant.services import Services
from assistant.store import conversations as conversation_store
from voice.speech.errors import VoiceError
from voice.speech.formats import MEDIA_TYPES
from voice.speech.shared import shared_speaker
from voice.speech.speaker import Speaker

log = logging.getLogger(__name__)
CANNOT_READ = "现在不能朗读，请稍后再试"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The neural model loaded while the service starts (about 1 s, in the background), not on the first 读给我听."""
    speaker = shared_speaker(Services.of(app).runtime.settings)
    if speaker.neural is not None:
        threading.Thread(target=speaker.neural.available, name="voice-load", daemon=True).start()
    yield


router = APIRouter(prefix="/api/conversations", tags=["chat"], lifespan=lifespan)


async def get_speaker(services: ServicesDep) -> Speaker:
    """The process's speaker: the same cache, and the same rule for someone waiting (Speaker.now)."""
    return shared_speaker(services.runtime.settings)


@router.get("/{conversation_id}/messages/{message_id}/audio", dependencies=[PublicRateLimit],
            responses={200: {"content": {"audio/mpeg": {}}, "description": "The message read aloud (MP3); the "
                                                                             "X-Voice header names the voice"},
                       503: {"description": CANNOT_READ}})
def read_aloud(conversation_id: str, message_id: RowId, session: SessionDep, services: ServicesDep,
               speaker: Annotated[Speaker, Depends(get_speaker)]) -> Response:
    """What the assistant or an officer said in this conversation, read aloud."""
    conversation = conversation_store.get(session, conversation_id=conversation_id)
    message = None if conversation is None else conversation_store.message(
        session, conversation_id=conversation.id, message_id=message_id)
    if conversation is None or conversation.channel != CHANNEL or message is None or message.role == "citizen":
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这条可以朗读的话")
    slow = services.runtime.settings.slow_speech
    found = speaker.find(message.text, "mp3", slow)
    streamed = None if found is not None else speaker.stream_now(message.text, slow)
    if streamed is not None:  # not cached: the first clause plays while the rest is synthesised
        return StreamingResponse(streamed.chunks, media_type="audio/mpeg", headers=_headers(streamed.voice))
    try:
        rendered = speaker.now(message.text, "mp3", slow)
    except VoiceError as exc:
        log.error("read-aloud failed, no voice could speak message %s: %s", message_id, exc)
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, CANNOT_READ) from None
    return FileResponse(rendered.path, media_type=MEDIA_TYPES[rendered.path.suffix], headers=_headers(rendered.voice))


def _headers(voice: str) -> dict[str, str]:
    return {"Cache-Control": "private, max-age=86400", "X-Voice": voice}
