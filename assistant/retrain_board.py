"""Where the retraining's progress is kept, so that every worker tells the staff console the same thing and only one
retraining runs in the whole deployment. With several workers the console's polls reach any of them: a worker that
answered from its own memory would say "never retrained" while another is halfway through.

In this process by default; in Redis when REDIS_URL is set. Redis being unreachable must not stop supervisors from
retraining: the board then keeps the progress in this process and logs a warning.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import redis  # an optional dependency, present when REDIS_URL is used

log = logging.getLogger("citizen_help.retraining")

Progress = dict[str, Any]  # RetrainStatus.to_dict()

RUNNING_TTL_SECONDS = 3600  # a worker that died while training frees the deployment after this long
_INTERRUPTED = "训练的进程中断了，请再试一次"


class RetrainBoard(Protocol):
    def claim(self, progress: Progress) -> bool:
        """Posts `progress` (state "running") unless a retraining is running already; true if it was posted."""

    def post(self, progress: Progress) -> None:
        """The running retraining's progress; a state other than "running" ends it."""

    def read(self) -> Progress | None:
        """The latest progress posted, or None if no retraining was ever posted."""

    def close(self) -> None: ...


class LocalBoard:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._progress: Progress | None = None

    def claim(self, progress: Progress) -> bool:
        with self._lock:
            if self._progress is not None and self._progress["state"] == "running":
                return False
            self._progress = progress
            return True

    def post(self, progress: Progress) -> None:
        with self._lock:
            self._progress = progress

    def read(self) -> Progress | None:
        with self._lock:
            return self._progress

    def close(self) -> None:
        return None


class RedisBoard:
    """The progress in one Redis key; a second key, held while training (with a time limit), is the claim."""

    def __init__(self, url: str, *, prefix: str = "citizen-help:", timeout: float = 2.0,
                 running_ttl: int = RUNNING_TTL_SECONDS) -> None:
        import redis

        self._errors = (redis.RedisError,)
        self._client: redis.Redis = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        self._running_ttl = running_ttl
        self._key, self._running = f"{prefix}retraining", f"{prefix}retraining:running"
        self._fallback = LocalBoard()

    def claim(self, progress: Progress) -> bool:
        try:
            if not self._client.set(self._running, 1, nx=True, ex=self._running_ttl):
                return False
            self._client.set(self._key, json.dumps(progress))
            return True
        except self._errors as exc:
            log.warning("retraining progress kept in this worker only, Redis error: %s", exc)
            return self._fallback.claim(progress)

    def post(self, progress: Progress) -> None:
        self._fallback.post(progress)
        try:
            self._client.set(self._key, json.dumps(progress))
            if progress["state"] != "running":
                self._client.delete(self._running)
        except self._errors as exc:
            log.warning("retraining progress kept in this worker only, Redis error: %s", exc)

    def read(self) -> Progress | None:
        try:
            stored, running = self._client.mget(self._key, self._running)
        except self._errors as exc:
            log.warning("retraining progress read from this worker only, Redis error: %s", exc)
            return self._fallback.read()
        progress = json.loads(stored) if stored else None
        if progress is not None and progress["state"] == "running" and not running:
            return {**progress, "state": "failed", "error": _INTERRUPTED}  # its worker died before it finished
        return progress

    def close(self) -> None:
        self._client.close()


def make_board(redis_url: str | None) -> RetrainBoard:
    return RedisBoard(redis_url) if redis_url else LocalBoard()
