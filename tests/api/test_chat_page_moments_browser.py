"""The chat page in the hard moments, in a real browser on a phone-sized screen: an emergency's advice is the first
thing seen after sending, whole; what cannot be sent is said, and the text kept; the input stays on screen in 大字
mode; a screen reader is taken to the answer, hears what each 读给我听 reads, and hears the queue once."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from assistant.inputs import MAX_CHARS
from assistant.services import Services
from tests.utils.browser import ARTIFACTS
from tests.utils.factories import make_officer
from tests.utils.officer_login import log_in

pytestmark = pytest.mark.browser

PHONE = (360, 640)

# The part of the screen a message can be read in: below the sticky header, above the sticky typing field.
READABLE = """(selector) => {
  const message = [...document.querySelectorAll(selector)].pop();
  const box = message.getBoundingClientRect();
  const advice = message.querySelector('.text').getBoundingClientRect();
  const top = document.querySelector('.bar').getBoundingClientRect().bottom;
  const bottom = document.querySelector('#say').getBoundingClientRect().top;
  return {top: box.top, bottom: advice.bottom, above: top, below: Math.min(bottom, window.innerHeight)};
}"""


@pytest.fixture
def on_duty(live_server):
    with Services.of(live_server.app).runtime.sessions() as session:
        return make_officer(session, name="李静")


@pytest.fixture
def phone(open_page, live_server) -> Page:
    page = open_page(*PHONE)
    page.goto(live_server.url)
    expect(page.locator("#log")).to_contain_text("您好！我是办事小助手")
    return page


def ask(page: Page, text: str) -> None:
    page.get_by_label("请在这里输入您想问的事").fill(text)
    page.keyboard.press("Enter")


def big_text(page: Page) -> None:
    page.get_by_role("button", name="大字").click()
    expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")


@pytest.mark.parametrize("big", [False, True], ids=["normal", "big"])
@pytest.mark.parametrize("said", ["家里煤气味好大，怎么办", "楼道里着火了，好多烟", "我胸口疼得厉害，喘不上气"])
def test_an_emergency_s_advice_is_the_first_thing_on_screen_and_whole(phone, on_duty, matcher, said, big):
    if big:
        big_text(phone)
    for question in ("身份证过期了怎么办", "老年卡怎么办", "医保卡丢了"):  # a conversation already scrolled long
        ask(phone, question)
        expect(phone.locator("#log .msg-citizen")).to_contain_text([question], timeout=10000)
    ask(phone, said)
    urgent = phone.locator("#log .msg-urgent").last
    expect(urgent).to_be_visible()
    expect(urgent).to_be_focused()
    phone.wait_for_timeout(300)  # the scroll has settled
    seen = phone.evaluate(READABLE, "#log .msg-urgent")
    name = f"emergency-{'big' if big else 'normal'}-{said[:4]}.png"
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / name))
    assert seen["above"] - 1 <= seen["top"] <= seen["above"] + 20, f"the advice is not at the top: {seen}"
    assert seen["bottom"] <= seen["below"] + 1, f"the advice runs past the screen: {seen}"


def sent_messages(page: Page) -> list[str]:
    """Records every message the page posts from now on."""
    posted: list[str] = []
    page.on("request", lambda request: posted.append(request.post_data or "")
            if request.method == "POST" and request.url.endswith("/messages") else None)
    return posted


@pytest.mark.parametrize("typed", ["", "   ", "\u3000\u3000"], ids=["empty", "spaces", "wide-spaces"])
def test_an_empty_send_does_nothing(phone, typed):
    posted = sent_messages(phone)
    ask(phone, typed)
    phone.get_by_role("button", name="发送").click()
    phone.wait_for_timeout(500)
    assert posted == []
    expect(phone.locator("#log .msg")).to_have_count(1)  # the greeting only
    expect(phone.locator("#say-note")).to_be_hidden()


def test_text_over_the_limit_is_said_kept_and_sendable_once_shortened(phone, matcher):
    long = "我想问一下身份证的事情。" * (MAX_CHARS // 12 + 1)
    assert len(long) > MAX_CHARS
    posted = sent_messages(phone)
    ask(phone, long)
    note = phone.locator("#say-note")
    expect(note).to_contain_text(f"最多写{MAX_CHARS}个字，现在是{len(long)}个字")
    expect(phone.get_by_label("请在这里输入您想问的事")).to_have_value(long)  # nothing cut, nothing lost
    assert posted == []

    phone.get_by_label("请在这里输入您想问的事").fill("身份证过期了怎么办")
    expect(note).to_be_hidden()  # put right: the warning goes
    phone.keyboard.press("Enter")
    expect(phone.locator("#log .msg-citizen")).to_have_count(1)
    assert len(posted) == 1


def test_in_big_text_the_header_is_a_fifth_of_a_phone_and_the_input_stays_on_screen(phone, matcher):
    big_text(phone)
    header = phone.locator(".bar").bounding_box()
    assert header and header["height"] <= PHONE[1] / 5, header
    for question in ("身份证过期了怎么办", "老年卡怎么办", "医保卡丢了怎么补"):
        ask(phone, question)
        expect(phone.locator("#log .msg-citizen")).to_contain_text([question], timeout=10000)
        expect(phone.get_by_label("请在这里输入您想问的事")).to_be_in_viewport(ratio=1)
        expect(phone.get_by_role("button", name="发送")).to_be_in_viewport(ratio=1)


def test_a_screen_reader_is_taken_to_the_answer_and_each_read_aloud_button_says_what_it_reads(phone, matcher):
    guide = matcher.kb.guides["id-card-renewal"]
    ask(phone, "俺的身份证过期了咋整")
    answer = phone.get_by_role("article", name=guide.short_answer[:10])
    expect(answer).to_be_focused()
    expect(answer).to_contain_text(guide.short_answer)

    buttons = phone.locator("#log button.speak")
    names = [buttons.nth(i).get_attribute("aria-label") for i in range(buttons.count())]
    assert len(names) == 2 and len(set(names)) == 2, names  # the greeting's and the answer's, told apart
    assert all(name and name.startswith("读给我听：") for name in names), names
    assert names[1].removeprefix("读给我听：").rstrip("…") in guide.short_answer


def test_the_queue_is_announced_once_and_again_only_when_it_changes(phone, live_server, on_duty):
    with httpx.Client(base_url=live_server.url, timeout=10) as ahead, \
            httpx.Client(base_url=live_server.url, timeout=10) as staff:
        first = ahead.post("/api/conversations", json={}).json()["id"]  # another citizen, already waiting
        ahead.post(f"/api/conversations/{first}/messages", json={"text": "找人工", "choice": "0"})
        phone.get_by_role("button", name="找人工").click()
        expect(phone.locator("#queue")).to_contain_text("前面还有1位")

        log_in(staff, on_duty.username)
        theirs, mine = sorted(staff.get("/api/officer/cases").json(), key=lambda case: case["id"])
        staff.post(f"/api/officer/cases/{theirs['id']}/claim")
        expect(phone.locator("#queue")).to_contain_text("您排在第一位")  # the line refreshed live ...
        heard = phone.locator("#heard p")
        expect(heard).to_have_count(1)  # ... and was said only once
        staff.post(f"/api/officer/cases/{mine['id']}/claim")
        expect(phone.locator("#queue")).to_contain_text("工作人员李静正在帮您")
        expect(heard.last).to_contain_text("工作人员李静正在帮您")  # a change of state is said
