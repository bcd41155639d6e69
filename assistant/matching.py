"""The one matcher a process uses: loaded once (from the disk cache when it can), swappable after retraining."""

from __future__ import annotations

import threading

from assistant import additions
from assistant.settings import Settings, get_settings
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher, Progress, load_or_train

_lock = threading.Lock()
_current: Matcher | None = None


def get_matcher(settings: Settings | None = None, progress: Progress | None = None) -> Matcher:
    global _current
    with _lock:
        if _current is None:
            settings = settings or get_settings()
            kwargs = {"progress": progress} if progress else {}
            _current = load_or_train(settings.effective_model_dir, served_knowledge(settings), **kwargs)
        return _current


def served_knowledge(settings: Settings) -> KnowledgeBase:
    """The guides plus what supervisors taught (attached questions, new guides): part of the model after a restart
    too, in every worker."""
    return additions.from_database(settings.effective_database_url, load_knowledge())


def swap_matcher(matcher: Matcher) -> None:
    """Put a newly trained matcher in service; requests already running finish with the old one."""
    global _current
    with _lock:
        _current = matcher
