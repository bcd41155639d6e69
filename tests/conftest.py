"""Fixtures shared by every test package: the knowledge base, one trained matcher per test run, a fresh database
per test (SQLite, or PostgreSQL with TEST_DATABASE_BACKEND=postgresql) and the Redis of TEST_REDIS_URL."""

from __future__ import annotations

import dataclasses
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis.configuration import set_hypothesis_home_dir

from api.app import create_app
from assistant.runtime import Runtime
from assistant.services import Services
from assistant.settings import Settings
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher, load_or_train
from tests.utils.db import chosen_backend, database_url
from tests.utils.redis import redis_url_or_skip

# Hypothesis keeps what it found (examples, its Unicode tables) in a folder of its own: a temporary one, not
# .hypothesis/ in the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "citizen-help-hypothesis")


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def small_kb(kb: KnowledgeBase) -> KnowledgeBase:
    """Four guides and the special labels: for tests that train a model of their own (a retraining, say), in a
    fraction of the full model's time. The full model is trained at most once per test run (`matcher`)."""
    few = ("id-card-renewal", "id-card-lost", "pension-claim", "home-care-subsidy")
    return dataclasses.replace(kb, guides={gid: kb.guides[gid] for gid in few}, fingerprint="few-guides")


@pytest.fixture(scope="session")
def model_dir(pytestconfig: pytest.Config) -> Path:
    """Kept between runs (pytest's cache folder), so the model is trained once per change of the guides."""
    return Path(pytestconfig.cache.mkdir("citizen-help-model"))


@pytest.fixture(scope="session")
def matcher(kb: KnowledgeBase, model_dir: Path) -> Matcher:
    return load_or_train(model_dir, kb)


@pytest.fixture
def no_training(monkeypatch: pytest.MonkeyPatch) -> None:
    """Training fails the test: a model that should come from the cache must be loaded, not trained again."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model was trained again although a saved one matched")

    monkeypatch.setattr(Matcher, "train", refuse)


@pytest.fixture(scope="session")
def own_offices_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An office's own offices file (no sample values), as production needs: every sample office, re-valued."""
    import yaml

    from knowledge.loader import PACKAGE_DIR

    sample = yaml.safe_load((PACKAGE_DIR / "offices.sample.yaml").read_text(encoding="utf-8"))
    own = {key: {"name": f"东城区第{n}服务窗口", "address": f"东城区建国路{n}号", "hours": "周一至周五 9:00-17:00",
                 "phone": f"010-6512{n:04d}"} for n, key in enumerate(sample, start=1)}
    path = tmp_path_factory.mktemp("office") / "offices.yaml"
    path.write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def fresh_db_url(tmp_path: Path) -> Iterator[str]:
    """An empty database for one test: a SQLite file under tmp_path, or a new PostgreSQL schema dropped afterwards."""
    with database_url(chosen_backend(), tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> str:
    """TEST_REDIS_URL, checked to answer; the test is skipped (saying why) otherwise."""
    return redis_url_or_skip()


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A Redis key prefix of this test's own (TEST_REDIS_URL), its keys removed afterwards."""
    import redis

    name = f"test-{uuid.uuid4().hex[:8]}:"
    yield name
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{name}*"):
        client.delete(key)
    client.close()


# The whole service, for any package whose conftest provides `settings` (tests/api, tests/bot).

@pytest.fixture
def app(settings: Settings, matcher: Matcher) -> FastAPI:
    return create_app(settings=settings, matcher=matcher)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """The citizen's side; entering it starts the app (and its runtime)."""
    with TestClient(app) as client:
        yield client


@pytest.fixture
def runtime(app: FastAPI, client: TestClient) -> Runtime:
    return Services.of(app).runtime
