"""The knowledge base as staff extended it: the shipped guides, plus the questions supervisors attached and the
drafts of new guides that pass the guide schema. knowledge/ stays a plain library: this only builds its inputs."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from assistant.store import additions as addition_store
from assistant.store.db import make_engine, make_session_factory
from knowledge.loader import KnowledgeBase
from knowledge.schema import Guide, SpecialLabel

log = logging.getLogger("citizen_help.additions")

Trainable = TypeVar("Trainable", Guide, SpecialLabel)


@dataclass(frozen=True)
class Problem:
    field: str  # dotted path into the guide, e.g. "proxy.note" or "questions"
    message: str  # in Chinese, for the supervisor


@dataclass(frozen=True)
class DraftCheck:
    guide: Guide | None  # None while the draft does not pass the schema
    problems: list[Problem]


def _message(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "missing":
        return "必须填写"
    if kind == "string_too_short":
        return "不能是空的" if ctx.get("min_length", 1) <= 1 else f"至少要{ctx['min_length']}个字"
    if kind == "string_too_long":
        return f"最多{ctx['max_length']}个字"
    if kind == "too_short":
        return f"至少要{ctx['min_length']}条（现在{ctx.get('actual_length', 0)}条）"
    if kind == "string_pattern_mismatch":
        return "只能用小写英文字母、数字和连字符，比如 senior-bath-subsidy"
    if kind.startswith(("date_", "datetime_")):
        return "日期要写成 2026-01-31 这样"
    if kind in ("int_parsing", "int_type", "bool_parsing", "bool_type"):
        return "格式不对"
    if kind in ("greater_than_equal", "less_than_equal"):
        return "数值超出允许的范围（30到1095天）"
    if kind == "value_error" and "duplicate questions" in error["msg"]:
        return "有重复的问法"
    if kind == "extra_forbidden":
        return "多了不认识的内容"
    return str(error["msg"])


def check_draft(data: dict[str, Any], *, taken: Iterable[str] = ()) -> DraftCheck:
    """Validate a draft against the guide schema; `taken` are ids already used by shipped guides."""
    problems: list[Problem] = []
    guide = None
    try:
        guide = Guide.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(".".join(str(p) for p in e["loc"]), _message(e)) for e in exc.errors()]
    if guide is not None and guide.id in set(taken):
        problems.append(Problem("id", "这个编号已经有正式指南了，请换一个"))
        guide = None
    return DraftCheck(guide, problems)


def extend(kb: KnowledgeBase, *, questions: Iterable[tuple[str, str]] = (), guides: Iterable[Guide] = ()
           ) -> KnowledgeBase:
    """kb with new guides and extra questions per label; the fingerprint (the model's cache key) covers them."""
    new_guides = {g.id: g for g in guides if g.id not in kb.guides}
    all_guides = {**kb.guides, **new_guides}
    extra: dict[str, list[str]] = {}
    for text, label in questions:
        item = all_guides.get(label) or kb.special.get(label)
        if item is not None and text not in item.questions and text not in extra.get(label, []):
            extra.setdefault(label, []).append(text)
    if not new_guides and not extra:
        return kb
    merged = {gid: _with_questions(g, extra.get(gid, [])) for gid, g in all_guides.items()}
    special = {label: _with_questions(s, extra.get(label, [])) for label, s in kb.special.items()}
    digest = hashlib.sha256(kb.fingerprint.encode())
    digest.update(json.dumps([sorted(extra.items()), [g.model_dump(mode="json") for g in new_guides.values()]],
                             ensure_ascii=False, sort_keys=True).encode())
    return replace(kb, guides=merged, special=special, fingerprint=digest.hexdigest()[:16])


def _with_questions(item: Trainable, extra: list[str]) -> Trainable:
    return item.model_copy(update={"questions": [*item.questions, *extra]}) if extra else item


def from_store(session: Session, kb: KnowledgeBase) -> KnowledgeBase:
    questions = [(q.text, q.label) for q in addition_store.questions(session)]
    checks = (check_draft(d.data, taken=kb.guides) for d in addition_store.drafts(session))
    return extend(kb, questions=questions, guides=[c.guide for c in checks if c.guide is not None])


def from_database(url: str, kb: KnowledgeBase) -> KnowledgeBase:
    """For start-up: the additions in this database, or kb as it is when the database cannot say (not migrated)."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return from_store(session, kb)
    except SQLAlchemyError as exc:
        log.warning("staff additions to the knowledge base not loaded: %s", exc.__class__.__name__)
        return kb
    finally:
        engine.dispose()
