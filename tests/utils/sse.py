"""Reading Server-Sent Events from a streaming httpx response."""

from __future__ import annotations

import json

import httpx


def read_events(response: httpx.Response, wanted: int) -> list[tuple[str, dict]]:
    """The first `wanted` events as (event name, data), or fewer if the stream ends."""
    events, name = [], None
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            events.append((name, json.loads(line.removeprefix("data: "))))
            if len(events) == wanted:
                return events
    return events
