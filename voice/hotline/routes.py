"""The hotline's webhooks in the TwiML dialect: a call starts at `POST /voice/twilio/incoming` and goes on through the
action URLs each answer names; the audio it plays is served from our own voice cache."""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response, status
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from assistant import texts
from assistant.http_services import RuntimeDep, ServicesDep, SessionDep
from assistant.services import Services
from knowledge.loader import Office
from voice.hotline.audio import MEDIA_TYPES
from voice.hotline.caller import Call
from voice.hotline.calls import CallFlow, Hotline, Links
from voice.hotline.signature import CarrierForm

log = logging.getLogger(__name__)


def sample_values(offices: dict[str, Office]) -> list[str]:
    """Each office field still holding a sample (示例), as office.field."""
    return [f"{key}.{name}" for key, office in offices.items() for name, value in dataclasses.asdict(office).items()
            if texts.SAMPLE_MARK in value]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Runs inside the app's own lifespan, once its services are built: the hotline's part joins them."""
    services = Services.of(app)
    hotline = Hotline.build(services.runtime)
    services.add(hotline)
    if held := sample_values(services.runtime.assistant.dialogue.offices):
        fields = Counter(value.rsplit(".", 1)[1] for value in held)
        log.warning("sample values (示例) still set, never read to callers nor shown as fact: %d (%s; e.g. %s); "
                    "point OFFICES_FILE at your office's own file", len(held),
                    ", ".join(f"{field} of {count} offices" for field, count in fields.items()), ", ".join(held[:4]))
    yield
    await run_in_threadpool(hotline.close)


router = APIRouter(prefix="/voice", tags=["hotline"], lifespan=lifespan)  # the audio, which read-aloud uses too
webhooks = APIRouter(prefix="/voice/twilio", tags=["hotline"])  # the carrier's, only when HOTLINE_ENABLED

ConversationId = Annotated[str, Query(alias="conversation", pattern=r"^[0-9a-f]{32}$")]
Step = Annotated[int, Query(ge=1, le=1_000_000, description="The call's step: each answer names the next one")]
Page = Annotated[int, Query(ge=0, le=50, description="The page of a long answer the caller is hearing")]
TWIML = "application/xml"


async def get_hotline(services: ServicesDep) -> Hotline:  # async: no trip to a worker thread
    return services.part(Hotline)


HotlineDep = Annotated[Hotline, Depends(get_hotline)]


async def get_flow(request: Request, hotline: HotlineDep, runtime: RuntimeDep, session: SessionDep) -> CallFlow:
    def action_url(route: str, conversation_id: str, step: int, params: dict[str, str]) -> str:
        return str(request.url_for(route).include_query_params(conversation=conversation_id, step=step, **params))

    def audio_url(path: Path) -> str:
        return str(request.url_for("hotline_audio", name=path.name).include_query_params(
            t=hotline.audio.token(path.name)))

    flow = CallFlow(hotline, runtime, session, Links(action_url, audio_url))
    if hotline.cantonese is not None and request.query_params.get("lang") == hotline.cantonese:
        flow.language = hotline.cantonese  # the caller chose it (9); any other value is not ours and is ignored
    return flow


Flow = Annotated[CallFlow, Depends(get_flow)]


def _twiml(document: str) -> Response:
    return Response(content=document, media_type=TWIML)


@webhooks.post("/incoming", name="hotline_incoming")
def incoming(form: CarrierForm, flow: Flow) -> Response:
    """A call starts: the greeting, listening at once (form fields CallSid, From, To)."""
    call = Call.from_form(form, signed=form.signed)
    return _twiml(flow.once(call, "incoming", lambda once: flow.greet(call, once)))


@webhooks.post("/gather", name="hotline_gather")
def gather(form: CarrierForm, flow: Flow, conversation: ConversationId, step: Step, page: Page = 0) -> Response:
    """What the caller said (SpeechResult) or pressed (Digits)."""
    call = Call.from_form(form, signed=form.signed)
    return _twiml(flow.once(call, "gather", lambda once: flow.heard(call, conversation, once, page=page),
                            step=step, conversation_id=conversation))


@webhooks.post("/silence", name="hotline_silence")
def silence(form: CarrierForm, flow: Flow, conversation: ConversationId, step: Step, page: Page = 0,
            bye: Annotated[bool, Query(description="Silence here ends the call kindly (after thanks)")] = False
            ) -> Response:
    """Listening timed out with nothing said."""
    call = Call.from_form(form, signed=form.signed)
    return _twiml(flow.once(call, "silence", lambda once: flow.silence(call, conversation, once, page=page, bye=bye),
                            step=step, conversation_id=conversation))


@webhooks.post("/dialled", name="hotline_dialled")
def dialled(form: CarrierForm, flow: Flow, conversation: ConversationId, step: Step) -> Response:
    """How ringing the duty phone went (DialCallStatus)."""
    status = form.get("DialCallStatus", "")
    call = Call.from_form(form, signed=form.signed)
    return _twiml(flow.once(call, "dialled", lambda once: flow.dialled(conversation, status, once), step=step,
                            conversation_id=conversation))


@webhooks.post("/wait", name="hotline_wait")
def wait(form: CarrierForm, flow: Flow, conversation: ConversationId) -> Response:
    """While the caller waits in the queue: their place, again each round (the same URL each time; it changes
    nothing, so it is answered afresh)."""
    return _twiml(flow.waiting(conversation).to_xml())


@webhooks.post("/wait-key", name="hotline_wait_key")
def wait_key(form: CarrierForm, flow: Flow, conversation: ConversationId, step: Step) -> Response:
    """A key pressed while waiting in the queue (Digits): 1 leaves it."""
    call = Call.from_form(form, signed=form.signed)
    return _twiml(flow.once(call, "wait-key", lambda once: flow.leave_by_key(call, conversation, once), step=step,
                            conversation_id=conversation))


@webhooks.post("/queue-left", name="hotline_queue_left")
def queue_left(form: CarrierForm, flow: Flow, conversation: ConversationId, step: Step) -> Response:
    """The caller left the queue (QueueResult): talked to an officer, hung up, or nobody was there."""
    result = form.get("QueueResult", "")
    return _twiml(flow.once(Call.from_form(form, signed=form.signed), "queue-left",
                            lambda once: flow.left_queue(conversation, result, once), step=step,
                            conversation_id=conversation))


@webhooks.post("/status", name="hotline_status")
def call_status(form: CarrierForm, flow: Flow) -> Response:
    """The carrier's status callback (set on the phone number): when a call ends, its checklist is shared. Each
    status of a call counts once."""
    call, status = Call.from_form(form, signed=form.signed), form.get("CallStatus", "")
    return _twiml(flow.once(call, f"status-{status[:24]}", lambda once: flow.call_ended(call, status, once)))


@router.get("/audio/{name}", name="hotline_audio", include_in_schema=False)
def audio(name: str, hotline: HotlineDep, t: Annotated[str, Query(max_length=64)] = "") -> FileResponse:
    """An audio file we handed out in TwiML; the token keeps the rest of the cache private."""
    path = hotline.audio.served(name, t)
    if path is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such audio")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix])
