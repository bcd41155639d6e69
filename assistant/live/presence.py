"""Whether someone is listening on a topic right now: a citizen's chat page open on their conversation's events
(the staff console says whether a reply will be seen at once or on their next visit)."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("citizen_help.live")


def listening(bus: Any, topic: str) -> bool | None:
    """True or False as the bus knows it (this process's subscribers, or Redis' across workers); None when the
    bus cannot tell."""
    count = getattr(bus, "subscriber_count", None)
    if count is None:
        return None
    try:
        return int(count(topic)) > 0
    except Exception as exc:  # Redis away: not knowing is no reason to fail the officer's page
        log.warning("could not tell whether %s has listeners: %s", topic, exc)
        return None
