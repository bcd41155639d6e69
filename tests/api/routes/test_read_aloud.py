"""The chat page's 读给我听: the assistant's and officers' words, read in our own voice as an MP3 that names its voice,
for this web conversation only; nothing the citizen typed, and nothing of anyone else's conversation; a failure said
as what it is."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
import soundfile

from assistant.services import Services
from tests.utils.audio import missing_tools, probe
from voice.speech.espeak import EspeakVoice
from voice.speech.neural import NeuralVoice
from voice.speech.shared import shared_speaker
from voice.speech.streaming import frame_length


@pytest.fixture
def settings(settings):
    if missing_tools():
        pytest.skip(f"needs {', '.join(missing_tools())} to check the audio: apt-get install ffmpeg")
    return settings.model_copy(update={"gtts_enabled": False})  # the offline voice: no call to Google's servers


@pytest.fixture
def answered(say) -> dict:
    return say("身份证过期了咋换")


def audio_url(conversation: str, message_id: int) -> str:
    return f"/api/conversations/{conversation}/messages/{message_id}/audio"


def test_an_answer_is_read_aloud_as_an_mp3(client, conversation, answered, tmp_path: Path):
    answer = answered["messages"][1]
    assert answer["role"] == "assistant"
    response = client.get(audio_url(conversation, answer["id"]))
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/mpeg"
    path = tmp_path / "answer.mp3"
    path.write_bytes(response.content)
    heard = probe(path)
    assert (heard["format"], heard["codec"], heard["channels"]) == ("mp3", "mp3", 1)
    assert heard["duration"] > 2  # a whole sentence, not a click
    assert response.headers["x-voice"] == "fastspeech2-baker"


def test_the_same_words_again_come_from_the_cache(client, app, conversation, answered):
    answer = answered["messages"][1]
    streamed = client.get(audio_url(conversation, answer["id"])).content
    speaker = shared_speaker(Services.of(app).runtime.settings)
    hits = speaker.stats.hits
    again = client.get(audio_url(conversation, answer["id"]))
    assert speaker.stats.hits == hits + 1
    assert again.headers["x-voice"] == "fastspeech2-baker"
    # The cached file is the streamed audio with the encoder's summary frame in front, which a stream cannot have.
    assert again.content[frame_length(again.content[:4]):] == streamed


def test_what_the_citizen_typed_is_not_read(client, conversation, answered):
    said = answered["messages"][0]
    assert said["role"] == "citizen"
    assert client.get(audio_url(conversation, said["id"])).status_code == 404


def test_another_conversation_s_words_are_not_read_through_this_one(client, conversation, answered):
    other = client.post("/api/conversations", json={}).json()
    assert client.get(audio_url(other["id"], answered["messages"][1]["id"])).status_code == 404
    assert client.get(audio_url("0" * 32, answered["messages"][1]["id"])).status_code == 404


def test_a_message_id_that_cannot_exist_is_refused(client, conversation):
    assert client.get(audio_url(conversation, 0)).status_code == 422
    assert client.get(audio_url(conversation, 2**63)).status_code == 422


def test_with_no_audio_program_on_the_path_the_neural_voice_reads(client, conversation, answered, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    assert [shutil.which(tool) for tool in ("espeak-ng", "ffmpeg", "ffprobe", "sox")] == [None] * 4
    response = client.get(audio_url(conversation, answered["messages"][1]["id"]))
    assert response.status_code == 200
    assert response.headers["x-voice"] == "fastspeech2-baker"
    path = tmp_path / "answer.mp3"
    path.write_bytes(response.content)
    info = soundfile.info(path)
    assert (info.format, info.channels) == ("MP3", 1) and info.duration > 2


def test_when_only_espeak_can_speak_the_header_says_so(client, app, conversation, answered):
    shared_speaker(Services.of(app).runtime.settings).neural = None
    response = client.get(audio_url(conversation, answered["messages"][1]["id"]))
    assert (response.status_code, response.headers["x-voice"]) == (200, "espeak-ng")


def test_when_no_voice_can_speak_the_citizen_is_told_and_the_log_says_why(
        client, app, conversation, answered, tmp_path: Path, caplog: pytest.LogCaptureFixture):
    speaker = shared_speaker(Services.of(app).runtime.settings)
    speaker.neural = NeuralVoice(tmp_path / "no-models")
    speaker.espeak = EspeakVoice("/nonexistent/libespeak-ng.so")
    with caplog.at_level(logging.ERROR, logger="api.routes.read_aloud"):
        response = client.get(audio_url(conversation, answered["messages"][1]["id"]))
    assert response.status_code == 503
    assert "现在不能朗读，请稍后再试" in response.text
    [record] = [r for r in caplog.records if r.name == "api.routes.read_aloud"]
    assert "no offline voice can speak" in record.getMessage() and "model files are missing" in record.getMessage()
    assert "carrier" not in record.getMessage()  # a web request, not a phone call
