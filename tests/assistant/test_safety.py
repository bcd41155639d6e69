"""The first words in an emergency fit the emergency."""

from __future__ import annotations

import pytest
import yaml

from assistant import texts
from assistant.safety import advice
from knowledge.normalize import normalize
from knowledge.rules import RULES_FILE, Rules


@pytest.mark.parametrize(("said", "must_say"), [
    ("家里煤气漏了", ["别开灯", "开窗", "燃气公司"]),
    ("厨房着火了", ["119", "别坐电梯"]),
    ("我老伴喘不上气", ["120"]),
    ("有人让我马上转账到安全账户", ["先别转钱", "110"]),
    ("我妈走丢了", ["110"]),
    ("救命", ["120", "110", "119"]),
])
def test_advice(said, must_say):
    text = advice(normalize(said), Rules.load())
    assert all(word in text for word in must_say), text


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
