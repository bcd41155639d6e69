"""On PostgreSQL the service runs as a serving role that `citizen-help db grant` set up, and that role cannot
rewrite the audit trail: it reads and adds case events, and every way to change, remove, truncate, unprotect or
drop them is refused. The owner (here PostgreSQL's superuser, who made the schema) runs the migrations.

Each test has a schema and a role of its own (TEST_DATABASE_URL, trust authentication), the role dropped after."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from typer.testing import CliRunner

from assistant import audit, migrate
from assistant.runtime import build
from assistant.settings import Settings, get_settings
from assistant.store import cases, citizens, conversations
from assistant.store.db import make_engine, make_session_factory
from assistant.store.models import CaseEvent
from assistant.store.types import utcnow
from assistant.upkeep import purge_if_due
from cli import app
from tests.utils.chat import Chat
from tests.utils.db import postgres_schema
from tests.utils.factories import make_officer

pytestmark = pytest.mark.postgres


@pytest.fixture
def owner_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, model_dir: Path) -> Iterator[str]:
    """A migrated schema; the command line's DATABASE_URL is the owner's."""
    with postgres_schema() as url:
        migrate.upgrade(url)
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("MODEL_DIR", str(model_dir))
        get_settings.cache_clear()
        yield url
        get_settings.cache_clear()


def make_role(owner_url: str, options: str = "") -> str:
    name = f"test_app_{uuid.uuid4().hex[:10]}"
    admin = create_engine(owner_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE ROLE "{name}" LOGIN {options}'))
    admin.dispose()
    return name


def drop_role(owner_url: str, name: str) -> None:
    admin = create_engine(owner_url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP OWNED BY "{name}"'))  # its rights and default privileges in this database
        connection.execute(text(f'DROP ROLE "{name}"'))
    admin.dispose()


@pytest.fixture
def role(owner_url: str) -> Iterator[str]:
    name = make_role(owner_url)
    yield name
    drop_role(owner_url, name)


def as_role(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


def grant(role: str) -> str:
    result = CliRunner().invoke(app, ["db", "grant", "--serving-role", role])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def serving_url(owner_url: str, role: str) -> str:
    """The serving role's URL, after the grant, with one case and one event written by the service as that role."""
    grant(role)
    url = as_role(owner_url, role)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        identity = citizens.identify(session, channel="web", external_id="b1")
        case = cases.create(session, conversation=conversations.start(session, identity=identity),
                            reason="asked", priority=0, service_id=None, summary={})
        cases.add_event(session, case=case, kind="opened", actor="citizen")
        cases.add_event(session, case=case, kind="note", actor="officer:wangfang", words="老人耳背")
        session.commit()
    engine.dispose()
    return url


