"""Request and response bodies."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

MAX_ROW_ID = 2**31 - 1  # ids are INTEGER columns: PostgreSQL's are 32-bit; a larger id must not reach the database
RowIdValue = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]  # a row id in a request body

# The chat accepts long text so it can answer kindly that it is too long; beyond this it is not a message at all.
MAX_BODY_TEXT = 100_000


class AskIn(BaseModel):
    text: str = Field(max_length=2000, examples=["身份证过期了咋换"])


class ScoredOut(BaseModel):
    id: str
    score: float


class AskOut(BaseModel):
    label: str = Field(description="The decided label: a service id, or out_of_scope, human, emergency")
    confidence: float
    top3: list[ScoredOut]
    answer: str


class ChoiceOut(BaseModel):
    key: str
    label: str


class MessageOut(BaseModel):
    id: int
    role: Literal["citizen", "assistant", "officer"]
    text: str
    kind: str
    choices: list[ChoiceOut]
    speakable: bool
    priority: bool
    sender: str | None
    created_at: str


class QueueOut(BaseModel):
    case_id: int
    status: str
    position: int | None
    minutes: int | None
    on_duty: int
    text: str


class ConversationStart(BaseModel):
    client_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{8,64}$",
                                  description="The browser's own random id: the same citizen across conversations")


class ConversationOut(BaseModel):
    id: str
    client_id: str | None = None
    messages: list[MessageOut]
    case: QueueOut | None


class CitizenSays(BaseModel):
    text: str = Field(default="", max_length=MAX_BODY_TEXT)
    choice: str | None = Field(default=None, pattern=r"^[0-9]$", description="The key of a tapped choice")


class TurnOut(BaseModel):
    messages: list[MessageOut]
    case: QueueOut | None


class LinkCodeIn(BaseModel):
    code: str = Field(pattern=r"^[0-9 ]{6,16}$", description="The code shown on the citizen's other channel")


class LinkOut(BaseModel):
    text: str = Field(description="What to tell the citizen")


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class OfficerOut(BaseModel):
    id: int
    username: str
    name: str
    role: str
    on_duty: bool


class OfficerCreate(BaseModel):
    username: str = Field(pattern=r"^[A-Za-z0-9_.-]{2,64}$")
    name: str = Field(min_length=1, max_length=64)
    role: Literal["officer", "supervisor", "admin"] = "officer"
    password: str = Field(min_length=8, max_length=256)


class Duty(BaseModel):
    on_duty: bool


class OfficerText(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


class HandOver(BaseModel):
    to_officer_id: RowIdValue | None = Field(default=None,
                                             description="Another officer, or null for back to the queue")
    note: str | None = Field(default=None, max_length=2000)


class Resolve(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class CallbackClose(BaseModel):
    reached: bool
