"""The staff console in a real browser (Debian's chromium, Playwright) against a real server, next to citizens on the
chat page in browser contexts of their own.

Citizens ask for a person one after another; each case must appear in the officer's queue live (Server-Sent Events),
and the time from the citizen's click on 找人工 to the row in the queue is measured by the two pages' clocks (the
same system clock): median printed and kept. An emergency goes to the top. The officer opens the last
case, sees its summary, takes it, replies and resolves; the citizen sees the reply and "问题解决了吗？". axe-core
(WCAG 2.2 AA) checks every console view and /stats; screenshots of the queue, a case and /stats go with the artifacts.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from assistant import texts
from assistant.identity import Proof
from assistant.live.events import OFFICERS_TOPIC
from assistant.messages import Incoming, SharedContact, Text, VerifiedContact
from assistant.outbox import publish_after_commit
from assistant.services import Services
from assistant.store import cases as case_store
from assistant.store import pushes as push_store
from tests.utils import records
from tests.utils.browser import ARTIFACTS, WCAG_22_AA
from tests.utils.factories import PASSWORD, make_officer

pytestmark = pytest.mark.browser

CITIZENS_TIMED = 5
REPLY = "您好，我是王芳。带上旧身份证和户口簿，到派出所户籍窗口就能换。"

# Records when each case's row first appears in the queue, by this page's clock.
WATCH_QUEUE = """() => {
  window.__seen = {};
  const note = () => {
    for (const row of document.querySelectorAll('#queue li[data-case-id]')) {
      if (!(row.dataset.caseId in window.__seen)) window.__seen[row.dataset.caseId] = Date.now();
    }
  };
  note();
  new MutationObserver(note).observe(document.getElementById('queue'), {childList: true, subtree: true});
}"""
# Clicks 找人工 and says when, by this page's clock.
ASK_FOR_A_PERSON = "() => { const t = Date.now(); document.getElementById('to-person').click(); return t; }"


@pytest.fixture
def supervisor(live_server):
    with Services.of(live_server.app).runtime.sessions() as session:
        return make_officer(session, role="supervisor", name="王芳", username="wangfang", on_duty=False)


def accessible(page: Page, what: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def log_in(console: Page, url: str) -> None:
    console.goto(f"{url}/staff")
    accessible(console, "the login form")
    console.get_by_label("用户名").fill("wangfang")
    console.get_by_label("密码").fill(PASSWORD)
    console.get_by_role("button", name="登录").click()
    expect(console.get_by_role("heading", name="排队的市民")).to_be_visible()


def citizen_page(open_page, url: str) -> Page:
    page = open_page(390, 844)
    page.goto(url)
    expect(page.locator("#log")).to_contain_text("您好！我是办事小助手")
    return page


def ask(page: Page, text: str, answer: str) -> None:
    page.get_by_label("请在这里输入您想问的事").fill(text)
    page.keyboard.press("Enter")
    expect(page.locator("#log")).to_contain_text(answer)


def test_cases_reach_the_officer_live_and_the_reply_reaches_the_citizen(open_page, live_server, supervisor,
                                                                        matcher):
    url = live_server.url
    guide = matcher.kb.guides["id-card-renewal"]
    console = open_page(1280, 900)
    log_in(console, url)
    console.get_by_role("button", name="在岗").click()
    expect(console.get_by_role("button", name="在岗")).to_have_attribute("aria-pressed", "true")
    console.evaluate(WATCH_QUEUE)

    latencies, citizen = [], None
    for n in range(CITIZENS_TIMED):
        citizen = citizen_page(open_page, url)
        if n == CITIZENS_TIMED - 1:  # the one the officer will help: they said what it is about first
            ask(citizen, "俺的身份证过期了咋整", guide.short_answer[:12])
        clicked = citizen.evaluate(ASK_FOR_A_PERSON)
        console.wait_for_function("(n) => Object.keys(window.__seen).length >= n", arg=n + 1, timeout=5000)
        seen = console.evaluate("() => window.__seen")
        latencies.append(seen[max(seen, key=int)] - clicked)
        expect(citizen.locator("#queue")).to_be_visible()  # their place in the queue
    median = statistics.median(latencies)
    print(f"\n找人工 -> case in the officer's queue (ms): {[round(x) for x in latencies]}, median {median:.0f}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "staff-queue-latency.json").write_text(json.dumps(
        {"runs_ms": [round(x, 1) for x in latencies], "median_ms": round(median, 1)}), encoding="utf-8")
    assert median < 1000, "a new case must appear within a second"

    ask(citizen_page(open_page, url), "家里煤气味好大", "燃气")  # an emergency: first in the queue, whenever it came
    expect(console.locator("#queue li").first).to_have_class("case-row urgent")
    expect(console.locator("#queue li")).to_have_count(CITIZENS_TIMED + 1)
    console.screenshot(path=str(ARTIFACTS / "staff-queue.png"), full_page=True)
    accessible(console, "the queue")

    console.locator("#queue li", has_text=guide.title).get_by_role("link").click()
    expect(console.locator("#summary")).to_contain_text(guide.title)
    expect(console.locator("#summary")).to_contain_text("俺的身份证过期了咋整")
    expect(console.locator("#transcript")).to_contain_text(guide.short_answer[:12])
    accessible(console, "a waiting case")
    console.get_by_role("button", name="我来接这个案子").click()
    expect(citizen.locator("#log")).to_contain_text("工作人员王芳来了")
    expect(console.locator("#reach")).to_contain_text("开着网页就马上能看到")
    console.get_by_label("回复市民").fill(REPLY)
    console.get_by_role("button", name="发送回复").click()
    expect(citizen.locator("#log .msg-officer")).to_contain_text(REPLY)
    expect(console.locator("#transcript")).to_contain_text(REPLY)
    console.screenshot(path=str(ARTIFACTS / "staff-case.png"), full_page=True)
    accessible(console, "a case being handled")

    console.get_by_role("button", name="办结").click()
    console.get_by_role("button", name="确定办结").click()  # it asks first
    expect(citizen.locator("#log")).to_contain_text(texts.FEEDBACK_QUESTION)
    expect(citizen.get_by_role("button", name=f"1 {texts.SOLVED_YES}")).to_be_visible()
    expect(console.locator("#case-state")).to_contain_text("已办结")
    expect(console.locator("#events")).to_contain_text("办结")

    for view, heading in (("#/callbacks", "今日回电"), ("#/knowledge", "知识缺口")):
        console.goto(f"{url}/staff{view}")
        expect(console.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        accessible(console, heading)


def test_the_timer_of_a_waiting_case_turns_amber_then_red(open_page, live_server, supervisor):
    runtime = Services.of(live_server.app).runtime
    now, settings = runtime.desk.clock(), runtime.settings
    with runtime.sessions() as session:
        for minutes in (settings.sla_red_minutes + 1, settings.sla_amber_minutes + 1, 0):
            records.case_opened(session, records.conversation(session, at=now), at=now - dt.timedelta(minutes=minutes))
        session.commit()
    console = open_page(1280, 900)
    log_in(console, live_server.url)
    timers = console.locator("#queue .sla")
    expect(timers).to_have_count(3)
    expect(timers.nth(0)).to_have_class("sla sla-red")
    expect(timers.nth(0)).to_contain_text("已超时")  # said in words too, not by colour alone
    expect(timers.nth(1)).to_have_class("sla sla-amber")
    expect(timers.nth(1)).to_contain_text("快超时")
    expect(timers.nth(2)).to_have_class("sla sla-ok")


def test_words_that_have_not_reached_a_telegram_chat_are_marked_as_it_happens(open_page, live_server, supervisor):
    runtime = Services.of(live_server.app).runtime
    with runtime.sessions() as session:
        turn = runtime.assistant.handle(session, Incoming("telegram", "4242", Text("找人工")))
        case = case_store.open_for_conversation(session, conversation_id=turn.conversation.id)
        officer = session.merge(supervisor)
        runtime.desk.claim(session, case=case, officer=officer)
        stuck = runtime.desk.reply(session, case=case, officer=officer, text=REPLY)
        session.commit()
    console = open_page(1280, 900)
    log_in(console, live_server.url)
    console.goto(f"{live_server.url}/staff#/case/{case.id}")
    line = console.locator("#transcript li", has_text=REPLY)
    expect(line).to_be_visible()
    expect(line.locator(".tag.undelivered")).to_have_count(0)

    with runtime.sessions() as session:  # what the Telegram channel records when Telegram does not take it
        push_store.failed(session, message_id=stuck.id, error="Bad Gateway", now=runtime.desk.clock(),
                          first_pause=dt.timedelta(minutes=5))
        publish_after_commit(session, OFFICERS_TOPIC, {"type": "delivery", "case_id": case.id,
                                                       "message_id": stuck.id, "delivered": False})
        session.commit()
    expect(line.locator(".tag.undelivered")).to_have_text("还没送到市民那里，正在重发")
    expect(console.locator("#transcript .tag.undelivered")).to_have_count(1)
    ARTIFACTS.mkdir(exist_ok=True)
    line.screenshot(path=str(ARTIFACTS / "staff-undelivered.png"))
    accessible(console, "a case with words not yet delivered")


def test_a_supervisor_sees_the_linked_channels_and_undoes_one(open_page, live_server, supervisor):
    runtime = Services.of(live_server.app).runtime
    contact = VerifiedContact("13812345678", Proof.CARRIER_CALLER_ID)
    with runtime.sessions() as session:
        runtime.assistant.handle(session, Incoming("telegram", "4242", SharedContact("13812345678")))
        runtime.assistant.handle(session, Incoming("telegram", "4242", Text("找人工")))
        turn = runtime.assistant.handle(session, Incoming("phone", "13812345678", Text("人工"), contact=contact))
        case = case_store.open_for_conversation(session, conversation_id=turn.conversation.id)
    console = open_page(1280, 900)
    log_in(console, live_server.url)
    console.goto(f"{live_server.url}/staff#/case/{case.id}")
    links = console.locator("#links")
    expect(links).to_contain_text("运营商核实的来电号码")
    expect(console.locator("#earlier li a")).to_have_count(1)
    expect(console.locator("#reach")).to_contain_text("电话那头收不到文字回复")
    accessible(console, "a case with linked channels")
    console.once("dialog", lambda dialog: dialog.accept())
    links.get_by_role("button", name="撤销关联：电话（运营商核实的来电号码").click()
    expect(links).to_contain_text("已撤销")
    expect(console.locator("#earlier")).to_contain_text("没有")
    expect(console.locator("#events")).to_contain_text("撤销了渠道关联")


@pytest.fixture
def busy_fortnight(live_server) -> None:
    """Two weeks of made-up but plausible activity (a test fixture, not real figures), so the charts have bars."""
    runtime = Services.of(live_server.app).runtime
    dice, now = random.Random(5), runtime.desk.clock()
    with runtime.sessions() as session:
        officer = make_officer(session)
        for days_ago in range(14):
            day = now - dt.timedelta(days=days_ago, hours=1)
            for _ in range(dice.randint(3, 12)):
                conversation = records.conversation(session, at=day)
                answered = dice.random() < 0.8
                records.asked(session, conversation, "问题", at=day, action="answer" if answered else "not_understood",
                              label="id-card-renewal" if answered else "out_of_scope", confidence=0.8)
                if answered and dice.random() < 0.7:
                    continue
                case = records.case_opened(session, conversation, at=day)
                records.event(session, case, "claimed", at=day + dt.timedelta(seconds=dice.randint(30, 900)),
                              officer=officer)
                records.event(session, case, "resolved", at=day + dt.timedelta(minutes=20), officer=officer)
                records.event(session, case, "feedback", at=day + dt.timedelta(minutes=21), solved=dice.random() < 0.8)
        session.commit()


def test_the_public_statistics_page(open_page, live_server, busy_fortnight):
    page = open_page(1280, 900)
    page.goto(f"{live_server.url}/stats")
    expect(page.locator("svg.chart")).to_have_count(6)
    expect(page.locator("#status")).to_contain_text("数据截至")
    accessible(page, "/stats")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stats.png"), full_page=True)
    narrow = open_page(360, 800)
    narrow.goto(f"{live_server.url}/stats")
    expect(narrow.locator("svg.chart")).to_have_count(6)
    assert narrow.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
