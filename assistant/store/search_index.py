"""The indexes behind the officers' search (assistant/store/case_search.py), outside the models' metadata because
they are the database's own kinds: words of every message, and the last 4 digits of phone numbers.

- SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34 and later), kept in step with `messages` by
  triggers. Trigrams find any run of 3 or more characters inside Chinese text, which has no spaces to split words
  on; the table holds only the index (external content), the words stay in `messages`.
- PostgreSQL: pg_trgm's GIN index on messages.text, which serves `ILIKE '%words%'`. It needs a database whose
  character classification knows Chinese (LC_CTYPE C.UTF-8 or a UTF-8 locale; under plain "C" pg_trgm skips
  non-ASCII characters).
- Both: an index on the phone's last 4 digits (an expression), for citizens' verified numbers and callbacks'.

The same statements are in migration 0009; here they follow create_all (tests, first runs).
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import DDL, MetaData, event

WORDS_TABLE = "message_words"  # SQLite's FTS5 table; its shadow tables are named message_words_*
TRIGRAM_INDEX = "ix_messages_text_trgm"  # PostgreSQL
PHONE_TAIL_INDEXES = {"citizens": "ix_citizens_phone_tail", "callbacks": "ix_callbacks_phone_tail"}
TAIL = 4
TRIGRAM = 3  # the shortest words an index finds; shorter ones are looked for row by row

SQLITE_WORDS = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {WORDS_TABLE} USING fts5(text, content='messages', content_rowid='id', "
    "tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {WORDS_TABLE}_insert AFTER INSERT ON messages "
    f"BEGIN INSERT INTO {WORDS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {WORDS_TABLE}_delete AFTER DELETE ON messages "
    f"BEGIN INSERT INTO {WORDS_TABLE}({WORDS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {WORDS_TABLE}_update AFTER UPDATE OF text ON messages "
    f"BEGIN INSERT INTO {WORDS_TABLE}({WORDS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {WORDS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
]
# The operator class is named with the schema pg_trgm lives in: the database's extension may sit in a schema that
# is not on this connection's search path (an app schema of its own; each test's schema).
TRIGRAM_SCHEMA = ("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                  "WHERE e.extname = 'pg_trgm'")
POSTGRES_WORDS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"DO $$ BEGIN EXECUTE 'CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON messages USING gin (text ' "
    f"|| quote_ident(({TRIGRAM_SCHEMA})) || '.gin_trgm_ops)'; END $$",
]



def phone_tail_index(table: str, dialect: str) -> str:
    tail = f"substr(phone, -{TAIL})" if dialect == "sqlite" else f"right(phone, {TAIL})"
    return f"CREATE INDEX IF NOT EXISTS {PHONE_TAIL_INDEXES[table]} ON {table} (({tail}))"


def sqlite_has_trigram() -> bool:
    """The trigram tokenizer came with SQLite 3.34.0."""
    return sqlite3.sqlite_version_info >= (3, 34, 0)


def is_search_object(name: str | None) -> bool:
    """Tables and indexes of this module, which the models do not describe (alembic's comparisons skip them)."""
    if not name:
        return False
    return name in (WORDS_TABLE, TRIGRAM_INDEX, *PHONE_TAIL_INDEXES.values()) or name.startswith(f"{WORDS_TABLE}_")


def _ddl(statement: str) -> DDL:
    return DDL(statement)  # type: ignore[no-untyped-call]  # SQLAlchemy leaves DDL.__init__ unannotated


def install(metadata: MetaData) -> None:
    """Create these indexes after the models' tables, whenever create_all makes them."""
    messages, citizens, callbacks = (metadata.tables[name] for name in ("messages", "citizens", "callbacks"))
    for statement in SQLITE_WORDS:
        event.listen(messages, "after_create", _ddl(statement).execute_if(dialect="sqlite"))
    # Its index would outlive the messages it points into.
    event.listen(messages, "before_drop", _ddl(f"DROP TABLE IF EXISTS {WORDS_TABLE}").execute_if(dialect="sqlite"))
    for statement in POSTGRES_WORDS:
        event.listen(messages, "after_create", _ddl(statement).execute_if(dialect="postgresql"))
    for table in (citizens, callbacks):
        for dialect in ("sqlite", "postgresql"):
            event.listen(table, "after_create",
                         _ddl(phone_tail_index(table.name, dialect)).execute_if(dialect=dialect))
