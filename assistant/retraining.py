"""Retrain the matcher in the background on the guides plus what staff taught it, then serve with it at once.

One retraining at a time in the deployment. Progress is kept for the staff console to show, where every worker reads
the same (assistant/retrain_board.py: Redis, with several workers); the swap happens between messages, so no
conversation is dropped and no restart is needed. The worker that retrained tells the others on the event bus, and
each of them loads the new model from the model folder.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import anyio.to_thread

from assistant import additions
from assistant.live.events import MODEL_TOPIC, Event, follow
from assistant.retrain_board import LocalBoard, RetrainBoard
from assistant.runtime import Runtime
from assistant.store.types import utcnow
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher, cache_key, load_or_train

log = logging.getLogger("citizen_help.retraining")

# How much of the work each stage of Matcher.train is, for one progress figure.
_STAGES = {"reading": (0.0, 0.05, "读取指南和新增问法"), "analysing questions": (0.05, 0.6, "分析问法"),
           "fitting the classifier": (0.65, 0.35, "训练模型")}


@dataclass(frozen=True)
class RetrainStatus:
    state: Literal["idle", "running", "done", "failed"] = "idle"
    stage: str = ""
    percent: int = 0
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    started_by: str | None = None
    guides: int | None = None  # guides in the model now serving
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("started_at", "finished_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RetrainStatus:
        times = {key: dt.datetime.fromisoformat(data[key]) if data.get(key) else None
                 for key in ("started_at", "finished_at")}
        return cls(**{**data, **times})


class Retrainer:
    def __init__(self, runtime: Runtime, *, load_kb: Callable[[], KnowledgeBase] = load_knowledge,
                 on_swap: Callable[[Matcher], None] = lambda matcher: None, board: RetrainBoard | None = None):
        self.runtime = runtime
        self._load_kb = load_kb
        self._on_swap = on_swap
        self._board = board or LocalBoard()
        self._lock = threading.Lock()
        self._status = RetrainStatus()  # this worker's own retraining, posted to the board as it goes
        self._thread: threading.Thread | None = None

    def status(self) -> RetrainStatus:
        """The deployment's latest retraining, whichever worker runs it."""
        posted = self._board.read()
        return RetrainStatus.from_dict(posted) if posted else RetrainStatus()

    def start(self, *, by: str) -> bool:
        """False when a retraining is already running (in any worker)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return False
            status = RetrainStatus("running", _STAGES["reading"][2], 0, utcnow(), started_by=by)
            if not self._board.claim(status.to_dict()):
                return False
            self._status = status
            self._thread = threading.Thread(target=self._run, name="retrain", daemon=True)
        log.info("retraining started by %s", by)
        self._thread.start()
        return True

    def close(self) -> None:
        self._board.close()

    def wait(self, timeout: float | None = None) -> RetrainStatus:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.status()

    def _update(self, **changes: Any) -> None:
        with self._lock:
            self._status = status = replace(self._status, **changes)
        self._board.post(status.to_dict())

    def _progress(self, stage: str, done: int, total: int) -> None:
        start, share, label = _STAGES.get(stage, (0.0, 0.0, stage))
        self._update(stage=label, percent=min(99, round(100 * (start + share * done / max(total, 1)))))

    def _run(self) -> None:
        try:
            with self.runtime.sessions() as session:
                kb = additions.from_store(session, self._load_kb())
            matcher = load_or_train(self.runtime.settings.effective_model_dir, kb, progress=self._progress)
            self.runtime.use_matcher(matcher)
            self._on_swap(matcher)
            self.runtime.bus.publish(MODEL_TOPIC, {"type": "retrained", "by": self._status.started_by,
                                                   "key": cache_key(matcher.kb, matcher.config)})
        except Exception as exc:  # reported on the console; the old model keeps serving
            log.exception("retraining failed")
            self._update(state="failed", finished_at=utcnow(), error=f"{exc.__class__.__name__}: {exc}"[:300])
            return
        self._update(state="done", stage="完成", percent=100, finished_at=utcnow(), guides=len(matcher.kb.guides))
        log.info("retrained: %d guides now served", len(matcher.kb.guides))


async def follow_retraining(runtime: Runtime, *, load_kb: Callable[[], KnowledgeBase] = load_knowledge,
                            on_swap: Callable[[Matcher], None] = lambda matcher: None,
                            subscribed: Callable[[bool], None] = lambda on: None) -> None:
    """Runs for the life of a worker: when any worker has retrained, serve the same knowledge here too.
    subscribed(True/False) tells when announcements are heard (events.follow)."""
    async def retrained(event: Event) -> None:
        serving = cache_key(runtime.matcher.kb, runtime.matcher.config)
        if event.get("type") == "retrained" and event.get("key") != serving:  # the worker that trained it skips
            await anyio.to_thread.run_sync(catch_up, runtime, load_kb, on_swap)

    await follow(runtime.bus, MODEL_TOPIC, retrained, what="retraining announcements", subscribed=subscribed)


def catch_up(runtime: Runtime, load_kb: Callable[[], KnowledgeBase] = load_knowledge,
             on_swap: Callable[[Matcher], None] = lambda matcher: None) -> bool:
    """Serve the model of the guides and additions as they are now, unless this worker already does. It was saved
    to the model folder by the worker that trained it, so it is only loaded (trained here if the folder is not
    shared, e.g. on another machine). True when the model changed."""
    try:
        with runtime.sessions() as session:
            kb = additions.from_store(session, load_kb())
        config = runtime.matcher.config
        if cache_key(kb, config) == cache_key(runtime.matcher.kb, config):
            return False
        matcher = load_or_train(runtime.settings.effective_model_dir, kb, config)
    except Exception:  # the old model keeps serving; the next retraining tries again
        log.exception("could not load the retrained model")
        return False
    runtime.use_matcher(matcher)
    on_swap(matcher)
    log.info("now serving the retrained model: %d guides", len(matcher.kb.guides))
    return True
