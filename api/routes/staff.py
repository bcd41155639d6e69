"""The staff console: its page, its session (login state and CSRF token), and what the officer API lacks for it: a
case with the citizen's whole history, revealing a masked number (recorded), the day's callbacks, colleagues."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from api import csrf
from api.deps import CurrentOfficer, RowId, RuntimeDep, SessionDep, SignedInOfficer, StaffSessionDep, Supervisor
from api.routes.pages import STATIC_DIR
from api.schemas import OfficerOut, OfficerText
from api.staff_schemas import StaffSession
from assistant import casefile, views
from assistant.channels import channel
from assistant.live import presence
from assistant.live.events import conversation_topic
from assistant.privacy import mask_text
from assistant.runtime import Runtime
from assistant.staff_text import neutralise
from assistant.store import callbacks as callback_store
from assistant.store import cases as case_store
from assistant.store import casework
from assistant.store import citizens as citizen_store
from assistant.store import officers as officer_store
from assistant.store.models import Callback, Case
from assistant.store.types import ChannelName

TEXT_LIMIT = OfficerText.model_json_schema()["properties"]["text"]["maxLength"]

router = APIRouter(tags=["staff"], dependencies=[Depends(csrf.protect)])


@router.get("/staff", include_in_schema=False)
def staff_page() -> FileResponse:
    """The page itself needs no login: it shows the login form until the session has an officer."""
    return FileResponse(STATIC_DIR / "staff.html", media_type="text/html; charset=utf-8")


@router.get("/api/staff/session")
def staff_session(request: Request, response: Response, officer: SignedInOfficer, live: StaffSessionDep,
                  runtime: RuntimeDep) -> StaffSession:
    """Who is logged in (null before login) and the CSRF token to send back: the session's, else the login form's."""
    out = OfficerOut(id=officer.id, username=officer.username, name=officer.name, role=officer.role,
                     on_duty=officer.on_duty) if officer else None
    settings = runtime.settings
    return StaffSession(officer=out, csrf_token=csrf.token(request, response, live=live if officer else None,
                                                           settings=settings),
                        sla_amber_minutes=settings.sla_amber_minutes, sla_red_minutes=settings.sla_red_minutes,
                        text_limit=TEXT_LIMIT)


def _case(session: Session, case_id: int) -> Case:
    case = case_store.get(session, case_id=case_id)
    if case is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这个案子")
    return case


def _callback(session: Session, callback_id: int) -> Callback:
    callback = callback_store.get(session, callback_id=callback_id)
    if callback is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这个回电")
    return callback


@router.get("/api/staff/cases/{case_id}")
def case_view(case_id: RowId, session: SessionDep, officer: CurrentOfficer, runtime: RuntimeDep) -> dict[str, Any]:
    """The case, everything said on every channel (numbers masked; what has not yet reached the citizen's chat
    marked), their earlier cases, the trail."""
    case = _case(session, case_id)
    links = citizen_store.links_of(session, citizen_id=case.citizen_id)  # an undone one shows on both sides
    return {**views.case(case), "queue": runtime.desk.status(session, case=case).to_dict(),
            "channel": case.conversation.channel, "reach": channel(case.conversation.channel).reach,
            "here": _here(runtime, case),
            "transcript": casefile.transcript(session, case=case),
            "links": [views.identity_link(link) for link in links],
            "earlier_cases": [views.case(c) for c in casework.earlier_cases(session, case=case)],
            "events": [views.case_event(e) for e in case_store.events(session, case_id=case.id)],
            "callbacks": [views.callback(c) for c in callback_store.for_case(session, case_id=case.id)]}


@router.post("/api/staff/cases/{case_id}/reveal")
def reveal_case(case_id: RowId, session: SessionDep, officer: CurrentOfficer, runtime: RuntimeDep) -> dict[str, Any]:
    """The full phone number and the unmasked words, for when the officer really needs them: a recorded event."""
    case = _case(session, case_id)
    runtime.desk.reveal(session, case=case, officer=officer, what="case")
    session.commit()
    messages = casework.messages_across_channels(session, citizen_id=case.citizen_id)
    return {"phone": case.summary.get("phone") or case.conversation.citizen.phone,
            "messages": [{"id": m.id, "text": neutralise(m.text)} for m, _ in messages if mask_text(m.text) != m.text]}


@router.post("/api/staff/cases/{case_id}/links/{link_id}/undo")
def undo_link(case_id: RowId, link_id: RowId, session: SessionDep, supervisor: Supervisor,
              runtime: RuntimeDep) -> dict[str, Any]:
    """Separate a channel wrongly joined to this citizen: its conversations and cases go back to where they were."""
    case = _case(session, case_id)
    link = citizen_store.link(session, link_id=link_id)
    if link is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这个关联")
    runtime.desk.undo_link(session, case=case, link=link, officer=supervisor)
    session.commit()
    return views.identity_link(link)


@router.get("/api/staff/callbacks/today")
def callbacks_today(session: SessionDep, officer: CurrentOfficer, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Callbacks to make today (and overdue ones), and today's record; numbers masked."""
    start, end = _today(runtime)
    rows = casework.callbacks_of_the_day(session, day_start=start, day_end=end)
    return [{**views.callback(c), "service_title": _case(session, c.case_id).summary.get("service_title")}
            for c in rows]


@router.post("/api/staff/callbacks/{callback_id}/reveal")
def reveal_callback(callback_id: RowId, session: SessionDep, officer: CurrentOfficer,
                    runtime: RuntimeDep) -> dict[str, Any]:
    """The number to dial; the reveal is recorded on the case."""
    callback = _callback(session, callback_id)
    runtime.desk.reveal(session, case=_case(session, callback.case_id), officer=officer, what="callback_phone")
    session.commit()
    return views.callback(callback, masked=False)


@router.get("/api/staff/colleagues")
def colleagues(session: SessionDep, officer: CurrentOfficer) -> list[dict[str, Any]]:
    """Whom a case can be handed to: every other officer, those on duty first."""
    others = [o for o in officer_store.all_officers(session) if o.id != officer.id and o.disabled_at is None]
    return [{"id": o.id, "username": o.username, "name": o.name, "on_duty": o.on_duty}
            for o in sorted(others, key=lambda o: not o.on_duty)]


def _here(runtime: Runtime, case: Case) -> bool | None:
    """A web citizen's page open on this conversation now (a reply is seen at once), or not (on their next visit);
    None for other channels. Staff get the answer only, never the conversation's id."""
    if case.conversation.channel != ChannelName.WEB:
        return None
    return presence.listening(runtime.bus, conversation_topic(case.conversation_id))


def _today(runtime: Runtime) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(runtime.settings.timezone)
    day = runtime.desk.clock().astimezone(zone).date()
    start = dt.datetime.combine(day, dt.time(), zone)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)
