"""One `serve` per SQLite file when there is no Redis: live events do not cross processes without it."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url


class AnotherServer(RuntimeError):
    """A second `serve` on a SQLite file that one already serves."""


def sqlite_lock_path(database_url: str) -> Path | None:
    """The lock file beside a SQLite database file; None for other databases and in-memory SQLite."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}.serve-lock")


@contextmanager
def only_server(lock: Path | None) -> Iterator[None]:
    """Held while serving; the system lets it go when the process ends, however it ends."""
    if lock is None:
        yield
        return
    with lock.open("a") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AnotherServer(
                f"another citizen-help serve already uses {lock.with_suffix('')}: without REDIS_URL, officers' "
                "replies and queue changes would not reach the citizens of the second one. Stop the other, or use "
                "--workers N with REDIS_URL (docs/deploy.md)."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)
