"""Migration 0004 stops trusting the joins made before: a citizen merged by a typed number becomes one citizen per
channel identity again, each conversation and case with its own identity, and a phone number stays only where it is
the caller's own number."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from assistant import migrate
from assistant.store.db import make_engine

NOW = dt.datetime(2026, 11, 20, 2, 0)


def _old_database(url: str) -> None:
    """What the code before 0004 wrote when a stranger on Telegram typed a web citizen's number, and a caller rang
    from another number: all three identities on one citizen, who has the typed number."""
    migrate.upgrade(url, revision="0003")
    engine = make_engine(url)
    with engine.begin() as db:
        citizen = db.execute(sa.text("INSERT INTO citizens (phone, created_at) VALUES ('13812345678', :t) "
                                     "RETURNING id"), {"t": NOW}).scalar_one()
        for channel, external in (("web", "page-1"), ("telegram", "777"), ("phone", "13900000000")):
            db.execute(sa.text("INSERT INTO channel_identities (citizen_id, channel, external_id, created_at) "
                               "VALUES (:p, :c, :e, :t)"), {"p": citizen, "c": channel, "e": external, "t": NOW})
        for conversation, channel in (("a" * 32, "web"), ("b" * 32, "telegram"), ("c" * 32, "phone")):
            db.execute(sa.text("INSERT INTO conversations (id, citizen_id, channel, state, created_at, updated_at) "
                               "VALUES (:i, :p, :c, '{}', :t, :t)"),
                       {"i": conversation, "p": citizen, "c": channel, "t": NOW})
            db.execute(sa.text("INSERT INTO cases (conversation_id, citizen_id, status, priority, reason, summary, "
                               "feedback_asked, created_at) VALUES (:i, :p, 'waiting', 0, 'asked', '{}', false, :t)"),
                       {"i": conversation, "p": citizen, "t": NOW})
    engine.dispose()


def test_each_identity_is_its_own_citizen_again_with_its_conversations_and_cases(db_url):
    _old_database(db_url)
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as db:
        owners = dict(db.execute(sa.text("SELECT external_id, citizen_id FROM channel_identities")).all())
        conversations = db.execute(sa.text("SELECT c.channel, c.citizen_id, i.external_id FROM conversations c "
                                           "JOIN channel_identities i ON i.id = c.identity_id")).all()
        cases = dict(db.execute(sa.text("SELECT conversation_id, citizen_id FROM cases")).all())
        phones = dict(db.execute(sa.text("SELECT id, phone FROM citizens")).all())
    engine.dispose()
    assert len(set(owners.values())) == 3
    assert {channel: (citizen, owners[external]) for channel, citizen, external in conversations} == {
        channel: (owners[external], owners[external]) for channel, _, external in conversations}
    assert cases == {"a" * 32: owners["page-1"], "b" * 32: owners["777"], "c" * 32: owners["13900000000"]}
    assert "13812345678" not in phones.values()  # typed, never proven
