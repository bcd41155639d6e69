"""The chat page keeps hearing officers when its stream ends: after an idle stream closes it reconnects by itself
and fetches what was said meanwhile; a stream refused because too many are open is tried again later."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import Page, expect

from api.web import Web
from assistant.services import Services
from tests.utils.factories import make_officer
from tests.utils.officer_login import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"gtts_enabled": False, "stream_max_per_address": 1})


def open_streams(server) -> int:
    return Services.of(server.app).part(Web).citizen_streams.open


def wait_for(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def ask_for_a_person(page: Page) -> None:
    page.get_by_label("请在这里输入您想问的事").fill("找人工")
    page.keyboard.press("Enter")
    expect(page.locator("#queue")).to_contain_text("您排在第")


def officer_replies(server, text: str) -> None:
    with Services.of(server.app).runtime.sessions() as session:
        officer = make_officer(session, name="王芳")
    with httpx.Client(base_url=server.url, timeout=10) as staff:
        log_in(staff, officer.username)
        [case] = staff.get("/api/officer/cases").json()
        staff.post(f"/api/officer/cases/{case['id']}/claim")
        assert staff.post(f"/api/officer/cases/{case['id']}/reply", json={"text": text}).status_code == 201


def test_after_an_idle_stream_ends_the_page_reconnects_and_shows_what_it_missed(open_page, live_server):
    Services.of(live_server.app).runtime.settings.stream_idle_seconds = 1.0  # read by each stream as it starts
    page = open_page(390, 844)
    page.goto(live_server.url)
    ask_for_a_person(page)
    wait_for(lambda: open_streams(live_server) == 1)
    wait_for(lambda: open_streams(live_server) == 0)  # idle for 1 s: the server ended it
    officer_replies(live_server, "您好，我是王芳，刚才您的页面没在听。")  # while the page waits 3 s to reconnect
    expect(page.locator("#log")).to_contain_text("刚才您的页面没在听", timeout=10_000)
    wait_for(lambda: open_streams(live_server) == 1)


def test_a_refused_stream_is_tried_again_later_and_shows_what_it_missed(open_page, live_server):
    first = open_page(390, 844)
    first.goto(live_server.url)
    expect(first.locator("#log")).to_contain_text("您好！我是办事小助手")
    wait_for(lambda: open_streams(live_server) == 1)

    second = open_page(390, 844)
    second.clock.install()
    second.goto(live_server.url)
    ask_for_a_person(second)  # its stream is refused: one per address here, and the first page holds it
    officer_replies(live_server, "您好，我是王芳，您的页面现在听不到我。")
    time.sleep(1)
    expect(second.locator("#log")).not_to_contain_text("听不到我")  # nothing live without a stream

    first.close()
    wait_for(lambda: open_streams(live_server) == 0)
    second.clock.run_for(61_000)  # past the page's own retry (30 to 60 s)
    expect(second.locator("#log")).to_contain_text("听不到我", timeout=10_000)
    wait_for(lambda: open_streams(live_server) == 1)
