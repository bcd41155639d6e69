"""The knowledge-gap loop, for supervisors: questions nobody could answer (grouped), attaching them to a guide,
drafting a new guide, retraining in the background, and guides past their review date."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy.orm import Session

from api import csrf
from api.deps import RuntimeDep, ServicesDep, SessionDep, Supervisor
from api.staff_schemas import Attach, DraftIn
from assistant import gaps, teaching
from assistant.retraining import Retrainer
from assistant.runtime import Runtime
from assistant.store import additions as addition_store
from assistant.store.models import GuideDraft

router = APIRouter(prefix="/api/staff", tags=["knowledge"], dependencies=[Depends(csrf.protect)])

MAX_DRAFT_BYTES = 200_000


async def get_retrainer(services: ServicesDep) -> Retrainer:
    return services.retrainer


RetrainerDep = Annotated[Retrainer, Depends(get_retrainer)]


def _labels(session: Session, runtime: Runtime) -> list[dict[str, str]]:
    return [{"id": label.id, "title": label.title} for label in teaching.labels(session, runtime.matcher.kb.guides)]


@router.get("/gaps")
def gap_groups(session: SessionDep, supervisor: Supervisor, runtime: RuntimeDep,
               days: Annotated[int, Query(ge=1, le=365)] = 30) -> dict[str, Any]:
    """Questions answered badly or not at all, grouped by similarity, the most asked first (numbers masked)."""
    since = runtime.desk.clock() - dt.timedelta(days=days)
    questions = gaps.unanswered(session, since=since, handled=addition_store.handled_message_ids(session))
    groups = gaps.group(questions, background=gaps.background_of(runtime.matcher.kb))
    return {"questions": len(questions), "groups": [g.to_dict() for g in groups],
            "labels": _labels(session, runtime)}


@router.post("/gaps/attach", status_code=status.HTTP_201_CREATED)
def attach(body: Attach, session: SessionDep, supervisor: Supervisor, runtime: RuntimeDep) -> dict[str, Any]:
    """The questions become training questions of that label; they count from the next retraining."""
    try:
        added = teaching.attach(session, label=body.label, message_ids=body.message_ids, officer=supervisor,
                                guides=runtime.matcher.kb.guides)
    except teaching.NoSuchLabel:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这个指南") from None
    except teaching.NoSuchQuestions:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有找到这些问题") from None
    session.commit()
    return {"added": added, "label": body.label}


def _draft_out(draft: GuideDraft, runtime: Runtime) -> dict[str, Any]:
    return teaching.draft_state(draft, runtime.matcher.kb.guides)


@router.get("/drafts")
def drafts(session: SessionDep, supervisor: Supervisor, runtime: RuntimeDep) -> list[dict[str, Any]]:
    return [_draft_out(d, runtime) for d in addition_store.drafts(session)]


@router.post("/drafts")
def save_draft(body: DraftIn, session: SessionDep, supervisor: Supervisor, runtime: RuntimeDep) -> dict[str, Any]:
    """Saved even while incomplete (nothing written is lost); it joins training once it has no problems left."""
    if len(json.dumps(body.guide, ensure_ascii=False).encode()) > MAX_DRAFT_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "草稿太长了，请删减后再保存。")
    service_id = body.guide.get("id")
    if not isinstance(service_id, str) or not teaching.valid_id(service_id):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                            "请先填写编号：小写英文字母、数字和连字符，比如 senior-bath-subsidy")
    draft = addition_store.save_draft(session, service_id=service_id, data=body.guide, officer=supervisor)
    session.commit()
    return _draft_out(draft, runtime)


@router.get("/retrain")
def retrain_status(supervisor: Supervisor, retrainer: RetrainerDep) -> dict[str, Any]:
    return retrainer.status().to_dict()


@router.post("/retrain", status_code=status.HTTP_202_ACCEPTED)
def retrain(supervisor: Supervisor, retrainer: RetrainerDep) -> dict[str, Any]:
    """Starts retraining in the background; poll GET /api/staff/retrain for progress. 409 if one is running."""
    if not retrainer.start(by=supervisor.username):
        raise HTTPException(status.HTTP_409_CONFLICT, "正在重新训练，请等这一次完成。")
    return retrainer.status().to_dict()


@router.get("/reviews")
def reviews(supervisor: Supervisor, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Guides past their review date, the longest overdue first, with the office that must review them."""
    today = runtime.desk.clock().astimezone(ZoneInfo(runtime.settings.timezone)).date()
    return teaching.overdue(runtime.matcher.kb.guides.values(), today=today)
