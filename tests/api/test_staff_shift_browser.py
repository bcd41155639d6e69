"""An officer's shift in the console, in a real browser (Debian's chromium) against a real server: log in (the
form says it is busy), a new case marks the tab's title, filter to emergencies, find a resolved case by its words,
take the next case and claim it by keyboard, insert a guide's answer and send it with Ctrl+Enter, hand over to a
named colleague, resolve after the console asks; a draft survives a reload; the shortcuts are listed on "?". axe-core
(WCAG 2.2 AA) checks every view and dialog on the way; screenshots go with the artifacts (and to /work/notes when it
exists)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from assistant.services import Services
from assistant.store import cases as case_store
from tests.api.test_staff_console_browser import accessible, citizen_page
from tests.utils.browser import ARTIFACTS
from tests.utils.factories import PASSWORD, make_officer

pytestmark = pytest.mark.browser
NOTES = Path("/work/notes")
OLD_WORDS = "我家住在幸福小区七号楼，老人的公交卡丢了"


@pytest.fixture
def staff(live_server):
    runtime = Services.of(live_server.app).runtime
    with runtime.sessions() as session:
        make_officer(session, role="supervisor", name="王芳", username="wangfang", on_duty=True)
        make_officer(session, role="officer", name="李明", username="liming", on_duty=True)


@pytest.fixture
def resolved_case(live_server, staff) -> int:
    """Last week's case: the citizen's words, answered and resolved by a colleague."""
    runtime = Services.of(live_server.app).runtime
    from assistant.messages import Incoming, Text
    with runtime.sessions() as session:
        runtime.assistant.handle(session, Incoming("web", "old-citizen", Text(OLD_WORDS)))
        turn = runtime.assistant.handle(session, Incoming("web", "old-citizen", Text("找人工")))
        case = case_store.open_for_conversation(session, conversation_id=turn.conversation.id)
        colleague = next(o for o in session.query(case_store.Officer) if o.username == "liming")
        runtime.desk.claim(session, case=case, officer=colleague)
        runtime.desk.resolve(session, case=case, officer=colleague, note="已补办")
        session.commit()
        return case.id


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"console-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if NOTES.is_dir():
        shutil.copy(path, NOTES / path.name)


def test_a_shift(open_page, live_server, resolved_case, matcher):
    url = live_server.url
    guide = matcher.kb.guides["id-card-renewal"]
    console = open_page(1280, 900)
    console.goto(f"{url}/staff")
    accessible(console, "the login form")
    console.get_by_label("用户名").fill("wangfang")
    console.get_by_label("密码").fill(PASSWORD)
    held = []  # the login request, held back a moment: the form says it is busy meanwhile
    console.route("**/api/officer/login", lambda route: held.append(route))
    console.get_by_role("button", name="登录").click()
    expect(console.locator("#login-submit")).to_have_text("正在登录……")
    expect(console.locator("#login-submit")).to_be_disabled()
    expect(console.locator("#login-form")).to_have_attribute("aria-busy", "true")
    held[0].continue_()
    expect(console.get_by_role("heading", name="排队的市民")).to_be_visible()
    console.unroute("**/api/officer/login")
    expect(console.locator("#tabs [data-count=resolved]")).to_have_text("（1）")
    accessible(console, "the queue")

    citizen = citizen_page(open_page, url)  # a new case: the title says so until the officer opens it
    citizen.get_by_label("请在这里输入您想问的事").fill("家里煤气味好大")
    citizen.keyboard.press("Enter")
    expect(console).to_have_title(re.compile(r"^\(1\) 排队的市民"))
    other = citizen_page(open_page, url)
    other.get_by_label("请在这里输入您想问的事").fill("找人工")
    other.keyboard.press("Enter")
    expect(console).to_have_title(re.compile(r"^\(2\) 排队的市民"))
    expect(console.locator("#queue li")).to_have_count(2)
    expect(console.locator("#queue li").first).to_have_class(re.compile("urgent"))
    expect(console.locator("#queue li").first.locator(".sla")).to_have_class("sla sla-red")  # red at once
    shot(console, "queue")

    console.get_by_label("只看紧急").check()
    expect(console.locator("#queue li")).to_have_count(1)
    expect(console.locator("#find-summary")).to_contain_text("只看紧急")
    accessible(console, "the queue, emergencies only")
    console.get_by_label("只看紧急").uncheck()

    console.get_by_role("button", name=re.compile("^已办结")).click()
    console.get_by_label(re.compile("^搜索")).fill("幸福小区")
    console.get_by_role("button", name="搜索", exact=True).click()
    expect(console.locator("#queue li")).to_have_count(1)
    expect(console.locator("#queue li").first).to_have_attribute("data-case-id", str(resolved_case))
    expect(console.locator("#queue li").first).to_contain_text("办结于")
    shot(console, "search")
    accessible(console, "a search in the resolved history")
    console.get_by_role("button", name="清空").click()
    console.get_by_role("button", name=re.compile("^等待中")).click()

    urgent_id = console.locator("#queue li.urgent").get_attribute("data-case-id")
    console.keyboard.press("n")  # the next waiting case: the emergency
    expect(console.locator("#case-title")).to_contain_text(f"#{urgent_id} ")
    expect(console).to_have_title(re.compile(r"^\(1\) 排队的市民"))  # this one is seen now
    expect(console.get_by_role("button", name="我来接这个案子")).to_be_visible()
    console.keyboard.press("c")  # claim
    expect(console.locator("#case-state")).to_contain_text("王芳在处理")
    expect(console.locator("#reach")).to_contain_text("开着网页就马上能看到")  # the citizen's page is open
    console.get_by_label(re.compile("^插入指南答案")).fill(guide.title[:3])
    expect(console.get_by_role("option", name=re.compile(guide.title))).to_be_visible()
    accessible(console, "the reply box with suggestions")
    console.get_by_role("option", name=re.compile(guide.title)).click()
    reply = console.get_by_label("回复市民")
    expect(reply).to_have_value(guide.short_answer)
    reply.press("End")
    reply.type(" 王芳")
    console.reload()  # the draft is still there
    expect(console.get_by_label("回复市民")).to_have_value(guide.short_answer + " 王芳")
    console.get_by_label("回复市民").press("Control+Enter")
    expect(citizen.locator("#log .msg-officer")).to_contain_text(guide.short_answer[:20])
    expect(console.get_by_label("回复市民")).to_have_value("")
    shot(console, "case")
    accessible(console, "a case being handled")

    citizen.close()  # the citizen leaves: a reply now waits for their next visit
    left = "对方已离开，回复会在下次打开时看到"
    for _ in range(40):  # the server notices the closed stream within moments; the case view shows it on load
        console.reload()
        expect(console.locator("#reach")).not_to_be_empty()
        if left in console.locator("#reach").inner_text():
            break
        console.wait_for_timeout(250)
    expect(console.locator("#reach")).to_contain_text(left)
    console.evaluate("() => document.activeElement.blur()")  # out of the reply box: keys are shortcuts again
    console.keyboard.press("?")
    expect(console.get_by_role("heading", name="快捷键")).to_be_visible()
    accessible(console, "the shortcuts")
    console.keyboard.press("Escape")

    console.get_by_label("转交给").select_option(label="李明（在岗）")
    console.get_by_role("button", name="转交").click()
    expect(console.locator("#case-state")).to_contain_text("李明在处理")

    console.get_by_role("button", name="办结……").click()  # a supervisor may close a colleague's case
    expect(console.get_by_role("heading", name="确定办结这个案子吗？")).to_be_visible()
    accessible(console, "the resolve dialog")
    shot(console, "resolve")
    console.get_by_role("button", name="先不办结").click()
    expect(console.locator("#case-state")).to_contain_text("李明在处理")
    console.keyboard.press("r")
    console.get_by_label("办结说明（可以不填）").fill("已告知拨打燃气抢修电话")
    console.get_by_role("button", name="确定办结").click()
    expect(console.locator("#case-state")).to_contain_text("已办结")
    expect(console.locator("#events")).to_contain_text("已告知拨打燃气抢修电话")


def test_the_console_is_usable_on_a_phone(open_page, live_server, resolved_case):
    console = open_page(390, 844)
    console.goto(f"{live_server.url}/staff")
    console.get_by_label("用户名").fill("wangfang")
    console.get_by_label("密码").fill(PASSWORD)
    console.get_by_role("button", name="登录").click()
    console.get_by_role("button", name=re.compile("^已办结")).click()
    expect(console.locator("#queue li")).to_have_count(1)
    assert console.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    targets = "button, input:not([type=checkbox]), select, a.case-link, label.check"  # a checkbox: its label
    small = console.evaluate("""(targets) => [...document.querySelectorAll(targets)]
        .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 44).map((e) => e.outerHTML)""",
                             targets)
    assert small == []
    tiny_text = console.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter((e) => e.offsetParent !== null && e.childNodes.length && [...e.childNodes].some((n) => n.nodeType === 3
          && n.textContent.trim()) && parseFloat(getComputedStyle(e).fontSize) < 16).map((e) => e.outerHTML)""")
    assert tiny_text == []
    shot(console, "phone")
    accessible(console, "the queue on a phone")


