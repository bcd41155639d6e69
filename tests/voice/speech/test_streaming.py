"""Read-aloud as it is spoken: the first clause's MP3 goes out before the rest is synthesised, the stream decodes to
the whole answer, and the complete file is cached only when the whole answer was made."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import soundfile

from voice.speech.errors import VoiceUnavailable
from voice.speech.neural import NeuralVoice, clauses
from voice.speech.speaker import Speaker
from voice.speech.streaming import frame_length

ANSWER = ("身份证丢了别着急，本人去派出所户籍窗口说明丢失，现场照相、按指纹就能补办。"
          "工本费20元，一般一个月左右拿到新证。")


@pytest.fixture(scope="module")
def neural() -> NeuralVoice:
    voice = NeuralVoice()
    if (why := voice.available()) is not None:
        pytest.skip(f"the neural voice cannot load here: {why}")
    return voice


@pytest.fixture
def speaker(neural: NeuralVoice, tmp_path: Path) -> Speaker:
    return Speaker(tmp_path / "cache", neural=neural)


@pytest.fixture
def spoken_clauses(neural: NeuralVoice, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The clauses the neural voice has synthesised so far (it still synthesises them)."""
    said: list[str] = []
    speak = NeuralVoice.speak_clause

    def counting(self, clause, *, slow=False):
        said.append(clause.text)
        return speak(self, clause, slow=slow)
    monkeypatch.setattr(NeuralVoice, "speak_clause", counting)
    return said


def test_the_first_bytes_go_out_after_the_first_clause_alone(speaker, spoken_clauses):
    streamed = speaker.stream_now(ANSWER)
    assert streamed is not None and streamed.voice == "fastspeech2-baker"
    first = next(iter(streamed.chunks))
    assert first and len(spoken_clauses) == 1 < len(clauses(ANSWER))


def test_the_stream_decodes_to_the_whole_answer_and_is_cached_once_complete(speaker, neural):
    streamed = speaker.stream_now(ANSWER)
    assert streamed is not None
    sent = b"".join(streamed.chunks)
    cached = speaker.find(ANSWER, "mp3")
    assert cached is not None and cached.voice == "fastspeech2-baker"
    whole = cached.path.read_bytes()
    assert whole[frame_length(whole[:4]):] == sent  # the same audio; the file also has the encoder's summary
    heard, rate = soundfile.read(io.BytesIO(sent))
    spoken, spoken_rate = neural.synthesize(ANSWER)
    assert abs(len(heard) / rate - len(spoken) / spoken_rate) < 0.1  # the whole answer, not its first clause


def test_a_listener_who_leaves_early_leaves_no_half_answer_in_the_cache(speaker):
    streamed = speaker.stream_now(ANSWER)
    assert streamed is not None
    chunks = iter(streamed.chunks)
    next(chunks)
    chunks.close()  # what the server does when the page stops listening
    assert speaker.find(ANSWER, "mp3") is None


def test_a_neural_voice_that_cannot_start_leaves_the_answer_to_the_other_voices(speaker, monkeypatch):
    def broken(self, clause, *, slow=False):
        raise VoiceUnavailable("the model file is damaged")
    monkeypatch.setattr(NeuralVoice, "speak_clause", broken)
    assert speaker.stream_now(ANSWER) is None
    assert speaker.now(ANSWER, "mp3").voice == "espeak-ng"


def test_a_failure_in_the_middle_ends_the_stream_without_caching_it(speaker, monkeypatch):
    speak = NeuralVoice.speak_clause
    calls = []

    def fails_second(self, clause, *, slow=False):
        calls.append(clause)
        if len(calls) > 1:
            raise VoiceUnavailable("onnxruntime ran out of memory")
        return speak(self, clause, slow=slow)
    monkeypatch.setattr(NeuralVoice, "speak_clause", fails_second)
    streamed = speaker.stream_now(ANSWER)
    assert streamed is not None
    assert b"".join(streamed.chunks)  # what was made before the failure was heard
    assert speaker.find(ANSWER, "mp3") is None


@pytest.mark.parametrize("header,length", [(b"\xff\xf3\x84\xc4", 192), (b"\xff\xfb\x90\x64", 417),
                                            (b"\xff\xfb\x92\x64", 418)])
def test_mp3_frame_lengths_follow_the_standard(header, length):
    # MPEG-2 64 kbit/s at 24 kHz: 72 * 64000 / 24000; MPEG-1 128 kbit/s at 44.1 kHz: 144 * 128000 / 44100 (+1 padded)
    assert frame_length(header) == length
