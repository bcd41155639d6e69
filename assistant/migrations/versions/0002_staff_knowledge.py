"""What staff teach the assistant (training questions, guide drafts); the database refuses to change case events.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 16:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
        "BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END",
        "CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events "
        "BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'case events are append-only'; END $$",
        "CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON case_events "
        "FOR EACH ROW EXECUTE FUNCTION case_events_append_only()",
    ],
}
DROP_APPEND_ONLY = {
    "sqlite": ["DROP TRIGGER IF EXISTS case_events_no_update", "DROP TRIGGER IF EXISTS case_events_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS case_events_no_change ON case_events",
                   "DROP FUNCTION IF EXISTS case_events_append_only()"],
}


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "guide_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["officers.id"], name=op.f("fk_guide_drafts_created_by_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guide_drafts")),
        sa.UniqueConstraint("service_id", name=op.f("uq_guide_drafts_service_id")),
    )
    op.create_table(
        "training_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("source_message_id", sa.Integer(), nullable=True),
        sa.Column("added_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["added_by"], ["officers.id"], name=op.f("fk_training_questions_added_by_officers")),
        sa.ForeignKeyConstraint(
            ["source_message_id"], ["messages.id"], name=op.f("fk_training_questions_source_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_questions")),
    )
    with op.batch_alter_table("training_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_questions_label"), ["label"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_questions_source_message_id"), ["source_message_id"],
                              unique=False)

    for statement in APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    """Downgrade schema."""
    for statement in DROP_APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    with op.batch_alter_table("training_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_questions_source_message_id"))
        batch_op.drop_index(batch_op.f("ix_training_questions_label"))

    op.drop_table("training_questions")
    op.drop_table("guide_drafts")
