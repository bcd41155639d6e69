"""Load and validate the knowledge base: guide files, special-label files and the local offices file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.schema import Guide, SpecialLabel

PACKAGE_DIR = Path(__file__).resolve().parent
GUIDES_DIR = PACKAGE_DIR / "guides"
SPECIAL_DIR = PACKAGE_DIR / "special"

Named = TypeVar("Named", bound=BaseModel)


class KnowledgeError(Exception):
    """A knowledge file is missing or invalid; the message names the file, the field and the problem."""


@dataclass(frozen=True)
class Office:
    name: str
    address: str
    hours: str
    phone: str


@dataclass(frozen=True)
class KnowledgeBase:
    guides: dict[str, Guide]
    special: dict[str, SpecialLabel]
    fingerprint: str  # hash of every file's bytes: the model cache key

    def training_pairs(self) -> tuple[list[str], list[str]]:
        texts: list[str] = []
        labels: list[str] = []
        for guide in self.guides.values():
            for q in (guide.title, *guide.questions):
                texts.append(q)
                labels.append(guide.id)
        for special in self.special.values():
            texts.extend(special.questions)
            labels.extend([special.label] * len(special.questions))
        return texts, labels

    @property
    def labels(self) -> list[str]:
        return [*self.guides, *self.special]


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot read file: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise KnowledgeError(f"{path}:{where} is not valid YAML: {getattr(exc, 'problem', exc)}") from None


def _describe(path: Path, exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(file)"
        problems.append(f"{path.name}: field '{field}': {err['msg']}")
    return "\n".join(problems)


def _validate(path: Path, model: type[Named], name_field: str) -> Named:
    """Validate one file against its schema; the field `name_field` must equal the file name."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path.name}: expected a mapping of fields at the top level")
    try:
        item = model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(_describe(path, exc)) from None
    if getattr(item, name_field) != path.stem:
        value = getattr(item, name_field)
        raise KnowledgeError(f"{path.name}: field '{name_field}': '{value}' must match the file name '{path.stem}'")
    return item


def load_guide(path: Path) -> Guide:
    return _validate(path, Guide, "id")


def load_special(path: Path) -> SpecialLabel:
    return _validate(path, SpecialLabel, "label")


def load_offices(path: Path) -> dict[str, Office]:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path.name}: expected a mapping of office keys")
    offices = {}
    for key, fields in data.items():
        try:
            offices[key] = Office(**{k: str(v) for k, v in fields.items()})
        except TypeError as exc:
            raise KnowledgeError(f"{path.name}: office '{key}': {exc}") from None
    return offices


def _fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _load_all(paths: list[Path], load: Callable[[Path], Named], errors: list[str]) -> list[Named]:
    """Every file that loads; the errors of the others are added to `errors`."""
    loaded = []
    for path in paths:
        try:
            loaded.append(load(path))
        except KnowledgeError as exc:
            errors.append(str(exc))
    return loaded


def load_knowledge(guides_dir: Path = GUIDES_DIR, special_dir: Path = SPECIAL_DIR) -> KnowledgeBase:
    """Load every guide and special-label file; collect all errors before raising, so one run shows them all."""
    guide_paths = sorted(guides_dir.glob("*.yaml"))
    special_paths = sorted(special_dir.glob("*.yaml"))
    if not guide_paths:
        raise KnowledgeError(f"{guides_dir}: no guide files (*.yaml) found")
    errors: list[str] = []
    guides = {g.id: g for g in _load_all(guide_paths, load_guide, errors)}
    special = {s.label: s for s in _load_all(special_paths, load_special, errors)}
    if errors:
        raise KnowledgeError("\n".join(errors))
    return KnowledgeBase(guides, special, _fingerprint(guide_paths + special_paths))
