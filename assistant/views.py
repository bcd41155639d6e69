"""What messages, cases and callbacks look like outside the engine: API responses and live events alike."""

from __future__ import annotations

from typing import Any

from assistant.privacy import mask_phone, mask_text
from assistant.store.models import Callback, Case, CaseEvent, IdentityLink, Message


def message(row: Message, *, masked: bool = False) -> dict[str, Any]:
    """masked: ID and phone numbers hidden, for staff lists that do not need them."""
    meta = row.meta or {}
    return {
        "id": row.id,
        "role": row.role,
        "text": mask_text(row.text) if masked else row.text,
        "kind": meta.get("kind", row.role),
        "choices": [{"key": c["key"], "label": c["label"]} for c in meta.get("choices", [])],
        "speakable": meta.get("speakable", True),
        "priority": meta.get("priority", False),
        "sender": row.officer.name if row.officer else None,
        "created_at": row.created_at.isoformat(),
    }


def case(row: Case) -> dict[str, Any]:
    """For staff: no conversation id, which is a web citizen's key to their chat."""
    summary = dict(row.summary or {})
    summary["said"] = [mask_text(text) for text in summary.get("said", [])]
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
    return {"id": row.id, "kind": row.kind, "actor": row.actor, "detail": row.detail,
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
