"""A carrier stand-in: walks the hotline's TwiML in-process through the same routes (signed, when a token is set),
so a developer or an office can try the hotline without a phone line. Used by `citizen-help call` and the bench."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI
from twilio.request_validator import RequestValidator

from voice.hotline.signature import SIGNATURE_HEADER

BASE_URL = "http://hotline.local"


@dataclass
class Step:
    """One TwiML document, as the caller experiences it."""

    said: list[str] = field(default_factory=list)  # the words behind each Play (or Say)
    audio: list[str] = field(default_factory=list)  # the Play URLs
    listen_to: str | None = None  # Gather action: the caller may speak or press now
    on_silence: str | None = None  # where the carrier goes when nothing was said
    one_key: bool = True
    dial: tuple[str, str] | None = None  # (number, action)
    enqueue: tuple[str, str] | None = None  # (wait URL, action)
    leave: bool = False
    hung_up: bool = False


class CallSimulator:
    def __init__(self, client: httpx.AsyncClient, *, caller: str, called: str = "+8612345",
                 token: str | None = None, text_of: Callable[[str], str | None] = lambda name: None) -> None:
        self.client = client
        self.form = {"CallSid": f"CA{uuid.uuid4().hex}", "From": caller, "To": called}
        self.token = token
        self.text_of = text_of
        self.step = Step()
        self.steps: list[Step] = []

    async def start(self) -> Step:
        return await self._post("/voice/twilio/incoming", {})

    async def say(self, words: str) -> Step:
        return await self._post(self._listening(), {"SpeechResult": words, "Confidence": "0.9"})

    async def press(self, keys: str) -> Step:
        return await self._post(self._listening(), {"Digits": keys})

    async def keep_silent(self) -> Step:
        self._listening()
        assert self.step.on_silence is not None
        return await self._post(self.step.on_silence, {})

    async def duty_phone(self, *, answered: bool) -> Step:
        assert self.step.dial is not None, "the call is not being put through to the duty phone"
        return await self._post(self.step.dial[1], {"DialCallStatus": "completed" if answered else "no-answer"})

    async def wait(self) -> Step:
        """One round of waiting in the queue: the place is told; leaving the queue follows the Enqueue action."""
        enqueue = self.step.enqueue
        assert enqueue is not None, "the caller is not in the queue"
        step = await self._post(enqueue[0], {"QueuePosition": "1", "QueueTime": "0"})
        if step.leave:
            return await self._post(enqueue[1], {"QueueResult": "leave"})
        step.enqueue = enqueue  # still waiting
        return step

    async def hang_up(self) -> None:
        """The caller hangs up; the carrier's status callback follows."""
        await self._post("/voice/twilio/status", {"CallStatus": "completed"})

    def _listening(self) -> str:
        assert self.step.listen_to is not None, "the hotline is not listening now"
        return self.step.listen_to

    async def _post(self, url: str, fields: dict[str, str]) -> Step:
        form = {**self.form, **fields}
        absolute = url if url.startswith("http") else BASE_URL + url
        headers = {}
        if self.token:
            headers[SIGNATURE_HEADER] = RequestValidator(self.token).compute_signature(absolute, form)
        response = await self.client.post(absolute, data=form, headers=headers)
        response.raise_for_status()
        step = self.read(response.text)
        if fields.get("CallStatus") is None:
            self.step = step
            self.steps.append(step)
        return step

    def read(self, document: str) -> Step:
        step = Step()
        root = ET.fromstring(document)
        for verb in root:
            self._read_verb(verb, step)
        return step

    def _read_verb(self, verb: ET.Element, step: Step) -> None:
        if verb.tag == "Play":
            url = (verb.text or "").strip()
            step.audio.append(url)
            step.said.append(self.text_of(urlsplit(url).path.rsplit("/", 1)[-1]) or url)
        elif verb.tag == "Say":
            step.said.append(verb.text or "")
        elif verb.tag == "Gather":
            step.listen_to, step.one_key = verb.get("action"), verb.get("numDigits") == "1"
            for inner in verb:
                self._read_verb(inner, step)
        elif verb.tag == "Redirect":
            step.on_silence = (verb.text or "").strip()
        elif verb.tag == "Dial":
            step.dial = ((verb.text or "").strip(), verb.get("action", ""))
        elif verb.tag == "Enqueue":
            step.enqueue = (verb.get("waitUrl", ""), verb.get("action", ""))
        elif verb.tag == "Leave":
            step.leave = True
        elif verb.tag == "Hangup":
            step.hung_up = True


@asynccontextmanager
async def in_process(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client talking to the app in this process, with the app started (its lifespan run) first."""
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield client
