"""Walking the audit trail's hash chain (assistant/store/trail.py): the first broken link, or how many events are
intact and the newest one's hash, which an operator can keep elsewhere as an anchor.

What the walk finds: an event whose content no longer matches its hash (content changed), an event that follows one
no longer in the trail (event missing), an event that follows one elsewhere in the trail (order broken), words that
do not match the hash the event committed to, words gone without a recorded redaction, a case without any event. It
cannot see the newest events removed, nor a trail rewritten and chained anew by someone holding the database: that
is what an anchor from an earlier walk is for (`anchor`: that event must still be in the trail with that hash).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from assistant.store.models import Case, CaseEvent, CaseEventText
from assistant.store.trail import GENESIS, content_hash, text_hash

CONTENT_CHANGED = "content changed"
EVENT_MISSING = "event missing"
ORDER_BROKEN = "order broken"
TEXT_MISMATCH = "text does not match its commitment"
TEXT_MISSING = "text missing"
ANCHOR_LOST = "anchor lost"


@dataclass(frozen=True)
class Break:
    event_id: int | None
    case_id: int | None
    problem: str
    explanation: str

    def __str__(self) -> str:
        where = f"event #{self.event_id} (case #{self.case_id})" if self.event_id is not None else \
            f"case #{self.case_id}"
        return f"BROKEN at {where}: {self.problem} — {self.explanation}"


@dataclass(frozen=True)
class Verdict:
    events: int
    head_id: int | None
    head_hash: str
    broken: Break | None

    def __str__(self) -> str:
        if self.broken is not None:
            return str(self.broken)
        head = f"#{self.head_id} {self.head_hash}" if self.head_id is not None else "none"
        return f"OK: {self.events} case events, chain intact; newest {head}"


@dataclass
class _Walk:
    events: int = 0
    prev_id: int | None = None
    prev_hash: str = GENESIS
    broken: Break | None = None


def verify(session: Session, *, anchor: tuple[int, str] | None = None, batch: int = 1000) -> Verdict:
    """The whole trail, oldest first, streamed."""
    walk = _Walk()
    words_gone: dict[int, int] = {}
    redacted: set[tuple[int, int]] = set()
    rows = session.execute(
        select(CaseEvent.id, CaseEvent.case_id, CaseEvent.kind, CaseEvent.actor, CaseEvent.officer_id,
               CaseEvent.detail, CaseEvent.created_at, CaseEvent.text_hash, CaseEvent.prev_hash,
               CaseEvent.event_hash, CaseEventText.salt, CaseEventText.text)
        .outerjoin(CaseEventText, CaseEventText.event_id == CaseEvent.id).order_by(CaseEvent.id)
        .execution_options(yield_per=batch))
    for row in rows:
        walk.broken = _check(session, row, walk) or _check_words(row, words_gone)
        if walk.broken is not None:
            break
        if row.kind == "redacted":
            redacted.update((event_id, row.case_id) for event_id in (row.detail or {}).get("texts", ()))
        walk.events, walk.prev_id, walk.prev_hash = walk.events + 1, row.id, row.event_hash
    rows.close()
    broken = walk.broken or _unredacted(words_gone, redacted) or _case_without_events(session) or \
        _anchor_lost(session, anchor)
    return Verdict(walk.events, walk.prev_id, walk.prev_hash, broken)


def _check(session: Session, row: Any, walk: _Walk) -> Break | None:
    if content_hash(row, prev_hash=row.prev_hash) != row.event_hash:
        return Break(row.id, row.case_id, CONTENT_CHANGED, "what the event says no longer matches its hash")
    if row.prev_hash == walk.prev_hash:
        return None
    before = f"#{walk.prev_id}" if walk.prev_id is not None else "the start of the trail"
    followed = session.scalar(select(CaseEvent.id).where(CaseEvent.event_hash == row.prev_hash).limit(1))
    if followed is not None:
        return Break(row.id, row.case_id, ORDER_BROKEN, f"it was written after event #{followed}, "
                                                        f"but now comes after {before}")
    return Break(row.id, row.case_id, EVENT_MISSING, f"the event written before it, after {before}, is gone")


def _check_words(row: Any, words_gone: dict[int, int]) -> Break | None:
    if row.text_hash is None:
        return None
    if row.salt is None:
        words_gone[row.id] = row.case_id  # fine if a redaction later in the trail names it
        return None
    if text_hash(row.salt, row.text) != row.text_hash:
        return Break(row.id, row.case_id, TEXT_MISMATCH, "the words kept beside the event were changed")
    return None


def _unredacted(words_gone: dict[int, int], redacted: set[tuple[int, int]]) -> Break | None:
    for event_id, case_id in sorted(words_gone.items()):
        if (event_id, case_id) not in redacted:
            return Break(event_id, case_id, TEXT_MISSING, "its words are gone and no redaction event names them")
    return None


def _case_without_events(session: Session) -> Break | None:
    bare = session.scalar(select(Case.id).where(~exists().where(CaseEvent.case_id == Case.id))
                          .order_by(Case.id).limit(1))
    if bare is None:
        return None
    return Break(None, bare, EVENT_MISSING, "the case has no events at all, not even its opening")


def _anchor_lost(session: Session, anchor: tuple[int, str] | None) -> Break | None:
    if anchor is None:
        return None
    event_id, expected = anchor
    found = session.scalar(select(CaseEvent.event_hash).where(CaseEvent.id == event_id))
    if found == expected:
        return None
    case_id = session.scalar(select(CaseEvent.case_id).where(CaseEvent.id == event_id))
    what = "is gone" if found is None else "has another hash"
    return Break(event_id, case_id, ANCHOR_LOST, f"the event kept as an anchor {what}: the trail was cut back or "
                                                 f"written anew")