def trail(url: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, kind, actor, event_hash FROM case_events ORDER BY id")).all()
    engine.dispose()
    return [tuple(row) for row in rows]


ATTACKS = {
    "update": "UPDATE case_events SET actor = 'officer:someone-else'",
    "delete": "DELETE FROM case_events",
    "truncate": "TRUNCATE case_events CASCADE",
    "upsert": "INSERT INTO case_events (id, case_id, kind, actor, detail, created_at, prev_hash, event_hash) "
              "SELECT id, case_id, 'forged', actor, detail, created_at, prev_hash, event_hash FROM case_events "
              "ON CONFLICT (id) DO UPDATE SET kind = 'forged'",
    # USER: the table's own triggers, which its owner may switch off (ALL takes in the system's too: superuser only)
    "disable triggers": "ALTER TABLE case_events DISABLE TRIGGER USER",
    "disable one trigger": "ALTER TABLE case_events DISABLE TRIGGER case_events_no_change",
    "drop a trigger": "DROP TRIGGER case_events_no_change ON case_events",
    "replace the trigger function": "CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger "
                                    "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    "replica mode": "SET session_replication_role = replica",
    "drop the table": "DROP TABLE case_events CASCADE",
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_serving_role_cannot_rewrite_the_trail(owner_url, serving_url, attack):
    before = trail(owner_url)
    engine = create_engine(serving_url)
    with engine.connect() as connection, pytest.raises(ProgrammingError, match="permission denied|must be owner"):
        connection.execute(text(attack))
    engine.dispose()
    assert trail(owner_url) == before


def test_the_serving_role_reads_and_adds_events_and_the_chain_holds(owner_url, serving_url):
    engine = make_engine(serving_url)
    with make_session_factory(engine)() as session:
        case = cases.get(session, case_id=1)
        cases.add_event(session, case=case, kind="claimed", actor="officer:wangfang")
        session.commit()
        assert [e.kind for e in cases.events(session, case_id=1)] == ["opened", "note", "claimed"]
        assert audit.verify(session).broken is None
    engine.dispose()


def test_grant_prints_what_it_did_and_running_it_again_changes_nothing(owner_url, role):
    first = grant(role)
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA" in first
    assert "REVOKE UPDATE, DELETE ON" in first and ".case_events FROM" in first
    assert "ALTER DEFAULT PRIVILEGES FOR ROLE" in first
    assert grant(role) == first
    admin = create_engine(owner_url)
    with admin.connect() as connection:
        def may(table: str, privilege: str) -> bool:
            return connection.scalar(text("SELECT has_table_privilege(:role, :table, :privilege)"),
                                     {"role": role, "table": table, "privilege": privilege})

        assert [may("case_events", p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")] == \
            [True, True, False, False, False]
        assert [may("case_event_texts", p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")] == \
            [True, True, True, True, False]
        assert [may("alembic_version", p) for p in ("SELECT", "INSERT", "UPDATE")] == [True, False, False]
    admin.dispose()


def test_a_table_a_later_migration_creates_is_granted_too(owner_url, role):
    grant(role)
    admin = create_engine(owner_url)
    with admin.begin() as connection:
        connection.execute(text("CREATE TABLE later_table (id serial PRIMARY KEY, note text)"))
    admin.dispose()
    engine = create_engine(as_role(owner_url, role))
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO later_table (note) VALUES ('ok')"))
    engine.dispose()


REFUSED_ROLES = {"superuser": "SUPERUSER", "createrole": "CREATEROLE", "member of the owner": "IN ROLE postgres"}


@pytest.mark.parametrize("options", REFUSED_ROLES.values(), ids=REFUSED_ROLES.keys())
def test_grant_refuses_a_role_that_could_act_as_the_owner(owner_url, options):
    name = make_role(owner_url, options)
    try:
        result = CliRunner().invoke(app, ["db", "grant", "--serving-role", name])
        assert result.exit_code == 2 and "nothing was granted" in result.output
    finally:
        drop_role(owner_url, name)


def test_grant_refuses_the_owner_itself_and_a_missing_role(owner_url):
    owner = CliRunner().invoke(app, ["db", "grant", "--serving-role", "postgres"])
    assert owner.exit_code == 2 and "owns the tables" in owner.output
    missing = CliRunner().invoke(app, ["db", "grant", "--serving-role", "nobody_like_this"])
    assert missing.exit_code == 2 and "create it first" in missing.output


def test_an_old_schema_is_upgraded_by_the_owner_not_the_serving_role(owner_url, role, monkeypatch):
    command.downgrade(migrate.alembic_config(owner_url), "0003")
    grant(role)
    monkeypatch.setenv("DATABASE_URL", as_role(owner_url, role))
    get_settings.cache_clear()
    refused = CliRunner().invoke(app, ["db", "upgrade"])
    assert refused.exit_code == 2 and "with the owner's DATABASE_URL" in refused.output
    monkeypatch.setenv("DATABASE_URL", owner_url)
    get_settings.cache_clear()
    upgraded = CliRunner().invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0 and "database at revision" in upgraded.output


def test_the_service_runs_as_the_serving_role(owner_url, role, matcher, tmp_path):
    """What serve does first (the schema at its head: nothing to do), then a citizen handed to an officer who
    claims, notes and resolves, the daily purge a year later, and the trail verified: all as the serving role."""
    grant(role)
    url = as_role(owner_url, role)
    migrate.upgrade(url)
    settings = Settings(_env_file=None, data_dir=tmp_path, database_url=url)  # type: ignore[call-arg]
    runtime = build(settings, matcher)
    try:
        with runtime.sessions() as session:
            officer = make_officer(session, name="王芳")
            chat = Chat(runtime, session)
            chat.say("身份证过期了咋换")
            chat.say("找人工")
            case = chat.case
            runtime.desk.claim(session, case=case, officer=officer)
            runtime.desk.note(session, case=case, officer=officer, text="老人耳背")
            runtime.desk.resolve(session, case=case, officer=officer, note="已办好")
            session.commit()
        a_year_on = utcnow() + dt.timedelta(days=settings.personal_data_max_days + 1)
        assert purge_if_due(runtime.sessions, settings, a_year_on).notes == 2
        with runtime.sessions() as session:
            kinds = session.scalars(select(CaseEvent.kind).order_by(CaseEvent.id)).all()
            assert kinds[:4] == ["opened", "claimed", "note", "resolved"] and "redacted" in kinds
            assert audit.verify(session).broken is None
    finally:
        runtime.close()
