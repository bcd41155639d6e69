"""However a citizen writes a number (groups, dots, full-width digits, Chinese numerals, a landline's area code in
brackets), no page an officer reads shows it: not the queue, the case, the transcript, the notes nor the
knowledge gaps."""

from __future__ import annotations

import pytest

from assistant.privacy import mask_text

SPELLINGS = {
    "id in groups": ("110101 19500101 123X", "110*** ******** 123X"),
    "id with dashes": ("110101-1950-0101-123X", "110***-****-****-123X"),
    "full-width mobile": ("１３８１２３４５６７８", "１３８****５６７８"),
    "mobile with dashes": ("138-1234-5678", "138-****-5678"),
    "mobile with dots": ("138.1234.5678", "138.****.5678"),
    "mobile with spaces": ("138 1234 5678", "138 **** 5678"),
    "landline": ("010-6512 3456", "010-**** 3456"),
    "landline with a long area code": ("0755-12345678", "0755-****5678"),
    "landline in brackets": ("(010)65123456", "(010)****3456"),
    "spoken mobile": ("幺三八一二三四五六七八", "幺三八****五六七八"),
    "spoken mobile in groups": ("一三八 一二三四 五六七八", "一三八 **** 五六七八"),
    "mixed mobile": ("138一二三四5678", "138****5678"),
}


@pytest.fixture
def supervisor(officer_of):
    client, _ = officer_of("supervisor")
    return client


@pytest.fixture(params=SPELLINGS.values(), ids=SPELLINGS.keys())
def spelling(request) -> tuple[str, str]:
    return request.param


@pytest.fixture
def case_id(client, spelling) -> int:
    """A citizen who could not say what they wanted (a knowledge gap), gave a number, and asked for a person."""
    conversation = client.post("/api/conversations", json={}).json()["id"]
    for text in (f"今天天气怎么样，号码{spelling[0]}", "找人工"):
        response = client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
        assert response.status_code == 200
    return response.json()["case"]["case_id"]


def test_the_queue_and_the_case_never_show_the_number(supervisor, spelling, case_id):
    typed, masked = spelling
    pages = {path: supervisor.get(path) for path in (
        "/api/officer/cases", f"/api/officer/cases/{case_id}", f"/api/staff/cases/{case_id}")}
    for path, page in pages.items():
        assert page.status_code == 200
        assert typed not in page.text, path
        assert masked in page.text, path
    transcript = pages[f"/api/staff/cases/{case_id}"].json()["transcript"]
    assert f"今天天气怎么样，号码{masked}" in [m["text"] for m in transcript if m["role"] == "citizen"]


def test_a_note_never_shows_the_number(supervisor, spelling, case_id):
    typed, masked = spelling
    supervisor.post(f"/api/officer/cases/{case_id}/claim")
    assert supervisor.post(f"/api/officer/cases/{case_id}/notes", json={"text": f"他说号码{typed}"}).status_code == 201
    events = supervisor.get(f"/api/staff/cases/{case_id}").json()["events"]
    assert [e["detail"]["text"] for e in events if e["kind"] == "note"] == [f"他说号码{masked}"]


def test_the_knowledge_gaps_never_show_the_number(supervisor, spelling, case_id):
    typed, masked = spelling
    page = supervisor.get("/api/staff/gaps")
    questions = [w["text"] for group in page.json()["groups"] for w in group["wordings"]]
    assert f"今天天气怎么样，号码{masked}" in questions
    assert typed not in page.text


def test_the_masking_shown_is_the_masking_of_the_text(spelling):
    typed, masked = spelling
    assert mask_text(typed) == masked
