"""`/stats` and `/api/stats`: public, no login, per day over 30 days, small counts suppressed, no personal data."""

from __future__ import annotations

import datetime as dt
import threading
import time

from assistant.purge import purge
from assistant.store.types import utcnow

SERIES = {"questions", "answered", "without_person", "cases_opened", "cases_resolved", "reach_p50", "reach_p90",
          "callbacks_promised", "callbacks_kept", "solved_share"}


def test_the_page_is_public_and_draws_from_the_json(client):
    page = client.get("/stats")
    assert page.status_code == 200 and "/static/stats.js" in page.text and "服务数据公开" in page.text
    assert client.get("/static/stats.js").status_code == 200


def test_the_figures_are_public_per_day_over_thirty_days(client):
    figures = client.get("/api/stats").json()
    assert len(figures["days"]) == 30 and figures["suppressed_below"] == 5
    assert set(figures["series"]) == set(figures["totals"]) == SERIES
    assert all(len(values) == 30 for values in figures["series"].values())


def test_a_few_citizens_are_not_countable_and_their_words_not_shown(client, say):
    say("我电话13812345678，今天天气怎么样")
    say("身份证过期了咋换")
    say("找人工")
    figures = client.get("/api/stats").json()
    today = {key: values[-1] for key, values in figures["series"].items()}
    assert today["questions"] == "<5" and today["cases_opened"] == "<5" and today["without_person"] is None
    assert figures["top_unanswered"][0]["count"] == "<5"
    assert "13812345678" not in str(figures) and "天气" not in str(figures)


def test_the_figures_are_the_same_after_every_word_is_purged(client, officer_of, runtime):
    """Six citizens ask, ask for a person, are helped and say whether it was solved; then a purge clears every
    word and number there is, open cases and all. /api/stats does not change."""
    staff, _ = officer_of(name="王芳")
    for n in range(6):
        conversation = client.post("/api/conversations", json={}).json()["id"]

        def say(text: str, choice: str | None = None, conversation: str = conversation) -> dict:
            body = {"text": text} if choice is None else {"text": text, "choice": choice}
            return client.post(f"/api/conversations/{conversation}/messages", json=body).json()

        say(f"我电话1381234567{n}，身份证过期了咋换")
        case_id = say("找人工")["case"]["case_id"]
        staff.post(f"/api/officer/cases/{case_id}/claim")
        staff.post(f"/api/officer/cases/{case_id}/notes", json={"text": f"儿子电话1391234567{n}"})
        if n < 5:
            staff.post(f"/api/officer/cases/{case_id}/resolve", json={"note": "已办好"})
            say("解决了", choice="1" if n else "2")
    before = client.get("/api/stats").json()
    totals = before["totals"]
    assert totals["questions"] not in ("<5", 0) and totals["cases_resolved"] == 5 and totals["solved_share"] is not None
    everything = utcnow() + dt.timedelta(minutes=1)
    with runtime.sessions() as session:
        purged = purge(session, before=everything, hard_before=everything)
    assert purged.messages > 12 and purged.notes == 11
    assert client.get("/api/stats").json() == before


def test_requests_after_the_figures_expire_wait_for_one_computation(client, monkeypatch):
    """Ten citizens open /stats in the same second after the cached figures expired: the month is counted once,
    not ten times over (each counting would hold a database connection for the whole computation)."""
    from assistant import stats

    counted, real = [], stats.compute

    def counting(*args, **kwargs):
        counted.append(1)
        time.sleep(0.3)  # long enough for all of them to arrive while it runs
        return real(*args, **kwargs)

    monkeypatch.setattr(stats, "compute", counting)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(client.get("/api/stats").json())) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 10 and all(a == answers[0] for a in answers)
    assert counted == [1]
