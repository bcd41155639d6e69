"""The officer's queue: list, claim, reply (reaches the citizen live), notes, hand over, resolve; callbacks;
live events for the staff console."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterable
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from fastapi.sse import EventSourceResponse, ServerSentEvent
from sqlalchemy.orm import Session

from api import csrf, staff_auth
from api.deps import CurrentOfficer, RowId, RuntimeDep, SessionDep, StaffStream
from api.schemas import CallbackClose, HandOver, OfficerText, Resolve
from api.streams import until_idle
from assistant import views
from assistant.live.events import OFFICERS_TOPIC
from assistant.store import callbacks as callback_store
from assistant.store import case_search
from assistant.store import cases as case_store
from assistant.store import conversations as conversation_store
from assistant.store import officers as officer_store
from assistant.store.models import Case
from assistant.store.types import ChannelName

router = APIRouter(prefix="/api/officer", tags=["officer"], dependencies=[Depends(csrf.protect)])

def _case(session: Session, case_id: int) -> Case:
    case = case_store.get(session, case_id=case_id)
    if case is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这个案子")
    return case


def _detail(session: Session, case: Case, runtime: RuntimeDep) -> dict[str, Any]:
    messages = conversation_store.messages(session, conversation_id=case.conversation_id)
    return {**views.case(case), "queue": runtime.desk.status(session, case=case).to_dict(),
            "messages": [views.message(m, masked=True) for m in messages],
            "events": [views.case_event(e) for e in case_store.events(session, case_id=case.id)],
            "callbacks": [views.callback(c) for c in callback_store.for_case(session, case_id=case.id)]}


def _query_context(runtime: RuntimeDep, officer: CurrentOfficer) -> case_search.Context:
    settings = runtime.settings
    now = runtime.desk.clock()
    zone = ZoneInfo(settings.timezone)
    day_start = dt.datetime.combine(now.astimezone(zone).date(), dt.time(), zone).astimezone(dt.UTC)
    return case_search.Context(officer_id=officer.id, now=now, day_start=day_start,
                               late_minutes=settings.sla_red_minutes)


QueryContext = Annotated[case_search.Context, Depends(_query_context)]


def _case_query(status_: Annotated[case_search.Tab, Query(alias="status", description=(
                    "open (waiting and claimed), waiting, claimed, mine, others (claimed by colleagues), resolved, "
                    "cancelled, all"))] = "open",
                q: Annotated[str, Query(max_length=100, description=(
                    "Words of the conversation (all of them), a case number (#123), or a phone's last 4 digits"
                ))] = "",
                channel: Annotated[ChannelName | None, Query()] = None,
                emergency: Annotated[bool | None, Query()] = None,
                age: Annotated[case_search.Age | None, Query(description=(
                    "late: waiting longer than SLA_RED_MINUTES; today; 7d; 30d"))] = None,
                page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> case_search.CaseQuery:
    return case_search.CaseQuery(tab=status_, q=case_search.clean(q), channel=channel, emergency=emergency, age=age,
                                 page=page)


CaseQueryDep = Annotated[case_search.CaseQuery, Depends(_case_query)]


@router.get("/cases")
def queue(session: SessionDep, officer: CurrentOfficer, query: CaseQueryDep, context: QueryContext,
          response: Response) -> list[dict[str, Any]]:
    """A page of cases (25): open tabs most urgent first, then first come; resolved and cancelled newest first.
    The X-Has-More header says whether another page follows. Phone numbers masked."""
    found = case_search.search(session, query=query, context=context)
    response.headers["X-Page"] = str(found.page)
    response.headers["X-Has-More"] = "true" if found.has_more else "false"
    return [{**views.case(c), "channel": c.conversation.channel,
             "last_citizen_at": found.last_citizen_at[c.id].isoformat() if c.id in found.last_citizen_at else None}
            for c in found.cases]


@router.get("/cases/counts")
def counts(session: SessionDep, officer: CurrentOfficer, query: CaseQueryDep, context: QueryContext,
           response: Response) -> dict[str, int]:
    """How many cases each tab holds (waiting, mine, others, resolved, cancelled) under the same search and
    filters; the status and page asked for do not matter. For words found in very many messages each tab is
    counted up to a cap: the X-Counts-Capped header then names it ("200+")."""
    found = case_search.counts(session, query=query, context=context)
    if found.capped:
        response.headers["X-Counts-Capped"] = str(case_search.COUNT_CAP)
    return found.tabs


@router.get("/cases/{case_id}")
def case_detail(case_id: RowId, session: SessionDep, officer: CurrentOfficer, runtime: RuntimeDep) -> dict[str, Any]:
    """The summary, the whole transcript (ID and phone numbers masked) and the audit trail."""
    return _detail(session, _case(session, case_id), runtime)


@router.post("/cases/{case_id}/claim")
def claim(case_id: RowId, session: SessionDep, officer: CurrentOfficer, runtime: RuntimeDep) -> dict[str, Any]:
    case = _case(session, case_id)
    runtime.desk.claim(session, case=case, officer=officer)
    session.commit()
    return views.case(case)


@router.post("/cases/{case_id}/reply", status_code=status.HTTP_201_CREATED)
def reply(case_id: RowId, body: OfficerText, session: SessionDep, officer: CurrentOfficer,
          runtime: RuntimeDep) -> dict[str, Any]:
    message = runtime.desk.reply(session, case=_case(session, case_id), officer=officer, text=body.text)
    session.commit()
    return views.message(message)


@router.post("/cases/{case_id}/notes", status_code=status.HTTP_201_CREATED)
def note(case_id: RowId, body: OfficerText, session: SessionDep, officer: CurrentOfficer,
         runtime: RuntimeDep) -> dict[str, Any]:
    case = _case(session, case_id)
    runtime.desk.note(session, case=case, officer=officer, text=body.text)
    session.commit()
    return views.case_event(case_store.events(session, case_id=case.id)[-1])


@router.post("/cases/{case_id}/handover")
def hand_over(case_id: RowId, body: HandOver, session: SessionDep, officer: CurrentOfficer,
              runtime: RuntimeDep) -> dict[str, Any]:
    to = None
    if body.to_officer_id is not None:
        to = officer_store.get(session, officer_id=body.to_officer_id)
        if to is None or to.disabled_at is not None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这位工作人员")
    case = _case(session, case_id)
    runtime.desk.hand_over(session, case=case, officer=officer, to=to, note=body.note)
    session.commit()
    return views.case(case)


@router.post("/cases/{case_id}/resolve")
def resolve(case_id: RowId, body: Resolve, session: SessionDep, officer: CurrentOfficer,
            runtime: RuntimeDep) -> dict[str, Any]:
    case = _case(session, case_id)
    runtime.desk.resolve(session, case=case, officer=officer, note=body.note)
    session.commit()
    return views.case(case)


@router.get("/callbacks")
def callbacks(session: SessionDep, officer: CurrentOfficer,
              status_: Annotated[Literal["pending", "done", "missed"], Query(alias="status")] = "pending"
              ) -> list[dict[str, Any]]:
    """Callbacks promised to citizens, soonest first; numbers masked (POST /api/staff/callbacks/{id}/reveal)."""
    return [views.callback(c) for c in callback_store.listed(session, status=status_)]


@router.post("/callbacks/{callback_id}/close")
def close_callback(callback_id: RowId, body: CallbackClose, session: SessionDep, officer: CurrentOfficer,
                   runtime: RuntimeDep) -> dict[str, Any]:
    callback = callback_store.get(session, callback_id=callback_id)
    if callback is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这个回电")
    runtime.desk.close_callback(session, callback=callback, officer=officer, reached=body.reached)
    session.commit()
    return views.callback(callback)


@router.get("/events", response_class=EventSourceResponse,
            responses={429: {"description": "Too many streams open for this officer"},
                       503: {"description": "Too many staff streams open in all"}})
async def live(login: StaffStream, runtime: RuntimeDep) -> AsyncIterable[ServerSentEvent]:
    """New cases, citizens' messages, queue changes and callbacks, as they happen, until nothing has come for
    STREAM_IDLE_SECONDS (the console reconnects and reloads the queue); the stream also ends soon after its session
    does (STAFF_STREAM_CHECK_SECONDS), and the console then finds itself logged out."""
    async with runtime.bus.subscribe(OFFICERS_TOPIC) as events:
        yield ServerSentEvent(comment="connected", retry=3000)
        flowing = until_idle(events, runtime.settings.stream_idle_seconds)
        async for event in staff_auth.while_signed_in(flowing, still_signed_in=login.still_signed_in,
                                                      every=login.check_every):
            yield ServerSentEvent(data=event, event=event["type"])
