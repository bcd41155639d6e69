"""What staff teach the assistant joins the knowledge base it is trained on: drafts checked against the guide schema,
attached questions added to their label, the cache key changed by both."""

from __future__ import annotations

import pytest

from assistant import additions
from assistant.store import additions as addition_store
from tests.utils.factories import make_officer


def draft_from(kb, **changes) -> dict:
    """A complete guide's fields: an existing guide under a new id, with the changes."""
    data = kb.guides["home-care-subsidy"].model_dump(mode="json")
    data.update(id="senior-bath-subsidy", title="老年人助浴补贴", **changes)
    return data


def test_a_complete_draft_is_a_guide(kb):
    check = additions.check_draft(draft_from(kb), taken=kb.guides)
    assert check.problems == [] and check.guide is not None and check.guide.id == "senior-bath-subsidy"


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"questions": [f"洗澡补贴第{n}问" for n in range(30)] + ["洗澡补贴第1问"]}, "questions", "有重复的问法"),
    ({"questions": ["洗澡补贴咋申请", "助浴补贴"]}, "questions", "至少要25条（现在2条）"),
    ({"short_answer": "太短"}, "short_answer", "至少要10个字"),
    ({"title": ""}, "title", "不能是空的"),
    ({"id": "Senior Bath"}, "id", "只能用小写英文字母、数字和连字符，比如 senior-bath-subsidy"),
    ({"review": {"owner": "民政局", "last_reviewed": "昨天"}}, "review.last_reviewed", "日期要写成 2026-01-31 这样"),
    ({"id": "home-care-subsidy"}, "id", "这个编号已经有正式指南了，请换一个"),
])
def test_each_problem_of_a_draft_is_named_in_chinese(kb, change, field, message):
    check = additions.check_draft(draft_from(kb) | change, taken=kb.guides)
    assert check.guide is None
    assert (field, message) in [(p.field, p.message) for p in check.problems]


def test_a_missing_field_is_named(kb):
    data = draft_from(kb)
    del data["fee"]
    assert [(p.field, p.message) for p in additions.check_draft(data).problems] == [("fee", "必须填写")]


def test_extending_adds_questions_and_guides_and_changes_the_cache_key(kb):
    guide = additions.check_draft(draft_from(kb), taken=kb.guides).guide
    extended = additions.extend(kb, questions=[("身份证到期了去哪换新的呀", "id-card-renewal"),
                                               ("明天几度", "out_of_scope"), ("没这个", "no-such-guide")],
                                guides=[guide])
    assert extended.guides["id-card-renewal"].questions[-1] == "身份证到期了去哪换新的呀"
    assert extended.special["out_of_scope"].questions[-1] == "明天几度"
    assert extended.guides["senior-bath-subsidy"] == guide
    assert len(extended.guides) == len(kb.guides) + 1
    assert extended.fingerprint != kb.fingerprint
    assert kb.guides["id-card-renewal"].questions[-1] != "身份证到期了去哪换新的呀"  # the original is untouched


def test_nothing_to_add_is_the_same_knowledge_base(kb):
    assert additions.extend(kb) is kb
    assert additions.extend(kb, questions=[(kb.guides["id-card-lost"].questions[0], "id-card-lost")]) is kb


def test_the_store_holds_what_supervisors_added(session, kb):
    supervisor = make_officer(session, role="supervisor")
    addition_store.add_question(session, text="身份证到期了去哪换新的呀", label="id-card-renewal", officer=supervisor)
    addition_store.save_draft(session, service_id="senior-bath-subsidy", data=draft_from(kb), officer=supervisor)
    addition_store.save_draft(session, service_id="half-done", data={"id": "half-done"}, officer=supervisor)
    session.commit()
    extended = additions.from_store(session, kb)
    assert "senior-bath-subsidy" in extended.guides and "half-done" not in extended.guides
    assert extended.guides["id-card-renewal"].questions[-1] == "身份证到期了去哪换新的呀"


def test_a_database_without_the_tables_adds_nothing(tmp_path, kb):
    assert additions.from_database(f"sqlite:///{tmp_path / 'empty.db'}", kb) is kb
