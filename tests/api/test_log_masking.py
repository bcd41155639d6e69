"""A full run through the app with every logger at DEBUG (SQLAlchemy's statements and parameters included): the ID
number and the phone number a citizen gave appear nowhere in the logs in full, only masked."""

from __future__ import annotations

import logging

import pytest

ID_NUMBER = "11010519491231002X"  # a valid number: the check digit is right
MOBILE = "13912345678"


@pytest.fixture
def supervisor(officer_of):
    client, _ = officer_of("supervisor", on_duty=False)  # nobody on duty: the citizen is offered a callback
    return client


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # SQLAlchemy keeps its own loggers at WARNING
    return caplog


def test_no_log_record_holds_a_full_number(client, supervisor, everything_logged):
    conversation = client.post("/api/conversations", json={}).json()["id"]
    turns = [client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
             for text in (f"我身份证号{ID_NUMBER}，电话{MOBILE}，身份证到期了怎么换", "找人工", "1", MOBILE)]
    assert all(turn.status_code == 200 for turn in turns)
    case_id = turns[-1].json()["case"]["case_id"]
    supervisor.get(f"/api/officer/cases/{case_id}")
    revealed = supervisor.post(f"/api/staff/cases/{case_id}/reveal").json()
    assert revealed["phone"] == MOBILE  # the full number was there to leak

    logged = everything_logged.text + "".join(repr(vars(r)) for r in everything_logged.records)
    for raw in (ID_NUMBER, ID_NUMBER[:17], MOBILE):
        assert raw not in logged
    assert "139****5678" in logged  # the numbers did reach the logs (the parameters SQLAlchemy wrote), masked
