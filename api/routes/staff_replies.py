"""What the reply box inserts (a guide's answer found by its title, or a canned reply that supervisors keep), and the
supervisor's board of the desk."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from api import csrf
from api.deps import CurrentOfficer, RowId, RuntimeDep, SessionDep, Supervisor
from api.schemas import OfficerText
from assistant import views
from assistant.store import canned
from assistant.store import duty_board as duty_board_store
from assistant.store.models import CannedReply

router = APIRouter(prefix="/api/staff", tags=["staff"], dependencies=[Depends(csrf.protect)])
SHOWN = 8  # suggestions under the box
AT_RISK = dt.timedelta(minutes=30)  # a callback due this soon and not yet made is at risk


class CannedIn(BaseModel):
    title: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=OfficerText.model_json_schema()["properties"]["text"]["maxLength"])


def _out(reply: CannedReply) -> dict[str, Any]:
    return {"id": reply.id, "kind": "canned", "title": reply.title, "text": reply.text}


def _matches(q: str, *texts: str) -> bool:
    return all(any(word in text for text in texts) for word in q.split())


@router.get("/replies")
def suggestions(session: SessionDep, officer: CurrentOfficer, runtime: RuntimeDep,
                q: Annotated[str, Query(max_length=50)] = "") -> list[dict[str, Any]]:
    """Canned replies and guides whose title (or a canned reply's words) hold every word typed; a guide's text is
    its short answer, for the officer to edit before sending."""
    q = q.strip()
    found = [_out(r) for r in canned.all_replies(session) if _matches(q, r.title, r.text)]
    guides = sorted(runtime.desk.guides.values(), key=lambda g: g.title)
    found += [{"id": g.id, "kind": "guide", "title": g.title, "text": g.short_answer}
              for g in guides if _matches(q, g.title, *g.keywords)]
    return found[:SHOWN]


@router.get("/canned")
def canned_replies(session: SessionDep, officer: CurrentOfficer) -> list[dict[str, Any]]:
    return [_out(r) for r in canned.all_replies(session)]


@router.post("/canned", status_code=status.HTTP_201_CREATED)
def add_canned(body: CannedIn, session: SessionDep, supervisor: Supervisor) -> dict[str, Any]:
    try:
        reply = canned.create(session, title=body.title.strip(), text=body.text.strip(), officer=supervisor)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, "已经有这个标题的常用回复了") from None
    return _out(reply)


@router.delete("/canned/{reply_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_canned(reply_id: RowId, session: SessionDep, supervisor: Supervisor) -> None:
    reply = canned.get(session, reply_id=reply_id)
    if reply is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这条常用回复")
    canned.remove(session, reply=reply)
    session.commit()


@router.get("/board")
def duty_board(session: SessionDep, supervisor: Supervisor, runtime: RuntimeDep) -> dict[str, Any]:
    """Who is on duty and how many cases each holds, the citizens waiting longest, the callbacks overdue or due
    within 30 minutes: for supervisors. Numbers masked."""
    now = runtime.desk.clock()
    found = duty_board_store.board(session, soon=now + AT_RISK)
    return {"officers": [{"id": load.officer.id, "name": load.officer.name, "role": load.officer.role,
                          "on_duty": load.officer.on_duty, "claimed": load.claimed} for load in found.officers],
            "waiting": found.waiting, "urgent_waiting": found.urgent_waiting,
            "oldest": [views.case(c) for c in found.oldest],
            "at_risk": [{**views.callback(c), "overdue": c.due_at <= now} for c in found.at_risk]}
