"""An audit trail that survives its owner: case events chained by hash, officers' words kept beside them (so a purge
can clear the words and the chain still verifies), INSERT OR REPLACE refused on SQLite, TRUNCATE refused on
PostgreSQL; the table of jobs run once a day for the whole deployment.

Existing events are chained once, in id order; the words of their notes move out of the event into
case_event_texts, each with a random salt, and the event keeps sha256(salt + words).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:00:00.000000

"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from assistant.store import trail
from assistant.store.models import CaseEvent
from assistant.store.types import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_FIELDS = {"note": "text", "handed_over": "note", "resolved": "note"}  # where events of 0001-0003 kept words
REFUSE = "BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END"
APPEND_ONLY = {
    "sqlite": [
        f"CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events {REFUSE}",
        f"CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events {REFUSE}",
        "CREATE TRIGGER case_events_no_replace BEFORE INSERT ON case_events "
        f"WHEN EXISTS (SELECT 1 FROM case_events WHERE id = NEW.id OR prev_hash = NEW.prev_hash) {REFUSE}",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'case events are append-only'; END $$",
        "CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON case_events "
        "FOR EACH ROW EXECUTE FUNCTION case_events_append_only()",
        "CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only()",
    ],
}
DROP_APPEND_ONLY = {
    "sqlite": ["DROP TRIGGER IF EXISTS case_events_no_update", "DROP TRIGGER IF EXISTS case_events_no_delete",
               "DROP TRIGGER IF EXISTS case_events_no_replace"],
    "postgresql": ["DROP TRIGGER IF EXISTS case_events_no_change ON case_events",
                   "DROP TRIGGER IF EXISTS case_events_no_truncate ON case_events"],
}
# 0002's triggers, as they were before this revision.
APPEND_ONLY_0002 = {
    "sqlite": APPEND_ONLY["sqlite"][:2],
    "postgresql": APPEND_ONLY["postgresql"][:2],
}

events = sa.table("case_events", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer),
                  sa.column("kind", sa.String), sa.column("actor", sa.String), sa.column("officer_id", sa.Integer),
                  sa.column("detail", sa.JSON), sa.column("created_at", UTCDateTime()),
                  sa.column("text_hash", sa.String), sa.column("prev_hash", sa.String),
                  sa.column("event_hash", sa.String))
texts = sa.table("case_event_texts", sa.column("event_id", sa.Integer), sa.column("salt", sa.String),
                 sa.column("text", sa.Text))


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def _chain_existing() -> list[dict[str, Any]]:
    """Every event chained in id order, its words moved out; returns the words' rows for case_event_texts."""
    bind = op.get_bind()
    moved: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    prev = trail.GENESIS
    for row in bind.execute(sa.select(events).order_by(events.c.id)).mappings():
        detail = dict(row["detail"] or {})
        words = detail.pop(TEXT_FIELDS[row["kind"]], None) if row["kind"] in TEXT_FIELDS else None
        event = CaseEvent(case_id=row["case_id"], kind=row["kind"], actor=row["actor"], officer_id=row["officer_id"],
                          detail=trail.plain(detail), created_at=row["created_at"])
        if isinstance(words, str) and words:
            salt = trail.new_salt()
            event.text_hash = trail.text_hash(salt, words)
            moved.append({"event_id": row["id"], "salt": salt, "text": words})
        event_hash = trail.content_hash(event, prev_hash=prev)
        changes.append({"row_id": row["id"], "detail": event.detail, "text_hash": event.text_hash,
                        "prev_hash": prev, "event_hash": event_hash})
        prev = event_hash
    if changes:
        bind.execute(events.update().where(events.c.id == sa.bindparam("row_id"))
                     .values(detail=sa.bindparam("detail"), text_hash=sa.bindparam("text_hash"),
                             prev_hash=sa.bindparam("prev_hash"), event_hash=sa.bindparam("event_hash")), changes)
    return moved


def upgrade() -> None:
    """Upgrade schema."""
    _run(DROP_APPEND_ONLY)  # the existing rows are written once more, to chain them
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("event_hash", sa.String(length=64), nullable=True))
    moved = _chain_existing()
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("event_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_case_events_prev_hash"), ["prev_hash"])
    op.create_table(
        "case_event_texts",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["case_events.id"],
                                name=op.f("fk_case_event_texts_event_id_case_events")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_case_event_texts")),
    )
    if moved:
        op.bulk_insert(texts, moved)
    op.create_table(
        "scheduled_jobs",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduled_jobs")),
    )
    _run(APPEND_ONLY)


def downgrade() -> None:
    """Downgrade schema."""
    _run(DROP_APPEND_ONLY)
    bind = op.get_bind()
    kept = bind.execute(sa.select(events.c.id, events.c.kind, events.c.detail, texts.c.text)
                        .join(texts, texts.c.event_id == events.c.id)).all()
    for event_id, kind, detail, words in kept:  # the words go back into their events, as before 0005
        bind.execute(events.update().where(events.c.id == event_id)
                     .values(detail={**(detail or {}), TEXT_FIELDS.get(kind, "text"): words}))
    op.drop_table("scheduled_jobs")
    op.drop_table("case_event_texts")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_case_events_prev_hash"), type_="unique")
        batch_op.drop_column("event_hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("text_hash")
    _run(APPEND_ONLY_0002)
