"""The knowledge-gap loop through the API: questions nobody answered, grouped; attached to a guide or drafted into a
new one; retrained in the background and served at once; guides past their review date."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from assistant.retraining import Retrainer
from assistant.services import Services
from knowledge.matcher import Matcher

BATH = ["老年人洗澡补贴怎么申请", "老人洗澡补助去哪领", "洗澡补贴咋申请"]
DOG = ["狗证怎么办", "养狗要办什么证"]


@pytest.fixture
def supervisor(officer_of):
    client, _ = officer_of("supervisor")
    return client


@pytest.fixture
def unanswered(client, matcher) -> None:
    """Citizens asked about a bath subsidy and dog licences, which no guide covers."""
    for text in BATH + DOG:
        conversation = client.post("/api/conversations", json={}).json()["id"]
        client.post(f"/api/conversations/{conversation}/messages", json={"text": text})


def groups_of(supervisor) -> list[dict]:
    return supervisor.get("/api/staff/gaps").json()["groups"]


def test_gaps_are_grouped_by_similarity_with_counts(supervisor, unanswered):
    data = supervisor.get("/api/staff/gaps").json()
    [dogs] = [g for g in data["groups"] if {w["text"] for w in g["wordings"]} == set(DOG)]
    assert dogs["count"] == len(dogs["message_ids"]) == 2
    assert data["questions"] == sum(g["count"] for g in data["groups"])
    labels = {label["id"] for label in data["labels"]}
    assert {"id-card-renewal", "out_of_scope"} <= labels


def test_attaching_a_group_makes_training_questions_and_clears_the_gap(supervisor, unanswered):
    [dogs] = [g for g in groups_of(supervisor) if {w["text"] for w in g["wordings"]} == set(DOG)]
    attach = {"message_ids": dogs["message_ids"], "label": "out_of_scope"}
    done = supervisor.post("/api/staff/gaps/attach", json=attach)
    assert done.status_code == 201 and done.json() == {"added": 2, "label": "out_of_scope"}
    assert all(set(DOG).isdisjoint(w["text"] for w in g["wordings"]) for g in groups_of(supervisor))
    assert supervisor.post("/api/staff/gaps/attach", json=attach).json()["added"] == 0  # attached once


@pytest.mark.parametrize(("body", "status"), [
    ({"message_ids": [1], "label": "no-such-guide"}, 404),
    ({"message_ids": [99999], "label": "out_of_scope"}, 404),
    ({"message_ids": [], "label": "out_of_scope"}, 422),
])
def test_attaching_to_nothing_is_refused(supervisor, unanswered, body, status):
    assert supervisor.post("/api/staff/gaps/attach", json=body).status_code == status


def bath_guide(kb, **changes) -> dict:
    data = kb.guides["home-care-subsidy"].model_dump(mode="json")
    questions = [f"{who}{ask}" for who in ("", "俺家老人", "我妈", "我爸", "社区老人", "八十岁老人")
                 for ask in ("助浴补贴怎么申请", "洗澡补贴去哪领", "上门助浴怎么约", "助浴券能领吗", "洗澡有补助吗")]
    return data | {"id": "senior-bath-subsidy", "title": "老年人助浴补贴", "questions": questions} | changes


def test_an_incomplete_draft_is_kept_with_its_problems(supervisor, kb):
    saved = supervisor.post("/api/staff/drafts", json={"guide": bath_guide(kb, questions=BATH, fee="")})
    assert saved.status_code == 200
    body = saved.json()
    assert body["ready"] is False
    assert {(p["field"], p["message"]) for p in body["problems"]} == {("questions", "至少要25条（现在3条）"),
                                                                      ("fee", "不能是空的")}
    [kept] = supervisor.get("/api/staff/drafts").json()
    assert kept["guide"]["questions"] == BATH  # nothing written is lost


@pytest.mark.parametrize(("guide", "status"), [({"title": "没有编号"}, 422), ({"id": "Bad Id"}, 422),
                                               ({"id": "x", "notes": "长" * 300_000}, 413)])
def test_a_draft_needs_an_id_and_a_sane_size(supervisor, guide, status):
    assert supervisor.post("/api/staff/drafts", json={"guide": guide}).status_code == status


@pytest.fixture
def retrainer(app, runtime, small_kb) -> Retrainer:
    """The app's retrainer on the small knowledge base: the full model is trained once per test run, not here."""
    services = Services.of(app)
    services.retrainer = Retrainer(runtime, load_kb=lambda: small_kb)
    return services.retrainer


def wait_for(supervisor, retrainer: Retrainer, state: str = "done") -> dict:
    """The console's status once the retraining thread has finished (joined: no deadline, no polling)."""
    retrainer.wait()
    status = supervisor.get("/api/staff/retrain").json()
    assert status["state"] == state, status
    return status


def test_retraining_serves_the_new_guide_and_the_attached_questions_without_a_restart(client, supervisor, kb,
                                                                                     unanswered, retrainer, small_kb):
    before = client.post("/api/ask", json={"text": "俺家老人助浴补贴怎么申请"}).json()
    assert before["label"] != "senior-bath-subsidy"
    assert supervisor.post("/api/staff/drafts", json={"guide": bath_guide(kb)}).json()["ready"] is True
    [bath] = [g for g in groups_of(supervisor) if "洗澡补贴咋申请" in {w["text"] for w in g["wordings"]}]
    supervisor.post("/api/staff/gaps/attach", json={"message_ids": bath["message_ids"], "label": "senior-bath-subsidy"})

    started = supervisor.post("/api/staff/retrain")
    assert started.status_code == 202 and started.json()["state"] == "running"
    assert supervisor.post("/api/staff/retrain").status_code in (202, 409)  # 409 while the first one runs
    status = wait_for(supervisor, retrainer)
    assert status["percent"] == 100 and status["guides"] == len(small_kb.guides) + 1

    after = client.post("/api/ask", json={"text": "俺家老人助浴补贴怎么申请"}).json()
    assert after["label"] == "senior-bath-subsidy" and after["answer"].startswith(kb.guides["home-care-subsidy"]
                                                                                  .short_answer[:10])
    conversation = client.post("/api/conversations", json={}).json()["id"]
    reply = client.post(f"/api/conversations/{conversation}/messages", json={"text": "洗澡补贴咋申请"}).json()
    assert reply["messages"][-1]["kind"] == "answer"  # the chat engine uses the new model too
    [draft] = supervisor.get("/api/staff/drafts").json()
    assert draft["trained"] is True


def test_guides_past_their_review_date_are_listed_with_their_office(supervisor, runtime, kb):
    guide = kb.guides["id-card-lost"]
    stale = guide.model_copy(update={"review": guide.review.model_copy(update={"last_reviewed": dt.date(2020, 1, 1)})})
    old_kb = dataclasses.replace(kb, guides={**kb.guides, guide.id: stale})
    current = runtime.matcher
    runtime.use_matcher(Matcher(old_kb, current.model, current.config, current.analyzer))
    [listed] = supervisor.get("/api/staff/reviews").json()
    assert (listed["id"], listed["owner"], listed["due"]) == ("id-card-lost", guide.review.owner, "2020-12-31")
    assert listed["days_overdue"] > 0
