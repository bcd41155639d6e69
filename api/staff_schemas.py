"""Request bodies of the staff console's own routes (the officer API's are in api/schemas.py)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas import OfficerOut, PlainJson, RowIdValue


class StaffSession(BaseModel):
    officer: OfficerOut | None = Field(description="Who is logged in; null before login")
    csrf_token: str = Field(description="Send it back as the X-CSRF-Token header on every change, login included")
    sla_amber_minutes: int
    sla_red_minutes: int
    text_limit: int = Field(description="Longest reply or note, in characters")


class Attach(BaseModel):
    message_ids: list[RowIdValue] = Field(min_length=1, max_length=500)
    label: str = Field(min_length=1, max_length=64, description="A guide id, a draft's id, or out_of_scope")


class DraftIn(BaseModel):
    guide: PlainJson = Field(description="The fields of a service guide (knowledge.schema.Guide); may be "
                                         "incomplete while drafting")
