"""The matcher in service, held in one place: swapped after retraining, read at use by everything that matches or
lists guides."""

from __future__ import annotations

from knowledge.matcher import Matcher
from knowledge.schema import Guide


class ServedMatcher:
    """The one holder of the model in service. The dialogue, the desk, the routes and the hotline's speech hints
    read it here when they need it, so a retrained model reaches every one of them at once."""

    def __init__(self, matcher: Matcher) -> None:
        self._matcher = matcher

    @property
    def current(self) -> Matcher:
        return self._matcher

    @property
    def guides(self) -> dict[str, Guide]:
        return self._matcher.kb.guides

    def swap(self, matcher: Matcher) -> None:
        """Serve with a newly trained matcher from the next message on; requests already running finish with the
        old one (one attribute, replaced whole: no lock needed)."""
        self._matcher = matcher
