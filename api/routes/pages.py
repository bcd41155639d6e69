"""The citizen chat page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(tags=["pages"])


@router.get("/", include_in_schema=False)
def chat_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get("/favicon.ico", include_in_schema=False)
def icon() -> FileResponse:
    """Browsers ask for it on every page; an SVG, which they all draw, rather than a 404 in every log."""
    return FileResponse(STATIC_DIR / "icon.svg", media_type="image/svg+xml")
