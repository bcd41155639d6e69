"""Retrain the matcher in the background on the guides plus what staff taught it, then serve with it at once.

One retraining at a time per process. Progress is kept for the staff console to show; the swap happens between
messages, so no conversation is dropped and no restart is needed.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from assistant import additions, matching
from assistant.runtime import Runtime
from assistant.store.types import utcnow
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher, load_or_train

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


class Retrainer:
    def __init__(self, runtime: Runtime, *, load_kb: Callable[[], KnowledgeBase] = load_knowledge,
                 on_swap: Callable[[Matcher], None] = matching.swap_matcher):
        self.runtime = runtime
        self._load_kb = load_kb
        self._on_swap = on_swap
        self._lock = threading.Lock()
        self._status = RetrainStatus()
        self._thread: threading.Thread | None = None

    def status(self) -> RetrainStatus:
        with self._lock:
            return self._status

    def start(self, *, by: str) -> bool:
        """False when a retraining is already running."""
        with self._lock:
            if self._status.state == "running":
                return False
            self._status = RetrainStatus("running", _STAGES["reading"][2], 0, utcnow(), started_by=by)
            self._thread = threading.Thread(target=self._run, name="retrain", daemon=True)
        log.info("retraining started by %s", by)
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> RetrainStatus:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.status()

    def _update(self, **changes: Any) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)

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
        except Exception as exc:  # reported on the console; the old model keeps serving
            log.exception("retraining failed")
            self._update(state="failed", finished_at=utcnow(), error=f"{exc.__class__.__name__}: {exc}"[:300])
            return
        self._update(state="done", stage="完成", percent=100, finished_at=utcnow(), guides=len(matcher.kb.guides))
        log.info("retrained: %d guides now served", len(matcher.kb.guides))
