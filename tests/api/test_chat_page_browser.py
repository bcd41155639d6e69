"""The chat page in a real browser (Debian's chromium driven by Playwright) against a real server.

The end-to-end test follows an elderly citizen: a colloquial question, a tapped detail, two misses, a person offered
and taken, the place in the queue; then an officer (through the API) claims and replies, and the reply appears on
the page without a reload. The accessibility test runs axe-core (WCAG 2.2 AA) and measures text and tap-target
sizes at 320 px and at desktop width, in both text sizes, and saves screenshots to the artifacts folder.
"""

from __future__ import annotations

import json
import re
import statistics
import time

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Route, expect
from sqlalchemy import func, select

from assistant import texts
from assistant.messages import Incoming, LinkCodeWanted, Text
from assistant.services import Services
from assistant.store.models import Conversation, Message
from tests.utils.audio import probe
from tests.utils.browser import ARTIFACTS, WCAG_22_AA
from tests.utils.factories import make_officer
from tests.utils.officer_login import log_in
from voice.speech.espeak import EspeakVoice
from voice.speech.neural import NeuralVoice
from voice.speech.shared import shared_speaker

pytestmark = pytest.mark.browser

REPLIES_TIMED = 5

# Records when each officer reply first appears in the log, by the browser's clock (the same system clock).
WATCH_OFFICER_REPLIES = """() => {
  window.__seen = {};
  new MutationObserver(() => {
    for (const p of document.querySelectorAll('#log .msg-officer .text')) {
      if (!(p.textContent in window.__seen)) window.__seen[p.textContent] = Date.now();
    }
  }).observe(document.getElementById('log'), {childList: true, subtree: true, characterData: true});
}"""

MEASURE = """() => {
  const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const px = (v) => parseFloat(v);
  const targets = [...document.querySelectorAll('button, input')].filter(visible).map((e) => {
    const r = e.getBoundingClientRect();
    return {name: e.textContent.trim() || e.id, width: r.width, height: r.height};
  });
  const text = [...document.querySelectorAll('h1, .who, .text, button, label, input, .queue')].filter(visible)
    .map((e) => { const s = getComputedStyle(e);
      return {name: e.className || e.tagName, size: px(s.fontSize), ratio: px(s.lineHeight) / px(s.fontSize)}; });
  return {targets, text, scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth};
}"""


@pytest.fixture
def officer(live_server):
    with Services.of(live_server.app).runtime.sessions() as session:
        return make_officer(session, name="王芳")


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"gtts_enabled": False})  # 读给我听 in the offline voice: no call to Google


def ask(page: Page, text: str) -> None:
    page.get_by_label("请在这里输入您想问的事").fill(text)
    page.keyboard.press("Enter")


def log_shows(page: Page, text: str) -> None:
    expect(page.locator("#log")).to_contain_text(text)


def test_a_citizen_is_answered_handed_to_a_person_and_sees_the_reply_live(open_page, live_server, officer, matcher):
    guide = matcher.kb.guides["id-card-renewal"]
    page = open_page(390, 844)
    page.goto(live_server.url)
    log_shows(page, "您好！我是办事小助手")

    ask(page, "俺的身份证过期了咋整")
    log_shows(page, guide.short_answer)
    page.get_by_role("button", name="1 要带什么材料").click()
    log_shows(page, f"办“{guide.title}”要带")

    ask(page, "今天天气怎么样")
    log_shows(page, texts.NOT_COVERED)
    ask(page, "嗯嗯")
    log_shows(page, texts.OFFER_PERSON)
    page.get_by_role("button", name="1 好，找工作人员").click()
    expect(page.locator("#queue")).to_contain_text("您排在第一位")
    page.evaluate("window.__notReloaded = true")

    with httpx.Client(base_url=live_server.url, timeout=10) as staff:
        log_in(staff, officer.username)
        [case] = staff.get("/api/officer/cases").json()
        assert case["reason"] == "two_misses" and case["service_id"] == "id-card-renewal"
        staff.post(f"/api/officer/cases/{case['id']}/claim")
        log_shows(page, "工作人员王芳来了")
        expect(page.locator("#queue")).to_contain_text("工作人员王芳正在帮您")

        page.evaluate(WATCH_OFFICER_REPLIES)
        latencies = []
        for n in range(1, REPLIES_TIMED + 1):
            reply = f"您好，我是王芳，第{n}次回复您。"
            sent_at = time.time() * 1000
            assert staff.post(f"/api/officer/cases/{case['id']}/reply", json={"text": reply}).status_code == 201
            page.wait_for_function("(text) => window.__seen[text]", arg=reply)
            latencies.append(page.evaluate("(text) => window.__seen[text]", reply) - sent_at)

    assert page.evaluate("window.__notReloaded") is True
    median = statistics.median(latencies)
    print(f"\nofficer reply -> citizen page (ms): {[round(x) for x in latencies]}, median {median:.0f}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "browser-reply-latency.json").write_text(
        json.dumps({"runs_ms": [round(x, 1) for x in latencies], "median_ms": round(median, 1)}), encoding="utf-8")
    assert median < 1000
    page.screenshot(path=str(ARTIFACTS / "chat-officer-replied.png"))

    page.reload()  # the conversation survives it
    log_shows(page, f"您好，我是王芳，第{REPLIES_TIMED}次回复您。")
    log_shows(page, guide.short_answer)


