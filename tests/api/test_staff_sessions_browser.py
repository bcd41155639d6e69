"""The staff console with sessions kept on the server, in a real browser: a console whose session ended elsewhere
(logout in another tab, `officer disable`) shows the login form by itself; an officer at work (a key press after a
quiet minute) keeps the session past the idle timeout; supervisors read the failed logins in an accessible panel."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from assistant.services import Services
from assistant.settings import Settings
from tests.utils.browser import WCAG_22_AA
from tests.utils.clock import FakeClock
from tests.utils.factories import PASSWORD, make_officer

pytestmark = pytest.mark.browser


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"staff_stream_check_seconds": 1})  # the live stream re-checks every second


@pytest.fixture
def supervisor(live_server):
    with Services.of(live_server.app).runtime.sessions() as session:
        return make_officer(session, role="supervisor", name="王芳", username="wangfang", on_duty=False)


def log_in(console: Page, url: str) -> None:
    console.goto(f"{url}/staff")
    console.get_by_label("用户名").fill("wangfang")
    console.get_by_label("密码").fill(PASSWORD)
    console.get_by_role("button", name="登录").click()
    expect(console.get_by_role("heading", name="排队的市民")).to_be_visible()


def test_a_console_whose_session_ended_elsewhere_shows_the_login_form(open_page, live_server, supervisor):
    console = open_page(1280, 900)
    log_in(console, live_server.url)
    assert Services.of(live_server.app).staff_sessions.end_officer(supervisor.id) == 1  # as `officer disable` does

    # Without a click: the live stream ends at its next check, the browser is refused, the console asks.
    expect(console.get_by_role("heading", name="工作人员登录")).to_be_visible(timeout=10_000)
    expect(console.locator("#nav")).to_be_hidden()


def test_an_officer_at_work_keeps_the_session_past_the_idle_timeout(open_page, live_server, supervisor):
    idle = Services.of(live_server.app).runtime.settings.staff_idle_minutes
    server_clock = Services.of(live_server.app).staff_sessions.clock = FakeClock(dt.datetime.now(dt.UTC))
    console = open_page(1280, 900)
    console.clock.install()
    log_in(console, live_server.url)

    for _ in range(3):  # typing a long reply for an hour and a half, no request of its own
        server_clock.advance(minutes=idle - 1)
        console.clock.fast_forward("01:01")
        with console.expect_request("**/api/officer/me") as renewal:
            console.keyboard.press("Shift")
        assert renewal.value.response().status == 200

    console.get_by_role("link", name="今日回电").click()
    expect(console.get_by_role("heading", name="今日回电")).to_be_visible()
    expect(console.locator("#callbacks-error")).to_be_hidden()


def test_supervisors_read_failed_logins_in_an_accessible_panel(open_page, live_server, supervisor):
    with httpx.Client(base_url=live_server.url, timeout=10) as stranger:
        token = stranger.get("/api/staff/session").json()["csrf_token"]
        for name in ("wangfang", "wangfang", "admin", "13812345678"):
            answer = stranger.post("/api/officer/login", json={"username": name, "password": "guess"},
                                   headers={"X-CSRF-Token": token})
            assert answer.status_code == 401
    console = open_page(1280, 900)
    log_in(console, live_server.url)
    console.get_by_role("link", name="登录失败").click()

    expect(console.get_by_role("heading", name="登录失败", exact=True)).to_be_visible()
    hour = console.locator("#logins-hour")
    expect(hour).to_contain_text("最近一小时一共失败4次。")
    names = hour.get_by_role("table", name="按用户名（输入的原样，号码已遮住）")
    expect(names.get_by_role("columnheader")).to_have_text(["用户名", "失败次数", "最近一次"])
    expect(names.get_by_role("row").nth(1)).to_contain_text("138****5678（没有这个用户名）")
    expect(names).to_contain_text("wangfang")
    expect(names).not_to_contain_text("13812345678")
    addresses = hour.get_by_role("table", name="按网络地址")
    expect(addresses.get_by_role("row").nth(1)).to_contain_text("127.0.0.1")
    results = Axe().run(console, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def test_officers_without_the_role_see_no_failed_logins(open_page, live_server):
    with Services.of(live_server.app).runtime.sessions() as session:
        make_officer(session, role="officer", username="wangfang")
    console = open_page(1280, 900)
    log_in(console, live_server.url)
    expect(console.get_by_role("link", name="登录失败")).to_be_hidden()
