"""Indexes for the queries of the staff and public pages on a big database, and the public figures' daily rollup.

Each index serves queries that otherwise scan a whole table (EXPLAIN in tests/assistant/store/test_query_plans.py):
- messages(role, created_at): citizens' questions of the last 30 days (/api/stats, the knowledge gaps);
- case_events(kind, created_at): claims, resolutions and feedback of the last 30 days (/api/stats);
- cases(status, resolved_at): recently resolved cases (the wait estimate), resolved ones for the purge;
- cases(created_at): cases opened in the last 30 days (/api/stats);
- conversations(updated_at): quiet conversations (the purge);
- conversations(citizen_id, created_at): a citizen's conversations newest first (an officer's view of their
  history); it replaces the index on citizen_id alone, which is its prefix;
- callbacks(due_at): callbacks due on a day (/api/stats); callbacks(status, due_at): the pending ones soonest first
  (the staff list).

On PostgreSQL they are built CONCURRENTLY, outside a transaction, so a live database goes on taking citizens'
writes while they build (a plain CREATE INDEX blocks every write to the table for the minutes a big one takes). An
interrupted concurrent build leaves an invalid index behind; running the upgrade again drops and rebuilds it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_messages_role_created_at", "messages", ["role", "created_at"]),
    ("ix_case_events_kind_created_at", "case_events", ["kind", "created_at"]),
    ("ix_cases_status_resolved_at", "cases", ["status", "resolved_at"]),
    ("ix_cases_created_at", "cases", ["created_at"]),
    ("ix_conversations_updated_at", "conversations", ["updated_at"]),
    ("ix_conversations_citizen_id_created_at", "conversations", ["citizen_id", "created_at"]),
    ("ix_callbacks_due_at", "callbacks", ["due_at"]),
    ("ix_callbacks_status_due_at", "callbacks", ["status", "due_at"]),
)


def _invalid(name: str) -> bool:
    """A concurrent build that was interrupted leaves the index, marked invalid (PostgreSQL)."""
    query = sa.text("SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE c.relname = :name AND pg_catalog.pg_table_is_visible(c.oid)")
    return bool(op.get_bind().scalar(query, {"name": name}))


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "stats_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_days")),
        sa.UniqueConstraint("zone", "day", name=op.f("uq_stats_days_zone_day")),
    )
    if op.get_bind().dialect.name != "postgresql":
        for name, table, columns in INDEXES:
            op.create_index(name, table, columns, unique=False)
        op.drop_index("ix_conversations_citizen_id", table_name="conversations")
        return
    with op.get_context().autocommit_block():
        for name, table, columns in INDEXES:
            if _invalid(name):
                op.drop_index(name, table_name=table, postgresql_concurrently=True)
            op.create_index(name, table, columns, unique=False, postgresql_concurrently=True, if_not_exists=True)
        op.drop_index("ix_conversations_citizen_id", table_name="conversations", postgresql_concurrently=True,
                      if_exists=True)


def downgrade() -> None:
    """Downgrade schema."""
    op.create_index("ix_conversations_citizen_id", "conversations", ["citizen_id"], unique=False)
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table("stats_days")
