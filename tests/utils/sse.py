"""Reading Server-Sent Events from a streaming httpx response."""

from __future__ import annotations

import json
import threading

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


def events_while_an_officer_replies(citizen: httpx.Client, staff: httpx.Client, *, conversation: str, case_id: int,
                                    reply: str, wanted: int = 3) -> list[tuple[str, dict]]:
    """The citizen's stream while a logged-in officer claims the case and replies (shortly after it opens)."""
    with citizen.stream("GET", f"/api/conversations/{conversation}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")

        def officer_acts() -> None:
            staff.post(f"/api/officer/cases/{case_id}/claim")
            staff.post(f"/api/officer/cases/{case_id}/reply", json={"text": reply})

        acting = threading.Timer(0.2, officer_acts)
        acting.start()
        events = read_events(stream, wanted=wanted)
        acting.join()
    return events
