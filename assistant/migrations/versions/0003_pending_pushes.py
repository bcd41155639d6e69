"""Messages for Telegram chats not yet delivered there, kept until they are.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 22:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "pending_pushes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name=op.f("fk_pending_pushes_conversation_id_conversations")),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], name=op.f("fk_pending_pushes_message_id_messages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_pushes")),
        sa.UniqueConstraint("message_id", name=op.f("uq_pending_pushes_message_id")),
    )
    with op.batch_alter_table("pending_pushes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_pushes_conversation_id"), ["conversation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pending_pushes_due_at"), ["due_at"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("pending_pushes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_pushes_due_at"))
        batch_op.drop_index(batch_op.f("ix_pending_pushes_conversation_id"))
    op.drop_table("pending_pushes")