def test_a_question_asked_while_the_page_is_still_starting_is_answered(open_page, live_server, matcher):
    """On a slow line an older citizen may type and press Enter before the conversation has started: the question
    waits for it and is answered, rather than nothing happening."""
    guide = matcher.kb.guides["id-card-renewal"]
    page = open_page(390, 844)
    held: list[Route] = []
    page.route("**/api/conversations", lambda route: held.append(route))  # its start, kept waiting
    with page.expect_request("**/api/conversations"):
        page.goto(live_server.url)
    ask(page, "俺的身份证过期了咋整")
    held[0].continue_()
    log_shows(page, guide.short_answer)
    expect(page.locator("#log .msg-citizen")).to_have_count(1)


def cut_after_the_server_answered(page: Page, pattern: str, keys: list[str]) -> None:
    """The first request matching `pattern` reaches the server, whose answer is then lost (the connection drops);
    every request's Idempotency-Key is noted."""
    def handle(route: Route) -> None:
        keys.append(route.request.headers.get("idempotency-key", ""))
        if len(keys) == 1:
            route.fetch()  # done on the server
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(pattern, handle)


def test_a_message_whose_answer_was_lost_is_sent_again_and_stored_once(open_page, live_server, matcher):
    guide = matcher.kb.guides["id-card-renewal"]
    page = open_page(390, 844)
    keys: list[str] = []
    cut_after_the_server_answered(page, "**/messages", keys)
    page.goto(live_server.url)
    log_shows(page, "您好！我是办事小助手")

    ask(page, "俺的身份证过期了咋整")

    log_shows(page, guide.short_answer)
    expect(page.locator("#log .msg-citizen")).to_have_count(1)
    assert len(keys) == 2 and keys[0] == keys[1] != ""
    ask(page, "要带什么材料")  # the next message has a key of its own
    expect(page.locator("#log .msg-citizen")).to_have_count(2)
    assert len(keys) == 3 and keys[2] not in ("", keys[0])
    with Services.of(live_server.app).runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Message).where(Message.role == "citizen")) == 2


def test_a_start_whose_answer_was_lost_opens_one_conversation(open_page, live_server):
    page = open_page(390, 844)
    keys: list[str] = []
    cut_after_the_server_answered(page, "**/api/conversations", keys)
    page.goto(live_server.url)
    log_shows(page, "您好！我是办事小助手")
    expect(page.locator("#log .msg-assistant")).to_have_count(1)
    assert len(keys) == 2 and keys[0] == keys[1] != ""
    with Services.of(live_server.app).runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Conversation)) == 1


def test_read_aloud_plays_an_answer_in_the_service_s_own_voice(open_page, live_server, matcher, tmp_path):
    guide = matcher.kb.guides["id-card-renewal"]
    page = open_page(390, 844)
    page.goto(live_server.url)
    ask(page, "俺的身份证过期了咋整")
    log_shows(page, guide.short_answer)
    answer = page.locator("#log .msg-assistant", has_text=guide.short_answer)
    with page.expect_response(lambda r: r.url.endswith("/audio")) as heard:
        answer.get_by_role("button", name="读给我听").click()
    assert heard.value.status in (200, 206)  # the browser asks for a range: bytes=0-, the whole file
    assert heard.value.headers["content-type"] == "audio/mpeg"
    (tmp_path / "heard.mp3").write_bytes(heard.value.body())
    assert probe(tmp_path / "heard.mp3")["duration"] > 2
    stop = answer.get_by_role("button", name="停止朗读")
    expect(stop).to_be_visible()  # it is playing
    stop.click()
    expect(answer.get_by_role("button", name="读给我听")).to_be_visible()


