"""The neural Mandarin voice, the offline default: a calm pace measured on the real audio, pauses at punctuation,
Latin letters spelled, and espeak-ng only when the neural voice cannot speak."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.voice.samples import SAMPLE
from voice.speech.espeak import EspeakVoice
from voice.speech.frontend import LETTERS, clauses, phoneme_ids
from voice.speech.neural import SAMPLE_RATE, NeuralVoice
from voice.speech.speaker import Speaker

# Typical answers, 60-80 characters, as the guides give them.
ANSWERS = [
    "身份证到期前三个月就可以换领，带上旧证到户籍所在地派出所办理，工本费20元，一般七个工作日就能领到新证。",
    "办理老年优待证，请带上身份证和一张一寸照片，到社区服务中心窗口申请，当场就能办好，不收任何费用。",
    "社保卡丢了，请先打12333挂失，再带身份证到社保经办窗口补办，补卡工本费20元，大约十个工作日以后去领。",
]


def _characters(text: str) -> int:
    """What a reader counts: Chinese characters, digits and letters."""
    return len(re.findall(r"[\u4e00-\u9fff0-9A-Za-z]", text))


def _pace(path: Path, text: str) -> float:
    return _characters(text) / soundfile.info(path).duration * 60


@pytest.fixture
def neural_only(tmp_path: Path, broken_espeak: EspeakVoice) -> Speaker:
    """The neural voice with no fallback: a render that succeeds is the neural voice's."""
    return Speaker(tmp_path / "cache", espeak=broken_espeak)


def test_the_pace_is_150_to_220_characters_a_minute_measured_on_the_audio(neural_only: Speaker) -> None:
    paces = [_pace(neural_only.render(answer, "wav16k"), answer) for answer in ANSWERS]
    assert all(150 <= pace <= 220 for pace in paces), paces


def test_the_slower_setting_is_slower_and_still_above_a_crawl(neural_only: Speaker) -> None:
    normal = [_pace(neural_only.render(answer, "wav16k"), answer) for answer in ANSWERS]
    slow = [_pace(neural_only.render(answer, "wav16k", slow=True), answer) for answer in ANSWERS]
    assert all(120 <= s < n * 0.9 for s, n in zip(slow, normal, strict=True)), (normal, slow)


def test_there_is_a_pause_at_each_comma_and_full_stop() -> None:
    samples, rate = NeuralVoice().synthesize("请带上身份证，到窗口办理。")
    quiet = np.abs(samples) < 1e-4
    # Runs of silence at least 0.2 s long: one after the comma, one after the full stop (at the end).
    runs, length = [], 0
    for is_quiet in quiet:
        length = length + 1 if is_quiet else 0
        if length == int(0.2 * rate):
            runs.append(True)
    assert len(runs) == 2


def test_the_audio_is_24_khz_speech_of_the_right_length() -> None:
    samples, rate = NeuralVoice().synthesize(SAMPLE)
    assert rate == SAMPLE_RATE == 24000
    assert 3.0 < len(samples) / rate < 9.0  # 19 characters at a calm pace, not a click and not a drone
    assert 0.5 < float(np.max(np.abs(samples))) <= 0.71


def test_latin_letters_are_spelled_not_dropped() -> None:
    [with_letters] = clauses("下载APP")
    [without] = clauses("下载")
    assert with_letters.syllables == without.syllables + ("ei1", "pi1", "pi1")
    samples_with, _ = NeuralVoice().synthesize("下载APP")
    samples_without, _ = NeuralVoice().synthesize("下载")
    assert len(samples_with) > len(samples_without) * 1.5


def test_every_letter_spelling_is_in_the_model_s_table() -> None:
    for letter, spelled in LETTERS.items():
        ids = phoneme_ids(tuple(spelled.split()))
        assert len(ids) == 2 + 3 * len(spelled.split()), letter  # sil, (initial, final, #0) each, eos


def test_characters_without_a_reading_and_stray_symbols_are_left_out() -> None:
    [clause] = clauses("办理兙手续@#")
    assert clause.syllables == ("ban4", "li3", "shou3", "xu4")


def test_numbers_are_read_as_a_person_reads_them() -> None:
    [clause] = clauses("工本费20元，打12345")[:1]
    assert clause.syllables == ("gong1", "ben3", "fei4", "er4", "shi2", "yuan2")
    assert clauses("打12345")[0].syllables == ("da3", "yao1", "er4", "san1", "si4", "wu3")


def test_when_the_neural_voice_cannot_load_espeak_speaks(tmp_path: Path) -> None:
    speaker = Speaker(tmp_path / "cache", neural=NeuralVoice(tmp_path / "no-models"))
    rendered = speaker.speak(SAMPLE, "wav8k")
    assert rendered.voice == "espeak-ng"
    assert soundfile.info(rendered.path).duration > 3.0
    assert (speaker.stats.offline_renders, speaker.stats.fallback_renders) == (1, 1)


def test_when_the_neural_voice_fails_on_a_text_espeak_speaks_it(tmp_path: Path) -> None:
    class Failing(NeuralVoice):
        def speak_clause(self, clause, *, slow=False):  # type: ignore[no-untyped-def]
            from voice.speech.errors import VoiceUnavailable

            raise VoiceUnavailable("the model failed")

    speaker = Speaker(tmp_path / "cache", neural=Failing())
    assert speaker.speak(SAMPLE, "mp3").voice == "espeak-ng"


def test_the_neural_voice_is_preferred_and_named(offline_speaker: Speaker) -> None:
    rendered = offline_speaker.speak(SAMPLE, "ogg_opus")
    assert (rendered.voice, rendered.cached) == ("fastspeech2-baker", False)
    assert offline_speaker.speak(SAMPLE, "ogg_opus") == type(rendered)(rendered.path, "fastspeech2-baker", True)


def test_the_model_is_loaded_once_per_process() -> None:
    first, second = NeuralVoice(), NeuralVoice()
    assert first._models() is second._models()
