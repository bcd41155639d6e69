"""Request and response bodies."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError

MAX_ROW_ID = 2**31 - 1  # ids are INTEGER columns: PostgreSQL's are 32-bit; a larger id must not reach the database
RowIdValue = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]  # a row id in a request body

# PostgreSQL refuses NUL in text; other control characters and lone surrogates (which no UTF-8 answer can carry)
# have no place in what staff type either. Line breaks and tabs are fine.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# A name is shown to citizens and staff on one line: no direction overrides or invisible characters either.
_NOT_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                          "\u2060-\u206f\ufeff\ufff9-\ufffb]")
CONTROL_CHARACTERS = "control_characters"  # the error type, for a plain message (api/errors.py)


def _refusing(pattern: re.Pattern[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if pattern.search(value):
            raise PydanticCustomError(CONTROL_CHARACTERS, "Text may not hold control or format characters")
        return value

    return check


_plain = _refusing(_CONTROL)


def _plain_strings(value: Any) -> Any:
    if isinstance(value, str):
        return _plain(value)
    if isinstance(value, dict):
        return {_plain_strings(key): _plain_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_strings(item) for item in value]
    return value


PlainText = Annotated[str, AfterValidator(_plain)]
Name = Annotated[str, AfterValidator(_refusing(_NOT_IN_NAME))]
PlainJson = Annotated[dict[str, Any], AfterValidator(_plain_strings)]  # every string inside checked like PlainText

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
    username: PlainText = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class OfficerOut(BaseModel):
    id: int
    username: str
    name: str
    role: str
    on_duty: bool
    disabled: bool = Field(default=False, description="Cannot log in (citizen-help officer disable)")


class OfficerCreate(BaseModel):
    username: str = Field(pattern=r"^[A-Za-z0-9_.-]{2,64}$")
    name: Name = Field(min_length=1, max_length=64)
    role: Literal["officer", "supervisor", "admin"] = "officer"
    password: str = Field(min_length=8, max_length=256)


class Duty(BaseModel):
    on_duty: bool


class OfficerText(BaseModel):
    text: PlainText = Field(min_length=1, max_length=2000)


class HandOver(BaseModel):
    to_officer_id: RowIdValue | None = Field(default=None,
                                             description="Another officer, or null for back to the queue")
    note: PlainText | None = Field(default=None, max_length=2000)


class Resolve(BaseModel):
    note: PlainText | None = Field(default=None, max_length=2000)


class CallbackClose(BaseModel):
    reached: bool
