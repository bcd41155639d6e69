"""The officers' search: words of every message, and the last 4 digits of phone numbers (assistant/store/
search_index.py says why each index is as it is).

- SQLite: an FTS5 table with the trigram tokenizer over messages.text (external content: only the index is
  stored), filled from the existing messages and kept in step by triggers;
- PostgreSQL: pg_trgm and its GIN index on messages.text, built CONCURRENTLY like 0008's;
- both: indexes on the last 4 digits of citizens' and callbacks' phone numbers;
- canned_replies: the replies supervisors keep for officers to insert.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:00:00.000000

"""

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS message_words USING fts5(text, content='messages', content_rowid='id', "
    "tokenize='trigram')",
    "INSERT INTO message_words(message_words) VALUES ('rebuild')",
    "CREATE TRIGGER IF NOT EXISTS message_words_insert AFTER INSERT ON messages "
    "BEGIN INSERT INTO message_words(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS message_words_delete AFTER DELETE ON messages "
    "BEGIN INSERT INTO message_words(message_words, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS message_words_update AFTER UPDATE OF text ON messages "
    "BEGIN INSERT INTO message_words(message_words, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO message_words(rowid, text) VALUES (new.id, new.text); END",
    "CREATE INDEX IF NOT EXISTS ix_citizens_phone_tail ON citizens ((substr(phone, -4)))",
    "CREATE INDEX IF NOT EXISTS ix_callbacks_phone_tail ON callbacks ((substr(phone, -4)))",
]
POSTGRES_INDEXES = (
    ("ix_messages_text_trgm", "messages", "USING gin (text {trgm}.gin_trgm_ops)"),  # pg_trgm's schema, found
    ("ix_citizens_phone_tail", "citizens", "((right(phone, 4)))"),
    ("ix_callbacks_phone_tail", "callbacks", "((right(phone, 4)))"),
)


def _invalid(name: str) -> bool:
    """A concurrent build that was interrupted leaves the index, marked invalid (PostgreSQL)."""
    query = sa.text("SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE c.relname = :name AND pg_catalog.pg_table_is_visible(c.oid)")
    return bool(op.get_bind().scalar(query, {"name": name}))


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["officers.id"], name=op.f("fk_canned_replies_created_by_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
        sa.UniqueConstraint("title", name=op.f("uq_canned_replies_title")),
    )
    if op.get_bind().dialect.name == "sqlite":
        if sqlite3.sqlite_version_info < (3, 34, 0):
            raise RuntimeError(f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer: 3.34 or later is needed")
        for statement in SQLITE:
            op.execute(statement)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Named with its schema: the extension may sit in one that is not on the search path.
    schema = op.get_bind().scalar(sa.text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                                          "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"))
    trgm = '"' + str(schema).replace('"', '""') + '"'
    with op.get_context().autocommit_block():
        for name, table, how in POSTGRES_INDEXES:
            if _invalid(name):
                op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            op.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} {how.format(trgm=trgm)}")


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS message_words_{trigger}")
        op.execute("DROP TABLE IF EXISTS message_words")
    else:
        for name, _table, _how in reversed(POSTGRES_INDEXES):
            op.execute(f"DROP INDEX IF EXISTS {name}")
    for name in ("ix_citizens_phone_tail", "ix_callbacks_phone_tail"):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_table("canned_replies")
