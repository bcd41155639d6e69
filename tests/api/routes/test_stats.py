"""`/stats` and `/api/stats`: public, no login, per day over 30 days, small counts suppressed, no personal data."""

from __future__ import annotations

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
