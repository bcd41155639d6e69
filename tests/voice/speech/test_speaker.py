"""Speaker: cached renders, counted; clear errors only for requests no voice can fulfil."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.voice.samples import SAMPLE
from voice.speech.cache import TEMP_PREFIX
from voice.speech.errors import SpeechRequestError, VoiceUnavailable
from voice.speech.espeak import EspeakVoice
from voice.speech.neural import NeuralVoice
from voice.speech.speaker import Speaker


def test_the_second_render_is_a_cache_hit_on_the_same_file(offline_speaker: Speaker) -> None:
    first = offline_speaker.render(SAMPLE, "wav8k")
    written_at = first.stat().st_mtime_ns
    second = offline_speaker.render(SAMPLE, "wav8k")
    assert second == first
    assert second.stat().st_mtime_ns == written_at
    stats = offline_speaker.stats
    assert (stats.hits, stats.misses, stats.offline_renders, stats.hit_rate) == (1, 1, 1, 0.5)


def test_text_format_and_pace_each_get_their_own_file(offline_speaker: Speaker) -> None:
    paths = {
        offline_speaker.render(SAMPLE, "wav8k"),
        offline_speaker.render(SAMPLE, "wav16k"),
        offline_speaker.render(SAMPLE, "wav8k", slow=True),
        offline_speaker.render("您好，再见。", "wav8k"),
    }
    assert len(paths) == 4
    assert offline_speaker.stats.misses == 4


def test_surrounding_whitespace_does_not_make_a_new_file(offline_speaker: Speaker) -> None:
    assert offline_speaker.render(f"  {SAMPLE}\n", "wav8k") == offline_speaker.render(SAMPLE, "wav8k")


def test_a_new_speaker_finds_the_files_an_earlier_one_wrote(tmp_path: Path) -> None:
    first = Speaker(tmp_path, online=False).render(SAMPLE, "mp3")
    later = Speaker(tmp_path, online=False)
    assert later.render(SAMPLE, "mp3") == first
    assert later.stats.hits == 1


def test_no_half_written_files_are_left_in_the_cache(offline_speaker: Speaker) -> None:
    offline_speaker.render(SAMPLE, "ogg_opus")
    with pytest.raises(SpeechRequestError):
        offline_speaker.render("！？", "ogg_opus")
    assert list(offline_speaker.cache.root.glob(f"{TEMP_PREFIX}*")) == []
    assert len(list(offline_speaker.cache.root.iterdir())) == 1


@pytest.mark.parametrize("text", ["", "   \n", "！？……"])
def test_text_with_nothing_to_say_is_refused(offline_speaker: Speaker, text: str) -> None:
    with pytest.raises(SpeechRequestError):
        offline_speaker.render(text, "mp3")


def test_an_unknown_format_is_refused_by_name(offline_speaker: Speaker) -> None:
    with pytest.raises(SpeechRequestError, match="flac"):
        offline_speaker.render(SAMPLE, "flac")  # type: ignore[arg-type]


def test_without_any_offline_voice_the_error_says_what_to_install(tmp_path: Path,
                                                                   broken_espeak: EspeakVoice) -> None:
    speaker = Speaker(tmp_path, neural=NeuralVoice(tmp_path / "no-models"), espeak=broken_espeak)
    with pytest.raises(VoiceUnavailable, match="pip install espeakng-loader") as raised:
        speaker.render(SAMPLE, "mp3")
    assert "model files are missing" in str(raised.value)


def test_cached_finds_a_rendered_file_without_rendering(offline_speaker: Speaker) -> None:
    assert offline_speaker.cached(SAMPLE, "wav8k") is None
    path = offline_speaker.render(SAMPLE, "wav8k")
    assert offline_speaker.cached(SAMPLE, "wav8k") == path
    assert offline_speaker.cached(SAMPLE, "mp3") is None
    assert (offline_speaker.stats.hits, offline_speaker.stats.misses) == (0, 1)
