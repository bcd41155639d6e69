"""Bad input is a 4xx with a plain Chinese answer, never a 5xx, on SQLite and on PostgreSQL alike: numbers too large
for a column, NUL and other control characters (PostgreSQL refuses NUL in text), lone surrogates (no UTF-8 answer
can carry one), NaN and Infinity (PostgreSQL's JSON refuses them) and JSON nested deep enough to crash a parser."""

from __future__ import annotations

import json
import re

import pytest

from api.errors import CONTROL
from api.json_guard import MAX_DEPTH

HAN = re.compile(r"[\u4e00-\u9fff]")
JSON = {"content-type": "application/json"}


def post_json(client, path: str, body: dict):
    """Escaped as \\uXXXX, as a browser sends it: a lone surrogate cannot be sent as UTF-8."""
    return client.post(path, content=json.dumps(body).encode(), headers=JSON)


def says_in_chinese(response) -> bool:
    body = response.json()
    text = body.get("message") if isinstance(body.get("message"), str) else body.get("detail")
    return isinstance(text, str) and bool(HAN.search(text))


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"gtts_enabled": False})  # the hotline speaks with the offline voice only


@pytest.fixture
def conversation_and_case(client) -> tuple[str, int]:
    conversation = client.post("/api/conversations", json={}).json()["id"]
    client.post(f"/api/conversations/{conversation}/messages", json={"text": "今天天气怎么样"})
    response = client.post(f"/api/conversations/{conversation}/messages", json={"text": "找人工"})
    return conversation, response.json()["case"]["case_id"]


@pytest.fixture
def admin(officer_of, conversation_and_case):
    client, _ = officer_of("admin")
    assert client.post(f"/api/officer/cases/{conversation_and_case[1]}/claim").status_code == 200
    return client


# --- numbers larger than the database's columns ---

@pytest.mark.parametrize("after", ["9223372036854775808", "2147483648", "99999999999999999999999"])
def test_a_message_id_beyond_any_row_is_a_clear_422(client, conversation_and_case, after):
    conversation, _ = conversation_and_case
    response = client.get(f"/api/conversations/{conversation}?after={after}")
    assert response.status_code == 422 and says_in_chinese(response)


def test_the_last_possible_message_id_is_fine(client, conversation_and_case):
    conversation, _ = conversation_and_case
    response = client.get(f"/api/conversations/{conversation}?after=2147483647")
    assert response.status_code == 200 and response.json()["messages"] == []


# --- a conversation key that cannot be one ---

@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/conversations/{}"),
    ("POST", "/api/conversations/{}/messages"),
    ("GET", "/api/conversations/{}/events"),
    ("GET", "/api/conversations/{}/messages/1/audio"),
])
@pytest.mark.parametrize("key", ["%00", "a%00b", "0" * 31 + "%00"])
def test_a_key_that_cannot_be_a_conversation_is_a_plain_404(client, method, path, key):
    response = client.request(method, path.format(key), json={"text": "你好"})
    assert response.status_code == 404 and says_in_chinese(response)


# --- control characters in what staff send ---

@pytest.mark.parametrize("text", ["回电\x00", "好的\x1b[2J", "\x07", "半个\ud800字"])
@pytest.mark.parametrize(("path", "field"), [
    ("/api/officer/cases/{}/reply", "text"),
    ("/api/officer/cases/{}/notes", "text"),
    ("/api/officer/cases/{}/resolve", "note"),
    ("/api/officer/cases/{}/handover", "note"),
])
def test_a_control_character_in_an_officers_text_is_a_clear_422(admin, conversation_and_case, path, field, text):
    response = post_json(admin, path.format(conversation_and_case[1]), {field: text})
    assert response.status_code == 422 and says_in_chinese(response)
    assert response.json()["message"] == CONTROL


def test_line_breaks_and_tabs_in_an_officers_text_are_fine(admin, conversation_and_case):
    response = admin.post(f"/api/officer/cases/{conversation_and_case[1]}/notes", json={"text": "第一行\r\n\t第二行"})
    assert response.status_code == 201


@pytest.mark.parametrize("username", ["wang\x00", "\x00", "wang\x1b"])
def test_a_control_character_in_a_login_name_is_a_clear_422(client, username):
    client.headers["X-CSRF-Token"] = client.get("/api/staff/session").json()["csrf_token"]
    response = post_json(client, "/api/officer/login", {"username": username, "password": "whatever-it-is"})
    assert response.status_code == 422 and says_in_chinese(response)


@pytest.mark.parametrize("name", ["王\x00芳", "\u202e芳王", "王\u200b芳", "王芳\n"])
def test_an_officers_name_holds_no_control_or_direction_character(admin, name):
    response = admin.post("/api/officer/officers", json={"username": "newone", "name": name,
                                                          "password": "long enough password"})
    assert response.status_code == 422 and says_in_chinese(response)


# --- JSON that no parser, column or answer can hold ---

@pytest.mark.parametrize("body", [
    b'{"guide": {"id": "abc-nan", "fee": NaN}}',
    b'{"guide": {"id": "abc-inf", "fee": -Infinity}}',
    b'{"guide": {"id": "abc-big", "fee": 1e400}}',
    b'{"guide": {"id": "abc-int", "fee": 1' + b"0" * 5000 + b"}}",
    b'{"guide": {"id": "abc-deep", "x": ' + b"[" * 900 + b"]" * 900 + b"}}",
])
def test_json_no_column_or_answer_can_hold_is_a_clear_400(admin, body):
    response = admin.post("/api/staff/drafts", content=body, headers=JSON)
    assert response.status_code == 400 and says_in_chinese(response)


def test_a_control_character_in_a_draft_guide_is_a_clear_422(admin):
    response = admin.post("/api/staff/drafts", json={"guide": {"id": "abc-nul", "title": "老年卡\x00"}})
    assert response.status_code == 422 and says_in_chinese(response)


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", None])
def test_json_nested_too_deep_is_a_clear_400_whatever_it_claims_to_be(client, conversation_and_case, content_type):
    conversation, _ = conversation_and_case
    headers = {"content-type": content_type} if content_type else {}
    response = client.post(f"/api/conversations/{conversation}/messages", content=b"[" * 200_000, headers=headers)
    assert response.status_code == 400 and says_in_chinese(response)


def test_nesting_up_to_the_limit_is_read_as_usual(client, conversation_and_case):
    conversation, _ = conversation_and_case
    nested = b"[" * (MAX_DEPTH - 1) + b"1" + b"]" * (MAX_DEPTH - 1)
    response = client.post(f"/api/conversations/{conversation}/messages", content=b'{"text": ' + nested + b"}",
                           headers=JSON)
    assert response.status_code == 422  # a list is not text: the usual answer, from the usual place
    assert client.post(f"/api/conversations/{conversation}/messages", json={"text": "[[[ 括号不算 ]]]" * 20}
                       ).status_code == 200


def test_a_body_that_is_not_json_gets_a_chinese_answer(client, conversation_and_case):
    conversation, _ = conversation_and_case
    response = client.post(f"/api/conversations/{conversation}/messages", content=b'{"text": "x"', headers=JSON)
    assert response.status_code == 400 and says_in_chinese(response)


# --- the hotline's form fields ---

@pytest.mark.parametrize(("path", "form"), [
    ("/voice/twilio/incoming", {"CallSid": "CA\x00123", "From": "anonymous"}),
    ("/voice/twilio/status", {"CallSid": "CA\x00123", "CallStatus": "completed"}),
])
def test_a_control_character_in_a_carrier_form_is_dropped_and_the_call_goes_on(client, path, form):
    response = client.post(path, data=form)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
