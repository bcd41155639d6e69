"""Loading the matcher a process serves with (from the disk cache when it can); assistant/served.py holds it."""

from __future__ import annotations

from assistant import additions
from assistant.settings import Settings, get_settings
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher, Progress, load_or_train


def load_matcher(settings: Settings | None = None, progress: Progress | None = None) -> Matcher:
    """The model of the served knowledge: loaded from the model folder, or trained (and saved) when it changed."""
    settings = settings or get_settings()
    if progress is None:
        return load_or_train(settings.effective_model_dir, served_knowledge(settings))
    return load_or_train(settings.effective_model_dir, served_knowledge(settings), progress=progress)


def served_knowledge(settings: Settings) -> KnowledgeBase:
    """The guides plus what supervisors taught (attached questions, new guides): part of the model after a restart
    too, in every worker."""
    return additions.from_database(settings.effective_database_url, load_knowledge())
