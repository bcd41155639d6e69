"""The supervisors' rules, without the routes: ids a new guide may take, and which guides are overdue for review."""

from __future__ import annotations

import datetime as dt

from assistant import teaching


def test_a_new_guide_needs_a_plain_id_that_no_shipped_guide_has():
    assert teaching.valid_id("senior-bath-subsidy")
    assert not teaching.valid_id("Senior Bath")
    assert not teaching.valid_id("a" * (teaching.MAX_ID_LENGTH + 1))
    assert "id-card-renewal" in teaching.shipped_ids()


def test_overdue_guides_are_listed_the_longest_overdue_first(kb):
    guides = list(kb.guides.values())
    latest_due = max(g.review.due() for g in guides)
    assert teaching.overdue(guides, today=min(g.review.due() for g in guides)) == []
    listed = teaching.overdue(guides, today=latest_due + dt.timedelta(days=1))
    assert len(listed) == len(guides)
    assert [g["days_overdue"] for g in listed] == sorted((g["days_overdue"] for g in listed), reverse=True)
    assert listed[-1]["days_overdue"] == 1
