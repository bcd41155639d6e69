"""Public service figures: the /stats page and its JSON, no login, no personal data, small counts suppressed."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.deps import RuntimeDep, SessionDep, WebDep
from api.routes.pages import STATIC_DIR
from assistant import stats

router = APIRouter(tags=["statistics"])


@router.get("/stats", include_in_schema=False)
def stats_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "stats.html", media_type="text/html; charset=utf-8")


@router.get("/api/stats")
def service_figures(session: SessionDep, runtime: RuntimeDep, web: WebDep) -> dict[str, Any]:
    """Per local day over the last 30 days: questions answered, share answered without a person, cases opened and
    resolved, time to reach a person (p50/p90, seconds), callbacks promised and kept, share who said "solved", top
    unanswered topics. Counts from 1 to 4 are given as "<5"; shares and times from fewer than 5 people as null."""

    def compute() -> dict[str, Any]:
        titles = {gid: g.title for gid, g in runtime.matcher.kb.guides.items()}
        return stats.compute(session, now=runtime.desk.clock(), zone=ZoneInfo(runtime.settings.timezone),
                             titles=titles)

    return web.stats_figures.get(compute)
