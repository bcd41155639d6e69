"""Whatever ID number (with its check digit) or mobile number a citizen types, no staff list and no public figure
shows it in full: only revealing it on purpose (a recorded case event) does."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.utils.numbers import id_numbers, mobiles, spelled, written

LISTS = ["/api/officer/cases", "/api/officer/callbacks", "/api/staff/callbacks/today", "/api/staff/gaps",
         "/api/stats", "/api/staff/board", "/api/officer/cases?status=all&q=证咋弄"]


@pytest.fixture
def supervisor(officer_of):
    client, _ = officer_of("supervisor", on_duty=False)  # nobody on duty: citizens are offered a callback
    return client


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(id_number=id_numbers(), mobile=mobiles, template=written, noise=st.sampled_from(["", "嗯", "那个"]))
def test_no_list_shows_a_full_number(client, supervisor, id_number, mobile, template, noise):
    conversation = client.post("/api/conversations", json={}).json()["id"]
    for text in (f"{noise}我身份证{id_number}，手机{spelled(template, mobile)}，那个证咋弄", "找人工", "1", mobile):
        turn = client.post(f"/api/conversations/{conversation}/messages", json={"text": text}).json()
    case_id = turn["case"]["case_id"]
    shown = [supervisor.get(path).text for path in LISTS]
    shown.append(supervisor.get("/api/officer/cases", params={"status": "all", "q": mobile[-4:]}).text)
    shown += [supervisor.get(f"/api/officer/cases/{case_id}").text, supervisor.get(f"/api/staff/cases/{case_id}").text]
    for page in shown:
        assert id_number not in page and mobile not in page
    revealed = supervisor.post(f"/api/staff/cases/{case_id}/reveal").json()
    assert revealed["phone"] == mobile and any(id_number in m["text"] for m in revealed["messages"])
