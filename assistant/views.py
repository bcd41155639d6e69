"""What messages, cases and callbacks look like outside the engine: API responses and live events alike."""

from __future__ import annotations

from typing import Any

from assistant.privacy import mask_phone
from assistant.staff_text import all_for_staff, for_staff
from assistant.store.models import Callback, Case, CaseEvent, IdentityLink, Message
from assistant.store.trail import TEXT_FIELDS
from assistant.texts import CLEARED


def message(row: Message, *, masked: bool = False) -> dict[str, Any]:
    """masked: for staff (ID and phone numbers hidden, direction tricks neutralised: assistant/staff_text.py)."""
    meta = row.meta or {}
    return {
        "id": row.id,
        "role": row.role,
        "text": for_staff(row.text) if masked else row.text,
        "kind": meta.get("kind", row.role),
        "choices": [{"key": c["key"], "label": c["label"]} for c in meta.get("choices", [])],
        "speakable": meta.get("speakable", True),
        "priority": meta.get("priority", False),
        "sender": row.officer.name if row.officer else None,
        "created_at": row.created_at.isoformat(),
    }


def case(row: Case) -> dict[str, Any]:
    """For staff: no conversation id, which is a web citizen's key to their chat; what the citizen said is masked
    here, when shown, so older rows get today's masking too."""
    summary = dict(row.summary or {})
    summary["said"] = [for_staff(text) for text in summary.get("said", [])]
    if "earlier" in summary:
        summary["earlier"] = [{**other, "said": [for_staff(text) for text in other.get("said", [])]}
                              for other in summary["earlier"]]
    if summary.get("phone"):
        summary["phone"] = mask_phone(summary["phone"])
    return {
        "id": row.id,
        "status": row.status,
        "priority": row.priority,
        "reason": row.reason,
        "service_id": row.service_id,
        "summary": summary,
        "claimed_by": row.claimed_by,
        "officer_name": row.officer.name if row.officer else None,
        "created_at": row.created_at.isoformat(),
        "claimed_at": row.claimed_at.isoformat() if row.claimed_at else None,
        "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
    }


def case_event(row: CaseEvent) -> dict[str, Any]:
    """The officer's words, kept beside the chained event, shown in it as before (cleared ones say so); masked and
    neutralised, whenever they were written."""
    detail = dict(row.detail or {})
    if row.text_hash is not None:
        detail[TEXT_FIELDS.get(row.kind, "text")] = row.text_record.text if row.text_record else CLEARED
    return {"id": row.id, "kind": row.kind, "actor": row.actor, "detail": all_for_staff(detail),
            "created_at": row.created_at.isoformat()}


def callback(row: Callback, *, masked: bool = True) -> dict[str, Any]:
    """The number masked: the officer reveals it (a recorded case event) when about to dial."""
    phone = mask_phone(row.phone) if masked else row.phone
    return {"id": row.id, "case_id": row.case_id, "phone": phone, "due_at": row.due_at.isoformat(),
            "status": row.status, "done_by": row.done_by, "done_at": row.done_at.isoformat() if row.done_at else None}


def identity_link(row: IdentityLink) -> dict[str, Any]:
    """A link of channels on proof, as a supervisor reviews it: which channel, what proof, when, undone or not."""
    return {"id": row.id, "channel": row.identity.channel, "proof": row.proof, "detail": row.detail,
            "created_at": row.created_at.isoformat(),
            "undone_at": row.undone_at.isoformat() if row.undone_at else None}
