"""Fixtures shared by every test package: the knowledge base and one trained matcher per test run."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher, load_or_train


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def model_dir(pytestconfig: pytest.Config) -> Path:
    """Kept between runs (pytest's cache folder), so the model is trained once per change of the guides."""
    return Path(pytestconfig.cache.mkdir("citizen-help-model"))


@pytest.fixture(scope="session")
def matcher(kb: KnowledgeBase, model_dir: Path) -> Matcher:
    return load_or_train(model_dir, kb)
