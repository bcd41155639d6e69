"""The first words in an emergency fit the emergency."""

from __future__ import annotations

import pytest

from assistant.safety import advice
from knowledge.normalize import normalize


@pytest.mark.parametrize(("said", "must_say"), [
    ("家里煤气漏了", ["别开灯", "开窗", "燃气公司"]),
    ("厨房着火了", ["119", "别坐电梯"]),
    ("我老伴喘不上气", ["120"]),
    ("有人让我马上转账到安全账户", ["先别转钱", "110"]),
    ("我妈走丢了", ["110"]),
    ("救命", ["120", "110", "119"]),
])
def test_advice(said, must_say):
    text = advice(normalize(said))
    assert all(word in text for word in must_say), text
