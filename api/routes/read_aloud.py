"""`GET /api/conversations/{id}/messages/{message_id}/audio`: the chat page's 读给我听 in our own voice (the same
as the hotline's and Telegram's), not whatever voice the citizen's browser has, if any."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.responses import FileResponse

from api.deps import PublicRateLimit, RowId, ServicesDep, SessionDep
from api.routes.chat import CHANNEL
from assistant.store import conversations as conversation_store
from voice.hotline.audio import MEDIA_TYPES, PhoneAudio
from voice.hotline.calls import Hotline

router = APIRouter(prefix="/api/conversations", tags=["chat"])


async def get_audio(services: ServicesDep) -> PhoneAudio:
    """The hotline's audio: the same cache, and the same rule for someone waiting (the offline voice now if the
    sentence is new, the online voice rendered in the background for next time)."""
    return services.part(Hotline).audio


@router.get("/{conversation_id}/messages/{message_id}/audio", dependencies=[PublicRateLimit],
            response_class=FileResponse,
            responses={200: {"content": {"audio/mpeg": {}}, "description": "The message read aloud (MP3)"}})
def read_aloud(conversation_id: str, message_id: RowId, session: SessionDep,
               audio: Annotated[PhoneAudio, Depends(get_audio)]) -> FileResponse:
    """What the assistant or an officer said in this conversation, read aloud."""
    conversation = conversation_store.get(session, conversation_id=conversation_id)
    message = None if conversation is None else conversation_store.message(
        session, conversation_id=conversation.id, message_id=message_id)
    if conversation is None or conversation.channel != CHANNEL or message is None or message.role == "citizen":
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这条可以朗读的话")
    path = audio.file_for(message.text)
    if path is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "现在读不了，请稍后再试")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers={"Cache-Control": "private, max-age=86400"})
