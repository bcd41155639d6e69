"""The public figures page (/stats) on a phone and on a desktop, in a real browser: charts tall enough to read,
labels as large as the text beside them, every date whole and none on top of another."""

from __future__ import annotations

import datetime as dt
import random
import re
from itertools import pairwise

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from assistant.services import Services
from tests.utils import records
from tests.utils.browser import ARTIFACTS, WCAG_22_AA
from tests.utils.factories import make_officer

pytestmark = pytest.mark.browser

# Every chart's size, and each label's box against its chart's box.
MEASURE = """() => [...document.querySelectorAll('svg.chart')].map((chart) => {
  const c = chart.getBoundingClientRect();
  const labels = [...chart.querySelectorAll('text.tick')].map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            size: parseFloat(getComputedStyle(t).fontSize), days: t.getAttribute('y') > c.height - 30};
  });
  return {left: c.left, right: c.right, top: c.top, bottom: c.bottom, height: c.height, labels};
})"""


@pytest.fixture
def a_busy_month(live_server) -> None:
    """A month of made-up but plausible activity (a test fixture, not real figures), so every chart has marks."""
    runtime = Services.of(live_server.app).runtime
    dice, now = random.Random(7), runtime.desk.clock()
    with runtime.sessions() as session:
        officer = make_officer(session)
        for days_ago in range(30):
            day = now - dt.timedelta(days=days_ago, hours=1)
            for _ in range(dice.randint(2, 6)):
                conversation = records.conversation(session, at=day)
                records.asked(session, conversation, "问题", at=day, action="answer", label="id-card-renewal",
                              confidence=0.8)
                case = records.case_opened(session, conversation, at=day)
                records.event(session, case, "claimed", at=day + dt.timedelta(seconds=dice.randint(30, 4000)),
                              officer=officer)
                records.event(session, case, "resolved", at=day + dt.timedelta(minutes=90), officer=officer)
        session.commit()


@pytest.mark.parametrize(("width", "height"), [(320, 700), (360, 640), (1280, 900)], ids=["320px", "360px", "desktop"])
def test_the_charts_read_on_a_phone(open_page, live_server, a_busy_month, width, height):
    page = open_page(width, height)
    page.goto(f"{live_server.url}/stats")
    expect(page.locator("svg.chart")).to_have_count(6)
    expect(page.locator("#status")).to_contain_text("数据截至")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"stats-{width}px.png"), full_page=True)

    for chart in page.evaluate(MEASURE):
        assert chart["height"] >= 200, chart["height"]
        assert all(label["size"] >= 18 for label in chart["labels"]), chart["labels"]
        cut = [label["text"] for label in chart["labels"]
               if label["left"] < chart["left"] - 0.5 or label["right"] > chart["right"] + 0.5]
        assert not cut, f"labels cut at the chart's edge: {cut}"
        days = sorted((label for label in chart["labels"] if label["days"]), key=lambda label: label["left"])
        assert len(days) >= 3, days
        touching = [(a["text"], b["text"]) for a, b in pairwise(days) if a["right"] > b["left"] - 4]
        assert not touching, f"dates on top of each other: {touching}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def test_the_charts_are_drawn_again_when_the_phone_turns(open_page, live_server, a_busy_month):
    page = open_page(360, 640)
    page.goto(f"{live_server.url}/stats")
    expect(page.locator("svg.chart")).to_have_count(6)
    narrow = page.evaluate(MEASURE)[0]
    page.set_viewport_size({"width": 640, "height": 360})
    expect(page.locator("svg.chart").first).to_have_attribute("width", re.compile(r"^[4-9]\d\d$"))
    wide = page.evaluate(MEASURE)[0]
    assert [label["size"] for label in wide["labels"]] == [18.0] * len(wide["labels"])
    assert len([label for label in wide["labels"] if label["days"]]) > len(
        [label for label in narrow["labels"] if label["days"]])  # more room, more dates
