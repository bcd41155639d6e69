"""The officer API's search: a case found by words, number and phone ending, masked; pages; the tabs' counts;
what it refuses."""

from __future__ import annotations

import pytest


@pytest.fixture
def case_id(say) -> int:
    say("我的老年公交卡丢了，我电话13812345678")
    return say("找人工")["case"]["case_id"]


def test_a_case_is_found_by_words_number_and_phone_ending_with_numbers_masked(officer_of, case_id):
    staff, _ = officer_of()
    for q in ("公交卡丢了", f"#{case_id}", str(case_id)):
        listed = staff.get("/api/officer/cases", params={"status": "all", "q": q}).json()
        assert [c["id"] for c in listed] == [case_id], q
        assert "13812345678" not in str(listed)
        assert listed[0]["channel"] == "test" or listed[0]["channel"]
        assert listed[0]["last_citizen_at"]
    assert staff.get("/api/officer/cases", params={"status": "all", "q": "驾驶证换证"}).json() == []


def test_the_tabs_counts_follow_the_search(officer_of, case_id):
    staff, officer = officer_of()
    counts = staff.get("/api/officer/cases/counts", params={"q": "公交卡"}).json()
    assert counts == {"waiting": 1, "mine": 0, "others": 0, "resolved": 0, "cancelled": 0}
    staff.post(f"/api/officer/cases/{case_id}/claim").raise_for_status()
    assert staff.get("/api/officer/cases/counts", params={"q": "公交卡"}).json()["mine"] == 1
    colleague, _ = officer_of()
    assert colleague.get("/api/officer/cases/counts").json()["others"] == 1
    assert [c["id"] for c in colleague.get("/api/officer/cases", params={"status": "others"}).json()] == [case_id]
    assert colleague.get("/api/officer/cases", params={"status": "mine"}).json() == []


def test_a_page_says_whether_another_follows(officer_of, case_id):
    staff, _ = officer_of()
    response = staff.get("/api/officer/cases", params={"status": "open", "page": 1})
    assert response.headers["X-Has-More"] == "false" and response.headers["X-Page"] == "1"
    assert staff.get("/api/officer/cases", params={"status": "open", "page": 2}).json() == []


@pytest.mark.parametrize("params", [{"status": "everything"}, {"page": 0}, {"q": "字" * 101},
                                    {"channel": "fax"}, {"age": "forever"}, {"emergency": "perhaps"}])
def test_bad_filters_are_a_clear_422(officer_of, params):
    staff, _ = officer_of()
    assert staff.get("/api/officer/cases", params=params).status_code == 422


def test_control_and_invisible_characters_in_the_box_only_separate_words(officer_of, case_id, say):
    staff, _ = officer_of()
    for q in ("公交\u202e卡丢了\x00", "\u200b公交卡\x00", "丢了\u2066公交"):
        listed = staff.get("/api/officer/cases", params={"status": "all", "q": q}).json()
        assert [c["id"] for c in listed] == [case_id], repr(q)
