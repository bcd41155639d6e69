"""`citizen-help audit verify` on a real database: OK with the count and the newest event, or exit status 1 naming
the first broken link, after someone who holds the database rewrote an event behind the refusals."""

from __future__ import annotations

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import migrate
from assistant.settings import get_settings
from assistant.store.db import make_engine, make_session_factory
from cli import app
from cli.audit_commands import _anchor
from tests.utils.tamper import attacker
from tests.utils.trail import write_trail


@pytest.fixture
def url(cli) -> str:
    url = get_settings().effective_database_url
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        write_trail(session)
    engine.dispose()
    return url


def test_an_intact_trail_is_ok(cli, url):
    result = cli.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and result.output.startswith("OK: 8 case events, chain intact; newest #8 ")


def test_a_rewritten_event_is_named_with_exit_status_1(cli, url):
    with attacker(url) as run:
        run("UPDATE case_events SET kind = 'claimed' WHERE id = 7")
    result = cli.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert result.output.startswith("BROKEN at event #7 (case #2): content changed")


def test_an_anchor_kept_from_an_earlier_run_catches_the_newest_event_removed(cli, url):
    newest = cli.invoke(app, ["audit", "verify"]).output.split("newest #")[1].split()
    anchor = f"{newest[0]}:{newest[1]}"
    with attacker(url) as run:
        run("DELETE FROM case_events WHERE id = 8")
    assert cli.invoke(app, ["audit", "verify"]).exit_code == 0
    result = cli.invoke(app, ["audit", "verify", "--anchor", anchor])
    assert result.exit_code == 1 and "BROKEN at event #8" in result.output and "anchor lost" in result.output


@pytest.mark.parametrize("anchor", ["8", "8:abc", "x:" + "0" * 64, "8:" + "z" * 64, "²:" + "0" * 64])
def test_a_malformed_anchor_is_refused(cli, url, anchor):
    assert cli.invoke(app, ["audit", "verify", "--anchor", anchor]).exit_code == 2


@settings(database=None, max_examples=300, deadline=None)
@given(st.text())
def test_whatever_is_typed_as_an_anchor_is_read_or_refused_clearly(typed):
    try:
        event_id, expected = _anchor(typed)
    except typer.BadParameter:
        return
    assert event_id >= 0 and len(expected) == 64 and set(expected) <= set("0123456789abcdef")


@settings(database=None, deadline=None)
@given(st.integers(min_value=0, max_value=10**18 - 1), st.binary(min_size=32, max_size=32))
def test_an_anchor_as_verify_prints_it_is_read_back(event_id, digest):
    assert _anchor(f"{event_id}:{digest.hex()}") == (event_id, digest.hex())
