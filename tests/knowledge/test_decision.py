"""The decision rule, in its order: emergency, a request for a person, out of scope, then answer or ask."""

from __future__ import annotations

import pytest

from knowledge.decision import SPECIAL_LABELS, Scored, Source, Thresholds, decide
from knowledge.normalize import normalize
from knowledge.rules import Rules

LIMITS = Thresholds()


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Rules.load()


def ranking(**scores: float) -> tuple[Scored, ...]:
    """Scores by label (service ids with underscores), with small scores for a few others."""
    given = {k if k in SPECIAL_LABELS else k.replace("_", "-"): v for k, v in scores.items()}
    merged = {"id-card-lost": 0.01, "passport-application": 0.01, **dict.fromkeys(SPECIAL_LABELS, 0.0), **given}
    return tuple(sorted((Scored(k, v) for k, v in merged.items()), key=lambda s: -s.score))


def decided(rules: Rules, text: str, scores: tuple[Scored, ...]):
    return decide(normalize(text), scores, rules, LIMITS)


class TestOrder:
    def test_emergency_words_beat_a_confident_service(self, rules):
        d = decided(rules, "煤气味好大 社保卡怎么补", ranking(social_security_card_replace=0.95))
        assert (d.label, d.action, d.reason) == ("emergency", "emergency", "rule:emergency")

    def test_emergency_beats_a_request_for_a_person(self, rules):
        assert decided(rules, "老伴摔倒了起不来 快给我转人工", ranking()).label == "emergency"

    def test_a_modest_emergency_score_is_enough(self, rules):
        d = decided(rules, "心里发慌", ranking(emergency=LIMITS.emergency_floor, id_card_lost=0.5))
        assert d.label == "emergency"

    def test_a_past_event_alone_is_not_an_emergency(self, rules):
        d = decided(rules, "去年家里着火烧了 能申请救助不", ranking(temporary_assistance=0.8))
        assert d.label == "temporary-assistance"

    def test_a_past_event_with_something_happening_now_is(self, rules):
        assert decided(rules, "去年摔过一回 刚才又摔倒了起不来", ranking()).label == "emergency"

    def test_explicit_request_for_a_person_beats_a_service(self, rules):
        d = decided(rules, "社保卡的事说不清 给我转人工", ranking(social_security_card_replace=0.9))
        assert (d.label, d.reason) == ("human", "rule:human")

    def test_staff_coming_to_the_house_is_not_a_request_for_a_person(self, rules):
        d = decided(rules, "找工作人员上门认证咋弄", ranking(pension_qualification_cert=0.9))
        assert d.label == "pension-qualification-cert"


class TestServices:
    def test_confident_and_clear_is_answered(self, rules):
        d = decided(rules, "身份证丢了", ranking(id_card_lost=0.9))
        assert (d.label, d.action) == ("id-card-lost", "answer")

    def test_close_top_two_asks_which_one(self, rules):
        d = decided(rules, "身份证的事", ranking(id_card_lost=0.45, id_card_renewal=0.40))
        assert (d.label, d.action) == ("id-card-lost", "clarify")
        assert [s.id for s in d.services(2)] == ["id-card-lost", "id-card-renewal"]

    def test_unsure_asks_which_one(self, rules):
        d = decided(rules, "证的事", ranking(id_card_lost=0.25))
        assert d.action == "clarify"

    def test_below_the_floor_is_out_of_scope(self, rules):
        d = decided(rules, "那个事", ranking(id_card_lost=LIMITS.confidence_floor - 0.01))
        assert (d.label, d.reason) == ("out_of_scope", "low-confidence")

    def test_out_of_scope_must_win_clearly(self, rules):
        clear = decided(rules, "明天天气", ranking(out_of_scope=0.8, id_card_lost=0.1))
        close = decided(rules, "医院几点放号", ranking(out_of_scope=0.45, hospital_appointment=0.42))
        assert clear.label == "out_of_scope"
        assert (close.label, close.action) == ("hospital-appointment", "clarify")


class TestMatcher:
    @pytest.mark.parametrize(
        ("text", "label"),
        [
            ("俺家煤气味特别大 头晕", "emergency"),
            ("我老伴倒在地上叫不醒了", "emergency"),
            ("有人打电话让我马上把钱转到安全账户", "emergency"),
            ("找人工", "human"),
            ("别跟我说机器话了 叫个真人来", "human"),
            ("身份证丢了咋补", "id-card-lost"),
            ("設保卡密碼忘了", "social-security-card-activate"),
            ("今天天气咋样", "out_of_scope"),
        ],
    )
    def test_typical_questions(self, matcher, text, label):
        assert matcher.decide(text).label == label

    @pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "？？？！！！", "\x00\x01\ud800"])
    def test_nothing_to_read_is_a_clear_out_of_scope(self, matcher, text):
        d = matcher.decide(text)
        assert (d.label, d.reason) == ("out_of_scope", "empty")
        assert len(d.top3) == 3

    @pytest.mark.parametrize("text", ["asdfghjkl qwerty", "啊啊啊啊啊啊", "zzzz 1234 ####"])
    def test_gibberish_is_not_answered_as_a_service(self, matcher, text):
        assert matcher.decide(text).action in {"out_of_scope", "clarify", "human"}

    def test_ten_thousand_characters_get_a_decision(self, matcher):
        d = matcher.decide("身份证丢了怎么补办" + "啊" * 10_000)
        assert d.label == "id-card-lost"

    def test_always_three_ranked_labels_with_scores(self, matcher):
        top3 = matcher.decide("养老金认证").top3
        assert len(top3) == 3 and all(0 <= s.score <= 1 for s in top3)
        assert [s.score for s in top3] == sorted((s.score for s in top3), reverse=True)


class TestEmergencyRules:
    @pytest.mark.parametrize(
        "text",
        [
            "快叫救护车",
            "厨房着火了",
            "天然气味道好冲",
            "老伴在浴室滑倒了 摔了起不来",
            "我爸突然说不出话来 嘴也歪了",
            "孙子把硬币吞下去了 咳不出来",
            "我妈有痴呆 刚才出门就找不着了",
            "电话里的人让我别挂电话 去银行转钱",
            "对方让我把验证码告诉他",
            "有人在撬我家的门",
        ],
    )
    def test_happening_now(self, rules, text):
        assert rules.is_emergency(normalize(text))

    @pytest.mark.parametrize(
        "text",
        [
            "手机收不到验证码咋办",
            "手机掉水里了还能补卡吗",
            "社保卡刷了没反应",
            "气得我直冒火 窗口不给办",
            "燃气打不着火了 是不是没交费",
            "刚给社保交了钱 怎么查到没到账",
            "上个月被骗了两万 怎么报案",
            "老伴前年中风以后瘫在床上 能办残疾证不",
            "俺腿脚不好 爬楼爬不动了",
        ],
    )
    def test_routine_questions_that_sound_alike(self, rules, text):
        assert not rules.is_emergency(normalize(text))


@pytest.mark.parametrize(("text", "scores", "source"), [
    ("救命啊", ranking(), Source.RULE),
    ("转人工", ranking(), Source.RULE),
    ("身份证过期了", ranking(id_card_renewal=0.9), Source.MODEL),
    ("心里发慌", ranking(emergency=0.9), Source.MODEL),
    ("", ranking(), Source.NONE),
])
def test_the_decision_says_whether_a_rule_or_the_scores_decided(rules, text, scores, source):
    assert decided(rules, text, scores).source is source
