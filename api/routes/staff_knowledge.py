"""The knowledge-gap loop, for supervisors: questions nobody could answer (grouped), attaching them to a guide,
drafting a new guide, retraining in the background, and guides past their review date."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from api import csrf
from api.deps import RuntimeDep, ServicesDep, SessionDep, Supervisor
from api.staff_schemas import Attach, DraftIn
from assistant import additions, gaps
from assistant.retraining import Retrainer
from assistant.runtime import Runtime
from assistant.staff_text import for_staff
from assistant.store import additions as addition_store
from assistant.store import casework
from assistant.store.models import GuideDraft
from knowledge.loader import GUIDES_DIR
from knowledge.schema import ServiceId

router = APIRouter(prefix="/api/staff", tags=["knowledge"], dependencies=[Depends(csrf.protect)])

MAX_DRAFT_BYTES = 200_000
OUT_OF_SCOPE = "out_of_scope"
_SERVICE_ID = TypeAdapter(ServiceId)


async def get_retrainer(services: ServicesDep) -> Retrainer:
    return services.retrainer


RetrainerDep = Annotated[Retrainer, Depends(get_retrainer)]


def _labels(session: Session, runtime: Runtime) -> list[dict[str, str]]:
    """What a question can be attached to: the guides, drafts not yet trained, and "not our business"."""
    guides = runtime.matcher.kb.guides
    labels = [{"id": g.id, "title": g.title} for g in sorted(guides.values(), key=lambda g: g.title)]
    labels += [{"id": d.service_id, "title": f"{d.data.get('title') or d.service_id}（草稿）"}
               for d in addition_store.drafts(session) if d.service_id not in guides]
    return [*labels, {"id": OUT_OF_SCOPE, "title": "不归我们管（以后直接说明）"}]


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
    if body.label not in {label["id"] for label in _labels(session, runtime)}:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这个指南")
    rows = casework.citizen_messages(session, ids=body.message_ids)
    if not rows:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有找到这些问题")
    handled = addition_store.handled_message_ids(session)
    added = [addition_store.add_question(session, text=for_staff(m.text), label=body.label, officer=supervisor,
                                         source_message_id=m.id) for m in rows if m.id not in handled]
    session.commit()
    return {"added": len(added), "label": body.label}


def _draft_out(draft: GuideDraft, runtime: Runtime) -> dict[str, Any]:
    check = additions.check_draft(draft.data, taken=_shipped())
    return {"id": draft.id, "service_id": draft.service_id, "guide": draft.data, "ready": check.guide is not None,
            "problems": [{"field": p.field, "message": p.message} for p in check.problems],
            "trained": draft.service_id in runtime.matcher.kb.guides and check.guide is not None,
            "updated_at": draft.updated_at.isoformat()}


def _shipped() -> set[str]:
    """Ids of the guide files in knowledge/guides (a file's name is its id): a draft may not take one."""
    return {path.stem for path in GUIDES_DIR.glob("*.yaml")}


@router.get("/drafts")
def drafts(session: SessionDep, supervisor: Supervisor, runtime: RuntimeDep) -> list[dict[str, Any]]:
    return [_draft_out(d, runtime) for d in addition_store.drafts(session)]


@router.post("/drafts")
def save_draft(body: DraftIn, session: SessionDep, supervisor: Supervisor, runtime: RuntimeDep) -> dict[str, Any]:
    """Saved even while incomplete (nothing written is lost); it joins training once it has no problems left."""
    if len(json.dumps(body.guide, ensure_ascii=False).encode()) > MAX_DRAFT_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "草稿太长了，请删减后再保存。")
    service_id = body.guide.get("id")
    if not isinstance(service_id, str) or not _valid_id(service_id):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                            "请先填写编号：小写英文字母、数字和连字符，比如 senior-bath-subsidy")
    draft = addition_store.save_draft(session, service_id=service_id, data=body.guide, officer=supervisor)
    session.commit()
    return _draft_out(draft, runtime)


def _valid_id(value: str) -> bool:
    try:
        _SERVICE_ID.validate_python(value)
    except ValidationError:
        return False
    return len(value) <= 64


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
    late = [g for g in runtime.matcher.kb.guides.values() if g.is_past_review(today)]
    return [{"id": g.id, "title": g.title, "owner": g.review.owner, "department": g.department,
             "last_reviewed": g.review.last_reviewed.isoformat(), "due": g.review.due().isoformat(),
             "days_overdue": (today - g.review.due()).days} for g in sorted(late, key=lambda g: g.review.due())]
