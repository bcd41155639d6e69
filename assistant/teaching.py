"""What supervisors do to the knowledge base, as rules the staff routes only call: what a question can be attached
to, attaching questions once, how a draft stands, and which guides are overdue for review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from assistant import additions
from assistant.staff_text import for_staff
from assistant.store import additions as addition_store
from assistant.store import casework
from assistant.store.models import GuideDraft, Officer
from knowledge.loader import GUIDES_DIR
from knowledge.schema import Guide, ServiceId

OUT_OF_SCOPE = "out_of_scope"
MAX_ID_LENGTH = 64
_SERVICE_ID = TypeAdapter(ServiceId)


class NoSuchLabel(LookupError):
    """Not a guide, a draft or "not our business"."""


class NoSuchQuestions(LookupError):
    """None of the messages is a citizen's question."""


@dataclass(frozen=True)
class Label:
    id: str
    title: str


def labels(session: Session, guides: Mapping[str, Guide]) -> list[Label]:
    """What a question can be attached to: the guides, drafts not yet trained, and "not our business"."""
    found = [Label(g.id, g.title) for g in sorted(guides.values(), key=lambda g: g.title)]
    found += [Label(d.service_id, f"{d.data.get('title') or d.service_id}（草稿）")
              for d in addition_store.drafts(session) if d.service_id not in guides]
    return [*found, Label(OUT_OF_SCOPE, "不归我们管（以后直接说明）")]


def attach(session: Session, *, label: str, message_ids: Iterable[int], officer: Officer,
           guides: Mapping[str, Guide]) -> int:
    """The questions become training questions of that label (each once, masked); they count from the next
    retraining. How many were added; the caller commits."""
    if label not in {known.id for known in labels(session, guides)}:
        raise NoSuchLabel(label)
    rows = casework.citizen_messages(session, ids=list(message_ids))
    if not rows:
        raise NoSuchQuestions()
    handled = addition_store.handled_message_ids(session)
    added = [addition_store.add_question(session, text=for_staff(m.text), label=label, officer=officer,
                                         source_message_id=m.id) for m in rows if m.id not in handled]
    return len(added)


def draft_state(draft: GuideDraft, guides: Mapping[str, Guide]) -> dict[str, Any]:
    """A draft as the supervisor sees it: its problems, whether it is ready, whether the model has it yet."""
    check = additions.check_draft(draft.data, taken=shipped_ids())
    return {"id": draft.id, "service_id": draft.service_id, "guide": draft.data, "ready": check.guide is not None,
            "problems": [{"field": p.field, "message": p.message} for p in check.problems],
            "trained": draft.service_id in guides and check.guide is not None,
            "updated_at": draft.updated_at.isoformat()}


def shipped_ids() -> set[str]:
    """Ids of the guide files in knowledge/guides (a file's name is its id): a draft may not take one."""
    return {path.stem for path in GUIDES_DIR.glob("*.yaml")}


def valid_id(value: str) -> bool:
    """A service id a new guide may have: lower-case letters, digits and hyphens, not too long."""
    try:
        _SERVICE_ID.validate_python(value)
    except ValidationError:
        return False
    return len(value) <= MAX_ID_LENGTH


def overdue(guides: Iterable[Guide], *, today: dt.date) -> list[dict[str, Any]]:
    """Guides past their review date, the longest overdue first, with the office that must review them."""
    late = sorted((g for g in guides if g.is_past_review(today)), key=lambda g: g.review.due())
    return [{"id": g.id, "title": g.title, "owner": g.review.owner, "department": g.department,
             "last_reviewed": g.review.last_reviewed.isoformat(), "due": g.review.due().isoformat(),
             "days_overdue": (today - g.review.due()).days} for g in late]
