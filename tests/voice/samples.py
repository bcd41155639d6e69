"""Sentences the voice tests speak."""

SAMPLE = "身份证到期前三个月就能换，工本费二十元。"
SAMPLE_TONES = [1, 4, 4, 4, 1, 2, 1, 4, 4, 4, 2, 4, 1, 3, 4, 4, 2, 2]