def test_the_supervisors_board_is_live_and_keeps_canned_replies(open_page, live_server, staff):
    url = live_server.url
    runtime = Services.of(live_server.app).runtime
    console = open_page(1024, 768)  # a small office screen
    console.goto(f"{url}/staff")
    console.get_by_label("用户名").fill("wangfang")
    console.get_by_label("密码").fill(PASSWORD)
    console.get_by_role("button", name="登录").click()
    console.get_by_role("link", name="值班情况").click()
    expect(console.get_by_role("heading", name="值班情况")).to_be_visible()
    expect(console.locator("#board-officers")).to_contain_text("李明")
    expect(console.locator("#board-oldest")).to_contain_text("没有人在等")

    citizen = citizen_page(open_page, url)
    citizen.get_by_label("请在这里输入您想问的事").fill("找人工")
    citizen.keyboard.press("Enter")
    expect(console.locator("#board-oldest a")).to_have_count(1)  # live, without a reload
    expect(console.locator("#board-summary")).to_contain_text("等待中 1 人")
    with runtime.sessions() as session:
        case = case_store.waiting(session)[0]
        runtime.desk.book_callback(session, case=case, phone="13812345678")  # due within the half hour or not
        session.commit()

    console.get_by_label("常用回复的标题").fill("稍等查询")
    console.get_by_label("回复的话").fill("您好，我帮您查一下，请稍等两分钟。")
    console.get_by_role("button", name="添加常用回复").click()
    expect(console.locator("#canned")).to_contain_text("稍等查询")
    assert console.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(console, "board")
    accessible(console, "the supervisor's board")

    console.locator("#board-oldest a").first.click()
    console.get_by_role("button", name="我来接这个案子").click()
    expect(console.get_by_label("回复市民")).to_be_focused()  # claimed: the reply box is ready
    console.get_by_label(re.compile("^插入指南答案")).fill("稍等")
    expect(console.get_by_role("option", name=re.compile("稍等查询"))).to_have_attribute("aria-selected", "true")
    console.get_by_label(re.compile("^插入指南答案")).press("Enter")  # the first suggestion, by keyboard
    expect(console.get_by_label("回复市民")).to_have_value("您好，我帮您查一下，请稍等两分钟。")
    case_url = console.url
    console.get_by_role("link", name="← 回到排队列表").click()
    citizen.get_by_label("请在这里输入您想问的事").fill("我还在等，能快点吗")
    citizen.keyboard.press("Enter")  # a citizen's new words on a case not open on screen mark the title
    expect(console).to_have_title(re.compile(r"^\(1\) 排队的市民"))
    expect(console.locator("#queue li").first).to_contain_text("有新消息")
    console.get_by_role("button", name="退出").click()  # a chosen logout: the unsent words go
    expect(console.get_by_role("heading", name="工作人员登录")).to_be_visible()
    assert console.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('staff-draft:'))") == []
    console.get_by_label("用户名").fill("wangfang")
    console.get_by_label("密码").fill(PASSWORD)
    console.get_by_role("button", name="登录").click()
    console.goto(case_url)
    expect(console.locator("#case-state")).to_contain_text("王芳在处理")
    expect(console.get_by_label("回复市民")).to_have_value("")


def test_a_tab_clicked_while_the_first_list_loads_shows_its_own_cases(open_page, live_server, resolved_case):
    """The open queue's answer, held until after 已办结 was clicked and answered, must not replace the resolved list."""
    console = open_page(1280, 900)
    held: list = []
    open_list = re.compile(r".*/api/officer/cases\?(?=.*status=open)(?!.*counts).*")
    console.route(open_list, lambda route: held.append(route))
    console.goto(f"{live_server.url}/staff")
    console.get_by_label("用户名").fill("wangfang")
    console.get_by_label("密码").fill(PASSWORD)
    console.get_by_role("button", name="登录").click()
    expect(console.get_by_role("button", name=re.compile("^已办结"))).to_be_visible()
    console.wait_for_timeout(300)
    console.get_by_role("button", name=re.compile("^已办结")).click()
    expect(console.locator("#queue li")).to_have_count(1)
    assert held, "the open queue's list was not asked for"
    console.unroute("**/*")
    for route in held:
        route.continue_()  # the old answer arrives last
    console.wait_for_timeout(500)
    expect(console.locator("#queue li")).to_have_count(1)
    expect(console.locator("#queue")).to_contain_text(f"#{resolved_case}")
