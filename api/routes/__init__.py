"""One router per concern, collected here."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes import (
    ask,
    chat,
    officer_cases,
    officers,
    pages,
    read_aloud,
    staff,
    staff_knowledge,
    staff_replies,
    stats,
)

api_router = APIRouter()
for module in (pages, ask, chat, read_aloud, officers, officer_cases, staff, staff_knowledge, staff_replies, stats):
    api_router.include_router(module.router)
