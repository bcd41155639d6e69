"""The knowledge base loads every guide, and a broken file is reported by name, field and problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from knowledge.loader import PACKAGE_DIR, KnowledgeError, load_knowledge, load_offices


def test_every_catalogue_id_has_a_valid_guide(kb, catalogue_ids):
    assert catalogue_ids <= set(kb.guides)


def test_special_labels_have_training_material(kb):
    assert set(kb.special) == {"out_of_scope", "human", "emergency"}


def test_every_guide_names_a_configured_office(kb):
    offices = load_offices(PACKAGE_DIR / "offices.sample.yaml")
    assert {guide.office for guide in kb.guides.values()} <= set(offices)


def test_local_office_details_are_marked_as_samples():
    for office in load_offices(PACKAGE_DIR / "offices.sample.yaml").values():
        assert "示例" in office.name and "示例" in office.address


def _edit(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"short_answer": "太长" * 60}, "short_answer", "at most 100 characters"),
        ({"questions": ["身份证咋换"] * 3}, "questions", "at least 25 items"),
        ({"materials": []}, "materials", "at least 1 item"),
        ({"fee": None}, "fee", "valid string"),
        ({"colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_schema_error_names_file_field_and_problem(knowledge_copy, changes, field, problem):
    guides, special = knowledge_copy
    _edit(guides / "id-card-lost.yaml", **changes)
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(guides, special)
    message = str(error.value)
    assert "id-card-lost.yaml" in message
    assert f"field '{field}'" in message
    assert problem in message


def test_every_broken_file_is_reported_in_one_run(knowledge_copy):
    guides, special = knowledge_copy
    _edit(guides / "id-card-lost.yaml", fee=None)
    _edit(guides / "passport-application.yaml", steps=[])
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(guides, special)
    assert "id-card-lost.yaml" in str(error.value) and "passport-application.yaml" in str(error.value)


def test_invalid_yaml_is_reported_with_its_line(knowledge_copy):
    guides, special = knowledge_copy
    (guides / "id-card-lost.yaml").write_text("id: id-card-lost\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"id-card-lost.yaml: line \d+ is not valid YAML"):
        load_knowledge(guides, special)


def test_id_must_match_file_name(knowledge_copy):
    guides, special = knowledge_copy
    (guides / "id-card-lost.yaml").rename(guides / "lost-id.yaml")
    with pytest.raises(KnowledgeError, match="lost-id.yaml: field 'id'"):
        load_knowledge(guides, special)


def test_a_guide_past_its_review_date_is_flagged(kb):
    guide = kb.guides["id-card-renewal"]
    assert not guide.is_past_review(guide.review.last_reviewed)
    assert guide.is_past_review(guide.review.due() + dt.timedelta(days=1))
