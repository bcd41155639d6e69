"""Failed logins as supervisors see them: per name as typed (numbers masked, nothing invisible) and per address,
over the last hour and day, newest first; rows older than 30 days, or beyond the newest 100,000, are gone."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant import login_failures
from assistant.store import login_failures as failure_store
from assistant.store.models import LoginFailure
from tests.utils.clock import FakeClock
from tests.utils.factories import make_officer
from tests.utils.numbers import id_numbers, mobiles, spelled, written


def fail(session: Session, clock: FakeClock, username: str, address: str = "203.0.113.7") -> None:
    login_failures.record(session, username=username, address=address, at=clock())
    session.commit()


@settings(database=None, deadline=None)
@given(typed=st.text(max_size=80))
def test_a_shown_name_has_nothing_invisible_and_fits_the_column(typed):
    shown = login_failures.shown_name(typed)
    assert len(shown) <= login_failures.NAME_LENGTH
    assert not any(unicodedata.category(c).startswith("C") for c in shown)  # no controls, no bidi overrides


@settings(database=None, deadline=None, max_examples=50)
@given(number=st.one_of(id_numbers(), st.builds(spelled, written, mobiles)), before=st.sampled_from(["", "wang", "王"]))
def test_a_number_typed_as_a_name_is_masked(number, before):
    shown = login_failures.shown_name(before + number)
    digits = "".join(c for c in number if c.isdigit())
    assert digits[-11:] not in "".join(c for c in shown if c.isdigit() or c == "*")


def test_a_right_to_left_override_in_a_name_is_dropped():
    assert login_failures.shown_name("admin\u202egnp.exe") == "admingnp.exe"


def test_failures_are_counted_per_name_and_per_address_newest_first(session, clock):
    make_officer(session, username="wangfang")
    for name, address in [("wangfang", "203.0.113.7"), ("wangfang", "203.0.113.8"), ("admin", "203.0.113.7")]:
        fail(session, clock, name, address)
        clock.advance(minutes=1)
    hour = login_failures.summary(session, now=clock())["hour"]
    assert hour["total"] == 3
    assert [(n["key"], n["count"], n["known"]) for n in hour["by_name"]] == [("admin", 1, False), ("wangfang", 2, True)]
    assert [(a["key"], a["count"]) for a in hour["by_address"]] == [("203.0.113.7", 2), ("203.0.113.8", 1)]


def test_the_hour_and_the_day_are_counted_apart(session, clock):
    fail(session, clock, "wangfang")
    clock.advance(hours=2)
    fail(session, clock, "liming")
    figures = login_failures.summary(session, now=clock())
    assert [n["key"] for n in figures["hour"]["by_name"]] == ["liming"]
    assert [n["key"] for n in figures["day"]["by_name"]] == ["liming", "wangfang"]
    clock.advance(days=1, seconds=1)
    assert login_failures.summary(session, now=clock())["day"]["total"] == 0


def test_rows_older_than_30_days_go_when_new_ones_come(session, clock):
    fail(session, clock, "old")
    clock.advance(days=30, seconds=1)
    fail(session, clock, "new")
    assert session.scalars(select(LoginFailure.username)).all() == ["new"]


def test_a_flood_keeps_only_the_newest_rows(session, clock, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(failure_store, "KEEP_ROWS", 3)
    for n in range(10):
        fail(session, clock, f"name{n}")
    assert session.scalar(select(func.count()).select_from(LoginFailure)) == 3
    assert session.scalars(select(LoginFailure.username).order_by(LoginFailure.id)).all() == ["name7", "name8",
                                                                                              "name9"]


@settings(database=None, deadline=None, max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(address=st.one_of(st.ip_addresses().map(str), st.text(max_size=100)))
def test_any_address_is_stored_as_it_can_be_read(session, clock, address):
    clock.advance(seconds=1)  # the newest, so the first listed
    fail(session, clock, "wangfang", address)
    assert login_failures.summary(session, now=clock())["hour"]["by_address"][0]["key"] == \
        login_failures.shown_address(address)


def test_the_figures_are_plain_json(session, clock):
    fail(session, clock, "wangfang")
    day = login_failures.summary(session, now=clock())["day"]
    assert dt.datetime.fromisoformat(day["by_name"][0]["last_at"]) == clock()
