"""The last fallback voice, espeak-ng's library from its wheel, speaks the pinyin as Mandarin syllables with their
tones, at a calm pace."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.voice.samples import SAMPLE, SAMPLE_TONES
from voice.speech.espeak import EspeakVoice
from voice.speech.pinyin import to_numbered_pinyin
from voice.speech.speaker import Speaker

# espeak-ng's Chao tone letters for the four Mandarin tones (tone 3 before another syllable is the half-third 21).
CHAO_TONES = {"55": 1, "35": 2, "21": 3, "214": 3, "51": 4}


def _espeak_phonemes(pinyin: str) -> list[str]:
    return [word for word in re.split(r"[\s_|]+", EspeakVoice().phonemes(pinyin)) if word]


def _tone(phoneme_word: str) -> int | None:
    """The tone of one syllable in espeak-ng's phoneme notation, e.g. s.'@55n is shen1."""
    tone_letters = re.search(r"\d+", phoneme_word)
    return CHAO_TONES.get(tone_letters.group(0)) if tone_letters else None


def test_espeak_reads_every_syllable_as_mandarin_with_its_tone() -> None:
    pinyin = to_numbered_pinyin(SAMPLE)
    phonemes = _espeak_phonemes(pinyin)
    pinyin_tones = [int(tone) for tone in re.findall(r"[a-z]+([1-5])", pinyin)]
    assert [_tone(word) for word in phonemes] == pinyin_tones == SAMPLE_TONES
    assert not any("(en)" in word for word in phonemes)  # no switch to English, as the plain `cmn` voice does


def test_the_pace_is_calm_about_150_to_180_characters_a_minute(espeak_speaker: Speaker,
                                                               ffprobe: Callable[[Path], dict[str, Any]]) -> None:
    seconds = ffprobe(espeak_speaker.render(SAMPLE, "wav16k"))["duration"]
    characters_a_minute = len(re.findall(r"[\u4e00-\u9fff]", SAMPLE)) / seconds * 60
    assert 150 <= characters_a_minute <= 180


def test_slow_mode_is_slower(espeak_speaker: Speaker, ffprobe: Callable[[Path], dict[str, Any]]) -> None:
    normal = ffprobe(espeak_speaker.render(SAMPLE, "wav16k"))["duration"]
    slow = ffprobe(espeak_speaker.render(SAMPLE, "wav16k", slow=True))["duration"]
    assert slow > normal * 1.1
