"""Who may do what: the roles table of the staff console, and the rule that a case claimed by someone else is
theirs to answer and resolve, unless you are a supervisor."""

from __future__ import annotations

import pytest

# (role, method, path, status): 200 allowed, 403 not for this role.
ROLE_RULES = [
    *[(role, "get", path, 200) for role in ("officer", "supervisor", "admin")
      for path in ("/api/officer/cases", "/api/officer/cases/counts", "/api/staff/callbacks/today",
                   "/api/staff/colleagues", "/api/staff/replies", "/api/staff/canned")],
    *[(role, "get", path, status) for role, status in (("officer", 403), ("supervisor", 200), ("admin", 200))
      for path in ("/api/staff/gaps", "/api/staff/drafts", "/api/staff/retrain", "/api/staff/reviews",
                   "/api/officer/officers", "/api/officer/login-failures", "/api/staff/board")],
    ("officer", "post", "/api/staff/retrain", 403),
    ("officer", "post", "/api/staff/gaps/attach", 403),
    ("officer", "post", "/api/staff/drafts", 403),
    ("officer", "post", "/api/staff/cases/{case_id}/links/{link_id}/undo", 403),
    ("officer", "post", "/api/staff/canned", 403),
    ("officer", "delete", "/api/staff/canned/{reply_id}", 403),
    ("supervisor", "post", "/api/staff/canned", 201),
    ("supervisor", "post", "/api/officer/officers", 403),
    ("admin", "post", "/api/officer/officers", 201),
]
BODIES = {"/api/staff/canned": {"title": "稍等", "text": "请稍等，我查一下。"},
          "/api/staff/gaps/attach": {"message_ids": [1], "label": "out_of_scope"}, "/api/staff/drafts": {"guide": {}},
          "/api/officer/officers": {"username": "liming", "name": "李明", "password": "a long password"}}


@pytest.mark.parametrize("role", ["officer", "supervisor", "admin"])
def test_roles(officer_of, role):
    staff, _ = officer_of(role)
    expected = {(method, path): status for r, method, path, status in ROLE_RULES if r == role}
    got = {(method, path): staff.request(method, path, json=BODIES.get(path)).status_code for method, path in expected}
    assert got == expected


@pytest.fixture
def case_id(say) -> int:
    return say("找人工")["case"]["case_id"]


# (who resolves, who has the case, status)
RESOLVE_RULES = [
    ("officer", "themselves", 200),
    ("officer", "a colleague", 403),
    ("officer", "nobody yet", 403),
    ("supervisor", "a colleague", 200),
    ("supervisor", "nobody yet", 200),
    ("admin", "a colleague", 200),
]


@pytest.mark.parametrize(("role", "holder", "status"), RESOLVE_RULES, ids=[f"{r} resolving a case of {h}"
                                                                           for r, h, _ in RESOLVE_RULES])
def test_resolving_a_case_claimed_by_someone_else_needs_a_supervisor(officer_of, case_id, role, holder, status):
    resolver, _ = officer_of(role)
    if holder == "themselves":
        resolver.post(f"/api/officer/cases/{case_id}/claim")
    elif holder == "a colleague":
        colleague, _ = officer_of("officer")
        colleague.post(f"/api/officer/cases/{case_id}/claim")
    response = resolver.post(f"/api/officer/cases/{case_id}/resolve", json={})
    assert response.status_code == status
    if status == 403:
        assert resolver.get(f"/api/staff/cases/{case_id}").json()["status"] != "resolved"


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/staff/cases/999"), ("post", "/api/staff/cases/999/reveal"),
    ("post", "/api/staff/callbacks/999/reveal"), ("post", "/api/officer/cases/999/resolve"),
    ("post", "/api/officer/cases/999/reply"), ("post", "/api/officer/cases/999/notes"),
])
def test_unknown_ids_are_404(officer_of, method, path):
    staff, _ = officer_of("supervisor")
    assert staff.request(method, path, json={"text": "您好"}).status_code == 404
