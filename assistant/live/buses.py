"""The one place that chooses the live-event bus: both buses stand below it, so neither needs the other."""

from __future__ import annotations

from assistant.live.events import EventBus, InProcessBus


def make_bus(redis_url: str | None) -> EventBus:
    """The Redis bus when REDIS_URL is set (events reach every worker), otherwise the in-process bus."""
    if not redis_url:
        return InProcessBus()
    from assistant.live.redis_bus import RedisBus  # redis is an optional dependency, needed only here

    return RedisBus(redis_url)