def test_when_no_voice_can_read_the_citizen_is_told_on_the_button(open_page, live_server, matcher, tmp_path):
    speaker = shared_speaker(Services.of(live_server.app).runtime.settings)
    speaker.neural = NeuralVoice(tmp_path / "no-models")
    speaker.espeak = EspeakVoice("/nonexistent/libespeak-ng.so")
    guide = matcher.kb.guides["id-card-renewal"]
    page = open_page(390, 844)
    page.goto(live_server.url)
    ask(page, "俺的身份证过期了咋整")
    log_shows(page, guide.short_answer)
    answer = page.locator("#log .msg-assistant", has_text=guide.short_answer)
    with page.expect_response(lambda r: r.url.endswith("/audio")) as heard:
        answer.get_by_role("button", name="读给我听").click()
    assert heard.value.status == 503
    # Headless Chromium has no Chinese voice of its own either: the page says so instead of going quiet.
    expect(answer.get_by_role("button", name="现在不能朗读，请稍后再试")).to_be_visible()


@pytest.mark.parametrize(("width", "height"), [(320, 700), (360, 640), (1280, 900)], ids=["320px", "360px", "desktop"])
def test_the_page_meets_wcag_22_aa_and_the_size_rules(open_page, live_server, width, height):
    page = open_page(width, height)
    page.goto(live_server.url)
    log_shows(page, "您好！我是办事小助手")  # the conversation has started: typing now is not lost
    ask(page, "老年卡怎么办")
    expect(page.get_by_role("button", name="1 要带什么材料")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)

    for big, minimum in ((False, 18), (True, 27)):
        if big:
            page.get_by_role("button", name="大字").click()
            expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        assert results.violations_count == 0, results.generate_report()

        measured = page.evaluate(MEASURE)
        small = [t for t in measured["targets"] if t["width"] < 60 or t["height"] < 60]
        assert not small, f"tap targets under 60x60 px: {small}"
        tiny = [t for t in measured["text"] if t["size"] < minimum]
        assert not tiny, f"text under {minimum} px: {tiny}"
        cramped = [t for t in measured["text"] if t["ratio"] < 1.3 - 1e-3]
        assert not cramped, f"line height under 1.3: {cramped}"
        assert measured["scrollWidth"] <= measured["width"], "the page scrolls sideways"

        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        expect(page.get_by_role("button", name="找人工", exact=True)).to_be_in_viewport()
        page.evaluate("window.scrollTo(0, 0)")  # the sticky header where it belongs in a full-page picture
        page.screenshot(path=str(ARTIFACTS / f"chat-{width}px-{'large' if big else 'normal'}-text.png"),
                        full_page=True)

    page.reload()  # the text size is remembered
    expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")


def test_the_page_works_from_the_keyboard_alone(open_page, live_server):
    page = open_page(1280, 900)
    page.goto(live_server.url)
    log_shows(page, "您好！我是办事小助手")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "say-text":
            break
    page.keyboard.type("老年卡怎么办")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="1 要带什么材料")).to_be_visible()
    page.get_by_role("button", name="1 要带什么材料").focus()
    page.keyboard.press("Enter")
    log_shows(page, "要带：")


def test_the_page_joins_telegram_with_a_one_time_code(open_page, live_server):
    runtime = Services.of(live_server.app).runtime
    with runtime.sessions() as session:
        runtime.assistant.handle(session, Incoming("telegram", "4242", Text("你好")))
        shown = runtime.assistant.handle(session, Incoming("telegram", "4242", LinkCodeWanted())).replies[0].text
    page = open_page(320, 700)
    page.goto(live_server.url)
    log_shows(page, "您好！我是办事小助手")

    page.get_by_text("在 Telegram 上也问过？").click()
    page.get_by_role("button", name="取一个连接码（到 Telegram 里输入）").click()
    expect(page.locator("#link-said")).to_contain_text("您的连接码是")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    measured = page.evaluate(MEASURE)
    assert not [t for t in measured["targets"] if t["height"] < 60], measured["targets"]
    assert measured["scrollWidth"] <= measured["width"], "the page scrolls sideways"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#link").screenshot(path=str(ARTIFACTS / "chat-link-code-320px.png"))

    page.get_by_label("Telegram 给您的连接码").fill(re.search(r"\d(?: \d){5}", shown).group(0))
    page.get_by_role("button", name="连接", exact=True).click()
    expect(page.locator("#link-said")).to_have_text(texts.LINK_DONE.format(channel="Telegram"))
