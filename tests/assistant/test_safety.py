"""The first words in an emergency fit the emergency."""

from __future__ import annotations

import pytest
import yaml

from assistant import texts
from assistant.safety import advice
from knowledge.normalize import normalize
from knowledge.rules import RULES_FILE, Rules


@pytest.mark.parametrize(("said", "must_say"), [
    ("家里煤气漏了", ["别开灯", "开窗", "别点火", "出门", "119"]),
    ("厨房一股天然气的味道", ["别开关电器", "开窗", "119"]),
    ("液化气罐漏气了嘶嘶响", ["出门", "119"]),
    ("厨房着火了", ["119", "别坐电梯"]),
    ("楼道里冒黑烟了", ["119"]),
    ("我老伴喘不上气", ["120", "病人"]),
    ("我爸突然倒地上叫不醒", ["120", "病人"]),
    ("邻居大爷胸口疼得直冒汗", ["120", "病人"]),
    ("有人让我马上转账到安全账户", ["先别转钱", "110", "96110"]),
    ("对方让我把验证码告诉他", ["110", "96110"]),
    ("我妈走丢了", ["110"]),
    ("救命", ["120", "110", "119"]),
    ("我被困在电梯里了", ["96333", "119", "警铃"]),
    ("电梯卡在两层中间，我出不去", ["96333", "119"]),
    ("俺和孙子被关在电梯里头了", ["96333", "119"]),
    ("我不想活了", ["12356", "120", "110"]),
    ("活着太累了，想一了百了", ["12356", "不是一个人"]),
])
def test_advice_fits_the_kind_with_the_number_to_call(said, must_say):
    text = advice(normalize(said), Rules.load())
    assert all(word in text for word in must_say), text


@pytest.mark.parametrize("said", [
    "我胸口疼得厉害", "俺心口疼，喘不上气", "我刚摔了一跤，腿动不了了", "我突然半边身子麻了", "喘不上气了，快不行了",
    "胸口像压了块石头", "我头晕得厉害站不住，还吐了",
])
def test_a_speaker_who_is_the_patient_is_spoken_to(said):
    """"让病人躺平" to someone lying alone in pain is wrong: they are "您"."""
    text = advice(normalize(said), Rules.load())
    assert "120" in text and "您" in text and "病人" not in text, text


@pytest.mark.parametrize("said", ["老伴晕倒了", "我妈摔倒了起不来", "老头子捂着胸口倒下了", "有人晕倒在路边了",
                                  "孩子抽搐了", "叫不醒了，快来人"])
def test_someone_beside_the_patient_is_told_what_to_do_for_them(said):
    text = advice(normalize(said), Rules.load())
    assert "120" in text and "病人" in text, text


def test_the_gas_line_follows_119_when_the_office_has_one():
    text = advice(normalize("煤气味好大"), Rules.load(), gas_line="0571-96777")
    assert text.index("119") < text.index("0571-96777"), text
    assert "燃气公司" not in advice(normalize("煤气味好大"), Rules.load())


def test_a_sample_gas_line_is_never_said(tmp_path):
    from assistant.settings import Settings

    sample = Settings(_env_file=None, gas_emergency_phone="示例96777")  # type: ignore[call-arg]
    real = Settings(_env_file=None, gas_emergency_phone="0571-96777")  # type: ignore[call-arg]
    assert sample.gas_line is None and Settings(_env_file=None).gas_line is None  # type: ignore[call-arg]
    assert real.gas_line == "0571-96777"


def test_every_kind_of_advice_has_its_words_in_the_rules_file():
    assert {kind for kind, _ in Rules.load().advice} == set(texts.EMERGENCY_ADVICE) - {"general"}


def test_the_words_of_each_kind_are_read_from_the_rules_file_only(tmp_path):
    """Editing knowledge/rules.yaml is enough: no second list of the words elsewhere decides the advice."""
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    data["advice"]["fire"] += "|鞭炮炸了"
    edited = tmp_path / "rules.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    said = normalize("楼下鞭炮炸了")
    assert advice(said, Rules.load()) == texts.EMERGENCY_ADVICE["general"]
    assert advice(said, Rules.load(edited)) == texts.EMERGENCY_ADVICE["fire"]
