"""Knowledge gaps: which citizens' questions count as unanswered, and how similar ones are grouped."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant import gaps
from assistant.store import conversations as conversation_store
from tests.utils import records

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)

# (what the citizen said, the engine's action, the matcher's label and confidence, is it a gap?)
DECISIONS = [
    ("今天天气怎么样", "out_of_scope", "out_of_scope", 0.9, True),
    ("嗯嗯那个啥", "not_understood", "out_of_scope", 0.3, True),
    ("那个补贴", "clarify", "home-care-subsidy", 0.3, True),
    ("我还是没弄懂", "offer_person", None, None, True),
    ("补办那个", "need_topic", None, None, True),
    ("洗澡补贴咋申请", "answer", "home-care-subsidy", 0.4, True),  # answered, but unsure
    ("身份证过期了咋换", "answer", "id-card-renewal", 0.93, False),
    ("要带什么", "detail:materials", "id-card-renewal", None, False),
    ("谢谢", "smalltalk:thanks", None, None, False),
    ("找人工", "human", "human", 0.99, False),
]


@pytest.fixture
def asked(session):
    """Every decision of the table, asked an hour apart in one conversation, plus an officer's words."""
    conversation = records.conversation(session, at=NOW - 24 * HOUR)
    messages = {text: records.asked(session, conversation, text, at=NOW - (n + 1) * HOUR, action=action, label=label,
                                    confidence=confidence)
                for n, (text, action, label, confidence, _) in enumerate(DECISIONS)}
    conversation_store.add_message(session, conversation=conversation, role="officer", text="今天天气不错")
    session.commit()
    return messages


def test_a_question_is_a_gap_when_missed_asked_back_or_answered_unsure(session, asked):
    found = {q.text for q in gaps.unanswered(session, since=NOW - 48 * HOUR)}
    assert found == {text for text, *_, gap in DECISIONS if gap}
    assert all(gaps.is_gap({"action": a, "label": lb, "confidence": c}) == gap for _, a, lb, c, gap in DECISIONS)


def test_older_questions_and_handled_ones_are_left_out(session, asked):
    handled = {asked["今天天气怎么样"].id}
    found = {q.text for q in gaps.unanswered(session, since=NOW - 2.5 * HOUR, handled=handled)}
    assert found == {"嗯嗯那个啥"}  # asked 2 hours ago; the weather, 1 hour ago, was handled


def test_numbers_are_masked_in_the_questions(session):
    conversation = records.conversation(session, at=NOW)
    records.asked(session, conversation, "我手机13812345678办那个证", at=NOW, action="not_understood")
    session.commit()
    [question] = gaps.unanswered(session, since=NOW - HOUR)
    assert question.text == "我手机138****5678办那个证"


def question(n: int, text: str, label: str | None = None) -> gaps.GapQuestion:
    return gaps.GapQuestion(n, text, "not_understood", label, 0.2, NOW - n * HOUR)


def test_similar_questions_are_grouped_with_counts_the_most_asked_first(kb):
    asked = ["老年人洗澡补贴怎么申请", "老人洗澡补助去哪领", "洗澡补贴咋申请", "洗澡补贴咋申请", "今天天气怎么样",
             "天气预报", "狗证怎么办", "养狗要办什么证", "我家狗要登记吗", "电动车上牌去哪"]
    groups = gaps.group([question(n, text) for n, text in enumerate(asked)], background=gaps.background_of(kb))
    by_first = {g.wordings[0][0]: g for g in groups}
    assert [g.count for g in groups][:3] == [4, 3, 2]
    assert {q.text for q in by_first["洗澡补贴咋申请"].questions} == {"老年人洗澡补贴怎么申请", "老人洗澡补助去哪领",
                                                               "洗澡补贴咋申请"}
    assert by_first["洗澡补贴咋申请"].wordings[0] == ("洗澡补贴咋申请", 2)
    assert {q.text for q in groups[1].questions} == {"狗证怎么办", "养狗要办什么证", "我家狗要登记吗"}
    assert {q.text for q in groups[2].questions} == {"今天天气怎么样", "天气预报"}
    assert groups[-1].count == 1 and groups[-1].wordings == [("电动车上牌去哪", 1)]


def test_a_group_suggests_what_the_matcher_guessed_most_often(kb):
    group = gaps.GapGroup([question(1, "洗澡补贴", "home-care-subsidy"), question(2, "洗澡补助", "home-care-subsidy"),
                           question(3, "洗澡钱"), question(4, "洗澡的", "out_of_scope")])
    assert group.suggested_label == "home-care-subsidy"
    assert group.to_dict()["message_ids"] == [1, 2, 3, 4]


def test_one_question_or_none_is_not_a_problem(kb):
    assert gaps.group([], background=gaps.background_of(kb)) == []
    [only] = gaps.group([question(1, "嗯")], background=())
    assert only.count == 1


def test_the_vectors_are_those_of_tfidf_fitted_on_the_guides_and_the_questions(kb):
    """The guides' n-grams are counted once per knowledge base; the vectors stay exactly what scikit-learn's
    TfidfVectorizer fitted on the guides' questions and the gap questions together gives."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from assistant.gaps import _tfidf, background_of

    background = background_of(kb)
    texts = ["身份证丢了咋办", "我家猫丢了怎么办", "广场舞太吵了能管吗", "身份证 过期"]
    expected = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True).fit([*background, *texts])
    for _ in range(2):  # the second time from the counted background
        ours = _tfidf(texts, background)
        theirs = expected.transform(texts)
        assert abs((ours @ ours.T).toarray() - (theirs @ theirs.T).toarray()).max() < 1e-12
