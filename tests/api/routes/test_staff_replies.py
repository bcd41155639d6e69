"""The reply box's suggestions: guides by their title, canned replies kept by supervisors; whether a web citizen is
there to see a reply now."""

from __future__ import annotations

import asyncio

from assistant.live.events import InProcessBus
from assistant.live.presence import listening


def test_guides_are_found_by_title_with_their_short_answer(officer_of, matcher):
    staff, _ = officer_of()
    guide = matcher.kb.guides["id-card-renewal"]
    found = staff.get("/api/staff/replies", params={"q": guide.title[:3]}).json()
    assert {"id": guide.id, "kind": "guide", "title": guide.title, "text": guide.short_answer} in found
    assert staff.get("/api/staff/replies", params={"q": "没有这种标题的指南"}).json() == []
    assert staff.get("/api/staff/replies", params={"q": "字" * 51}).status_code == 422


def test_supervisors_keep_canned_replies_and_officers_insert_them(officer_of):
    supervisor, _ = officer_of("supervisor")
    officer, _ = officer_of("officer")
    reply = {"title": "稍等查询", "text": "您好，我帮您查一下，请稍等两分钟。"}
    assert officer.post("/api/staff/canned", json=reply).status_code == 403
    made = supervisor.post("/api/staff/canned", json=reply)
    assert made.status_code == 201
    assert supervisor.post("/api/staff/canned", json=reply).status_code == 409
    found = officer.get("/api/staff/replies", params={"q": "稍等"}).json()
    assert found[0] == {"id": made.json()["id"], "kind": "canned", **reply}
    assert officer.delete(f"/api/staff/canned/{made.json()['id']}").status_code == 403
    assert supervisor.delete(f"/api/staff/canned/{made.json()['id']}").status_code == 204
    assert officer.get("/api/staff/canned").json() == []


def test_a_web_citizen_who_is_not_on_the_page_has_left(officer_of, say):
    say("找人工")
    staff, _ = officer_of()
    [case] = staff.get("/api/officer/cases").json()
    view = staff.get(f"/api/staff/cases/{case['id']}").json()
    assert view["here"] is False  # no page holds the conversation's stream open
    assert "conversation_id" not in view


def test_listening_is_told_by_the_bus():
    bus = InProcessBus()

    async def check() -> tuple[bool | None, bool | None]:
        async with bus.subscribe("conversation:x"):
            during = listening(bus, "conversation:x")
        return during, listening(bus, "conversation:x")

    assert asyncio.run(check()) == (True, False)
    assert listening(object(), "conversation:x") is None  # a bus that cannot tell
